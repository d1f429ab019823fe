"""Several workers against one real PostgreSQL: sharing, a SIGKILLed worker, a database outage.

Counted at the fake platform: `shown` holds each idempotency key once (what users see);
`duplicates` counts resends of a key already shown, which the key suppresses.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bots.reminders.queue import NewReminder, schedule_in
from bots.reminders.worker import Worker, WorkerConfig, system_clock
from bots.store.db import Database
from bots.store.models import Reminder
from tests.conftest import ROOT
from tests.reminders.fakes import FakePlatform, HttpNotifier
from tests.support.tcp_proxy import Proxy

pytestmark = pytest.mark.postgres
FAST = WorkerConfig(
    batch=25, lease=dt.timedelta(seconds=2), poll_seconds=0.05, error_pause_seconds=0.2
)


async def seed(db: Database, count: int) -> set[str]:
    due = system_clock() - dt.timedelta(minutes=5)
    keys = {f"evt-{i:04d}" for i in range(count)}
    async with db.session() as session:
        for key in sorted(keys):
            await schedule_in(
                session, NewReminder(key, "slack", "U1", "C1", "answer_client", due, {"text": key})
            )
    return keys


async def statuses(db: Database) -> dict[str, int]:
    statement = select(Reminder.status, func.count()).group_by(Reminder.status)
    async with db.session() as session:
        return {s: n for s, n in (await session.execute(statement)).all()}


async def wait_for(condition, seconds: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {seconds} s")
        await asyncio.sleep(0.02)


async def test_two_workers_deliver_500_with_no_loss_and_no_duplicate(
    pg_db: Database, pg_url: str, platform: FakePlatform, notifier: HttpNotifier
) -> None:
    keys = await seed(pg_db, 500)
    replicas = [Database(pg_url), Database(pg_url)]
    workers = [
        Worker(db, {"slack": notifier}, config=FAST, owner=f"w{i}") for i, db in enumerate(replicas)
    ]
    began, cpu = time.perf_counter(), time.process_time()
    for worker in workers:
        worker.start()
    await wait_for(lambda: len(platform.shown) == 500, 60)
    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
    for worker in workers:
        await worker.stop()
    for db in replicas:
        await db.dispose()

    print(
        f"\n2 workers on PostgreSQL: 500 reminders in {elapsed:.2f} s = {500 / elapsed:.0f}/s; "
        f"per worker {[w.delivered for w in workers]}; {cpu / 500 * 1000:.2f} ms CPU per reminder "
        "(both workers and the fake platform, one process)"
    )
    assert set(platform.shown) == keys
    assert len(platform.posts) == 500  # no worker ever sent a row another had claimed
    assert all(w.delivered > 50 for w in workers)  # both shared the work
    assert await statuses(pg_db) == {"sent": 500}


async def test_a_worker_killed_mid_batch_loses_nothing(
    pg_db: Database, pg_url: str, platform: FakePlatform, notifier: HttpNotifier
) -> None:
    keys = await seed(pg_db, 300)
    platform.delay = 0.004  # slow enough that the kill lands mid-batch
    victim = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.reminders.worker_main",
            "--db",
            pg_url,
            "--platform",
            platform.url,
            "--owner",
            "victim",
            "--batch",
            "50",
            "--lease",
            "2",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ},
    )
    try:
        assert victim.stdout is not None
        assert (await asyncio.to_thread(victim.stdout.readline)).strip() == b"ready"
        survivor_db = Database(pg_url)
        survivor = Worker(survivor_db, {"slack": notifier}, config=FAST, owner="survivor")
        survivor.start()
        await wait_for(lambda: len(platform.posts) >= 60, 30)
        victim.send_signal(signal.SIGKILL)
        assert victim.wait(timeout=10) == -signal.SIGKILL
        orphaned = await leased_by(pg_db, "victim")
        await wait_for(lambda: len(platform.shown) == 300, 30)
        await survivor.stop()
        await survivor_db.dispose()
    finally:
        if victim.poll() is None:
            victim.kill()
            victim.wait()
        if victim.stdout is not None:
            victim.stdout.close()

    print(
        f"\nSIGKILL: victim held {orphaned} leased rows at death; all 300 shown once; "
        f"{platform.duplicates} resend(s) suppressed by idempotency key"
    )
    assert orphaned > 0  # the kill really landed mid-batch
    assert set(platform.shown) == keys
    # At most one resend per delivery that was in flight when the process died.
    assert platform.duplicates <= WorkerConfig().concurrency
    assert await statuses(pg_db) == {"sent": 300}


async def leased_by(db: Database, owner: str) -> int:
    statement = select(func.count()).where(
        Reminder.lease_owner == owner, Reminder.status == "leased"
    )
    async with db.session() as session:
        return int((await session.execute(statement)).scalar_one())


async def test_the_database_going_away_and_back_loses_nothing(
    pg_db: Database,
    pg_url: str,
    platform: FakePlatform,
    notifier: HttpNotifier,
    caplog: pytest.LogCaptureFixture,
) -> None:
    keys = await seed(pg_db, 300)
    real = make_url(pg_url)
    proxy = Proxy(real.host or "127.0.0.1", real.port or 5432)
    await proxy.start()
    via = real.set(host="127.0.0.1", port=proxy.port)
    proxied = Database(via.render_as_string(hide_password=False))
    platform.delay = 0.003
    worker = Worker(proxied, {"slack": notifier}, config=FAST, owner="w")
    caplog.set_level(logging.WARNING, logger="bots.reminders.worker")
    worker.start()
    try:
        await wait_for(lambda: len(platform.shown) >= 80, 30)
        await proxy.cut()  # every connection dropped; new ones refused
        during = len(platform.shown)
        await asyncio.sleep(1.5)
        stalled = len(platform.shown) - during
        await proxy.restore()  # the same port again
        await wait_for(lambda: len(platform.shown) == 300, 30)
    finally:
        await worker.stop()
        await proxied.dispose()
        await proxy.cut()

    failures = [r for r in caplog.records if r.getMessage() == "reminder batch failed; retrying"]
    print(
        f"\noutage: {len(failures)} failed batches and {stalled} new POST(s) while the database "
        f"was away; all 300 shown once; {platform.duplicates} resend(s) suppressed by the key"
    )
    assert failures  # the worker really saw the database go away ...
    # ... and stopped sending: only deliveries already under way (at most `concurrency` at a
    # time, and none starts once a settle fails and cancels the batch) can land meanwhile.
    assert stalled <= 2 * FAST.concurrency
    assert set(platform.shown) == keys
    assert await statuses(pg_db) == {"sent": 300}
