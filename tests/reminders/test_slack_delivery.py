"""Two workers on PostgreSQL delivering through the real Slack notifier to a fake Slack Web API."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bots.reminders.worker import Worker, WorkerConfig
from bots.slack.notifier import SlackNotifier
from bots.store.db import Database
from tests.reminders.test_worker_postgres import seed, statuses, wait_for
from tests.slack.fake_slack import FakeSlack, ratelimited

pytestmark = pytest.mark.postgres
CONFIG = WorkerConfig(
    batch=25,
    lease=dt.timedelta(seconds=5),
    poll_seconds=0.05,
    base_backoff=dt.timedelta(milliseconds=200),
)


async def test_500_reminders_reach_slack_once_each_through_a_rate_limit(
    pg_db: Database, pg_url: str
) -> None:
    keys = await seed(pg_db, 500)
    async with FakeSlack() as fake:
        limited = ratelimited()  # the recorded 429 with Retry-After: 1
        fake.script(
            "chat.postMessage", limited.body, status=limited.status, headers=limited.headers
        )
        replicas = [Database(pg_url), Database(pg_url)]
        notifier = SlackNotifier(AsyncWebClient(token="xoxb-test", base_url=fake.api_url))
        workers = [
            Worker(db, {"slack": notifier}, config=CONFIG, owner=f"w{i}")
            for i, db in enumerate(replicas)
        ]
        began = time.perf_counter()
        for worker in workers:
            worker.start()
        await wait_for(lambda: sum(w.delivered for w in workers) == 500, 60)
        elapsed = time.perf_counter() - began
        for worker in workers:
            await worker.stop()
        for db in replicas:
            await db.dispose()
        posts = fake.of("chat.postMessage")

    texts = Counter(call.params["text"] for call in posts)
    print(
        f"\n2 workers via SlackNotifier: 500 in {elapsed:.2f} s ({500 / elapsed:.0f}/s) "
        f"incl. a 1 s Retry-After; {len(posts)} chat.postMessage calls"
    )
    assert set(texts) == keys  # every reminder reached Slack ...
    assert len(posts) == 501 and texts.most_common(1)[0][1] == 2  # ... once, bar the 429'd try
    assert {call.params["channel"] for call in posts} == {"U1"}  # as a DM
    assert await statuses(pg_db) == {"sent": 500}
