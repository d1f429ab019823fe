"""The worker inside a real aiohttp server's lifecycle; the wall clock moved with libfaketime."""

from __future__ import annotations

import asyncio
import datetime as dt
import glob
import os
import subprocess
import sys
import time

from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import select

from bots.reminders.queue import NewReminder, schedule
from bots.reminders.service import attach_worker
from bots.reminders.worker import Worker, WorkerConfig
from bots.store.db import Database
from bots.store.models import Reminder
from tests.conftest import ROOT, need
from tests.reminders.fakes import FakeClock, FakePlatform, HttpNotifier

QUICK = WorkerConfig(poll_seconds=0.05)
LIBFAKETIME = sorted(glob.glob("/usr/lib/*/faketime/libfaketime.so.1"))


async def wait_for(condition, seconds: float = 10) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not reached within {seconds} s"
        await asyncio.sleep(0.02)


async def test_the_server_runs_the_worker_and_stops_it_cleanly(
    sqlite_db: Database, platform: FakePlatform, notifier: HttpNotifier, clock: FakeClock
) -> None:
    await schedule(
        sqlite_db,
        NewReminder("k1", "slack", "U1", "C1", "answer_client", clock.now, {"text": "hello"}),
    )
    app = web.Application()
    worker = Worker(sqlite_db, {"slack": notifier}, clock=clock, config=QUICK)
    attach_worker(app, worker)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        await wait_for(lambda: "k1" in platform.shown)
        await schedule(
            sqlite_db,
            NewReminder(
                "k2",
                "slack",
                "U1",
                "C1",
                "answer_client",
                clock.now + dt.timedelta(hours=1),
                {"text": "x"},
            ),
        )
    finally:
        await server.close()
    assert worker._task is not None and worker._task.done()  # stopped with the app
    clock.advance(hours=2)
    assert list(platform.shown) == ["k1"]  # nothing runs after shutdown


async def test_a_worker_under_libfaketime_delivers_when_its_wall_clock_reaches_the_due_time(
    sqlite_url: str, sqlite_db: Database, platform: FakePlatform
) -> None:
    need(bool(LIBFAKETIME), "libfaketime is not installed (apt-get install faketime)")
    due = dt.datetime(2026, 1, 8, 9, 0, tzinfo=dt.UTC)  # 09:00 the next business day
    await schedule(
        sqlite_db,
        NewReminder(
            "morning", "slack", "U1", "C1", "answer_client", due, {"text": "answer the client"}
        ),
    )
    # libfaketime preloaded into python itself (not the `faketime` wrapper, whose kill would
    # orphan the child): the wall clock starts at 08:59:58 and runs; monotonic stays real.
    env = {
        **os.environ,
        "LD_PRELOAD": LIBFAKETIME[0],
        "FAKETIME": "@2026-01-08 08:59:58",
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "TZ": "UTC",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.reminders.worker_main",
            "--db",
            sqlite_url,
            "--platform",
            platform.url,
            "--owner",
            "faked",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        await wait_for(lambda: "morning" in platform.shown, 20)
        row = await sent_row(sqlite_db)  # recorded just after the POST was answered
    finally:
        worker.kill()
        worker.wait()
    assert row.sent_at is not None
    sent = row.sent_at.replace(tzinfo=dt.UTC) if row.sent_at.tzinfo is None else row.sent_at
    # The worker read its (faked) wall clock each poll: delivered at 09:00, not a moment before.
    assert due <= sent < due + dt.timedelta(seconds=15)


async def sent_row(db: Database) -> Reminder:
    deadline = time.monotonic() + 10
    while True:
        async with db.session() as session:
            row = (await session.execute(select(Reminder))).scalar_one()
        if row.sent_at is not None or time.monotonic() > deadline:
            assert row.status == "sent", row.status
            return row
        await asyncio.sleep(0.05)


def test_the_app_gives_the_worker_every_platform_that_is_on(sqlite_url: str) -> None:
    from bots.policy_host import PolicyHost
    from bots.reminders.service import WORKER
    from bots.server import create_app
    from bots.settings import load_settings
    from tests.conftest import POLICIES, TEMPLATES

    host = PolicyHost(POLICIES, TEMPLATES)
    assert host.reload().ok
    settings = load_settings(
        NUDGE_ENV="development",  # Teams is on in development (the Emulator needs no app id)
        NUDGE_DATABASE_URL=sqlite_url,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="not-a-real-secret",
    )
    app = create_app(settings, host)
    assert sorted(app[WORKER].notifiers) == ["slack", "teams"]
