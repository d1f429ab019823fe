"""The delivery worker on a real SQLite file against a fake platform over loopback HTTP."""

from __future__ import annotations

import asyncio
import datetime as dt

from prometheus_client import REGISTRY
from sqlalchemy import select

from bots.reminders.queue import NewReminder, schedule
from bots.reminders.worker import Worker, WorkerConfig
from bots.store.db import Database
from bots.store.models import Reminder
from tests.reminders.fakes import FakeClock, FakePlatform, HttpNotifier, Reply

CONFIG = WorkerConfig(batch=10, max_attempts=3, base_backoff=dt.timedelta(seconds=5))


def counted(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(f"nudge_reminders_{name}_total", labels) or 0.0


def reminder(key: str, due: dt.datetime, user: str = "U1", channel: str = "C1") -> NewReminder:
    return NewReminder(key, "slack", user, channel, "answer_client", due, {"text": f"note {key}"})


async def rows(db: Database) -> dict[str, Reminder]:
    async with db.session() as session:
        found = (await session.execute(select(Reminder))).scalars().all()
    return {r.idempotency_key: r for r in found}


async def test_delivers_only_what_is_due_by_the_injected_clock(
    sqlite_db: Database, platform: FakePlatform, notifier: HttpNotifier, clock: FakeClock
) -> None:
    await schedule(sqlite_db, reminder("now", clock.now))
    await schedule(sqlite_db, reminder("later", clock.now + dt.timedelta(hours=13)))
    worker = Worker(sqlite_db, {"slack": notifier}, clock=clock, config=CONFIG)
    sent = counted("sent", platform="slack")

    assert await worker.run_once() == 1
    assert counted("sent", platform="slack") == sent + 1  # exported on /metrics
    assert await worker.run_once() == 0
    assert list(platform.shown) == ["now"]
    clock.advance(hours=13)
    assert await worker.run_once() == 1
    assert list(platform.shown) == ["now", "later"]
    assert platform.shown["later"]["text"] == "note later"
    stored = await rows(sqlite_db)
    assert {r.status for r in stored.values()} == {"sent"}
    assert all(r.lease_owner is None for r in stored.values())


async def test_a_retried_event_schedules_once(sqlite_db: Database, clock: FakeClock) -> None:
    assert await schedule(sqlite_db, reminder("evt-1", clock.now)) is True
    assert await schedule(sqlite_db, reminder("evt-1", clock.now)) is False
    assert len(await rows(sqlite_db)) == 1


async def test_rate_limit_waits_at_least_retry_after(
    sqlite_db: Database, platform: FakePlatform, notifier: HttpNotifier, clock: FakeClock
) -> None:
    await schedule(sqlite_db, reminder("r", clock.now))
    platform.replies = [Reply(429, {"Retry-After": "30"})]
    worker = Worker(sqlite_db, {"slack": notifier}, clock=clock, config=CONFIG)

    await worker.run_once()
    row = (await rows(sqlite_db))["r"]
    assert row.status == "pending" and row.last_error == "rate limited"
    clock.advance(seconds=29)
    assert await worker.run_once() == 0  # base backoff (5 s) is shorter: retry_after wins
    clock.advance(seconds=2)
    assert await worker.run_once() == 1
    assert list(platform.shown) == ["r"] and len(platform.posts) == 2
    assert (await rows(sqlite_db))["r"].status == "sent"


async def test_gives_up_after_the_limit_and_records_why(
    sqlite_db: Database, platform: FakePlatform, notifier: HttpNotifier, clock: FakeClock
) -> None:
    await schedule(sqlite_db, reminder("r", clock.now))
    platform.replies = [Reply(503)] * 10
    worker = Worker(sqlite_db, {"slack": notifier}, clock=clock, config=CONFIG)
    waits = []
    for _ in range(6):
        await worker.run_once()
        row = (await rows(sqlite_db))["r"]
        if row.status != "pending":
            break
        waits.append(row.due_at.replace(tzinfo=dt.UTC) - clock.now)
        clock.advance(hours=1)

    assert waits == [dt.timedelta(seconds=5), dt.timedelta(seconds=10)]  # exponential
    assert row.status == "failed" and row.last_error == "server error 503"
    assert len(platform.posts) == CONFIG.max_attempts and not platform.shown


async def test_a_hung_platform_times_out_and_is_retried(
    sqlite_db: Database, platform: FakePlatform, notifier: HttpNotifier, clock: FakeClock
) -> None:
    await schedule(sqlite_db, reminder("r", clock.now))
    platform.delay = 1.0
    config = WorkerConfig(send_timeout_seconds=0.1)
    await Worker(sqlite_db, {"slack": notifier}, clock=clock, config=config).run_once()
    row = (await rows(sqlite_db))["r"]
    assert (row.status, row.last_error) == ("pending", "timed out waiting for the platform")
    assert row.due_at.replace(tzinfo=dt.UTC) == clock.now + config.base_backoff


async def test_a_rejected_notice_fails_at_once(
    sqlite_db: Database, platform: FakePlatform, notifier: HttpNotifier, clock: FakeClock
) -> None:
    await schedule(sqlite_db, reminder("r", clock.now))
    platform.replies = [Reply(400)]
    failed = counted("failed", platform="slack", retryable="false")
    await Worker(sqlite_db, {"slack": notifier}, clock=clock, config=CONFIG).run_once()
    row = (await rows(sqlite_db))["r"]
    assert (row.status, row.last_error, len(platform.posts)) == ("failed", "rejected 400", 1)
    assert counted("failed", platform="slack", retryable="false") == failed + 1


async def test_a_platform_without_notifier_fails_clearly(
    sqlite_db: Database, clock: FakeClock
) -> None:
    await schedule(sqlite_db, reminder("r", clock.now))
    await Worker(sqlite_db, {}, clock=clock, config=CONFIG).run_once()
    row = (await rows(sqlite_db))["r"]
    assert (row.status, row.last_error) == ("failed", "no notifier for slack")


async def test_an_expired_lease_passes_to_another_worker_and_fences_the_first(
    sqlite_db: Database, platform: FakePlatform, notifier: HttpNotifier, clock: FakeClock
) -> None:
    from bots.reminders import queue

    await schedule(sqlite_db, reminder("r", clock.now))
    lease = dt.timedelta(seconds=60)
    first = await queue.claim(sqlite_db, "dead", clock.now, limit=5, lease=lease)
    assert [r.idempotency_key for r in first] == ["r"]
    assert await queue.claim(sqlite_db, "b", clock.now, limit=5, lease=lease) == []
    clock.advance(seconds=61)
    worker = Worker(sqlite_db, {"slack": notifier}, clock=clock, config=CONFIG, owner="b")
    assert await worker.run_once() == 1
    assert await queue.mark_sent(sqlite_db, "dead", first[0].id, clock.now) is False
    row = (await rows(sqlite_db))["r"]
    assert (row.status, row.attempts, list(platform.shown)) == ("sent", 2, ["r"])


async def test_stop_finishes_the_deliveries_in_flight_and_releases_the_rest(
    sqlite_db: Database, platform: FakePlatform, notifier: HttpNotifier, clock: FakeClock
) -> None:
    for i in range(10):
        await schedule(sqlite_db, reminder(f"r{i}", clock.now + dt.timedelta(seconds=i)))
    clock.advance(minutes=1)
    platform.delay = 0.2
    worker = Worker(sqlite_db, {"slack": notifier}, clock=clock, config=CONFIG)
    worker.start()
    while not platform.posts:
        await asyncio.sleep(0.01)
    await worker.stop()

    stored = await rows(sqlite_db)
    sent = {k for k, r in stored.items() if r.status == "sent"}
    assert sent == set(platform.shown) == {f"r{i}" for i in range(CONFIG.concurrency)}
    rest = [r for k, r in stored.items() if k not in sent]
    assert len(rest) == 10 - CONFIG.concurrency
    assert {(r.status, r.lease_owner, r.attempts) for r in rest} == {("pending", None, 0)}


async def test_two_workers_share_one_sqlite_file_without_duplicates(
    sqlite_db: Database,
    sqlite_url: str,
    platform: FakePlatform,
    notifier: HttpNotifier,
    clock: FakeClock,
) -> None:
    from bots.reminders.queue import schedule_in

    async with sqlite_db.session() as session:
        for i in range(200):
            await schedule_in(session, reminder(f"r{i:03d}", clock.now))
    replicas = [Database(sqlite_url), Database(sqlite_url)]
    workers = [Worker(db, {"slack": notifier}, clock=clock, config=CONFIG) for db in replicas]
    while len(platform.shown) < 200:
        handled = await asyncio.gather(*(w.run_once() for w in workers))
        assert sum(handled) > 0
    for db in replicas:
        await db.dispose()
    assert len(platform.posts) == 200  # the single-statement claim never hands a row out twice
    assert all(w.delivered > 0 for w in workers)
    assert {r.status for r in (await rows(sqlite_db)).values()} == {"sent"}
