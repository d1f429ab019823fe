"""The next business start across daylight-saving changes, both directions, two zones.

Each case goes through the whole path: decision -> reminder row -> worker with an injected clock,
which must deliver at exactly the expected UTC instant and not a second before.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bots.reminders.after_hours import on_client_message
from bots.reminders.channels import client_channel
from bots.reminders.prefs import set_prefs
from bots.reminders.worker import Worker
from bots.store.db import Database
from tests.reminders.fakes import FakeClock, FakePlatform, HttpNotifier
from tests.reminders.policies import policy

ONE_OWNER = '[{platform: slack, channel: C1, name: "#acme", owners: [UOWN]}]'
UTC = dt.UTC


def at(zone: str, *args: int, fold: int = 0) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo(zone), fold=fold)  # type: ignore[misc]


CASES = [
    # (owner zone, client writes (local), next business start in UTC)
    (
        "Europe/London",
        at("Europe/London", 2026, 3, 27, 22, 0),
        dt.datetime(2026, 3, 30, 8, 0, tzinfo=UTC),
    ),
    (
        "Europe/London",
        at("Europe/London", 2026, 3, 29, 0, 30),
        dt.datetime(2026, 3, 30, 8, 0, tzinfo=UTC),
    ),
    (
        "Europe/London",
        at("Europe/London", 2026, 10, 23, 22, 0),
        dt.datetime(2026, 10, 26, 9, 0, tzinfo=UTC),
    ),
    (
        "Europe/London",
        at("Europe/London", 2026, 10, 25, 1, 30, fold=1),
        dt.datetime(2026, 10, 26, 9, 0, tzinfo=UTC),
    ),
    (
        "America/New_York",
        at("America/New_York", 2026, 3, 6, 22, 0),
        dt.datetime(2026, 3, 9, 13, 0, tzinfo=UTC),
    ),
    (
        "America/New_York",
        at("America/New_York", 2026, 3, 8, 3, 30),
        dt.datetime(2026, 3, 9, 13, 0, tzinfo=UTC),
    ),
    (
        "America/New_York",
        at("America/New_York", 2026, 10, 30, 22, 0),
        dt.datetime(2026, 11, 2, 14, 0, tzinfo=UTC),
    ),
    (
        "America/New_York",
        at("America/New_York", 2026, 11, 1, 1, 30, fold=0),
        dt.datetime(2026, 11, 2, 14, 0, tzinfo=UTC),
    ),
]


@pytest.mark.parametrize(("zone", "written", "expected"), CASES)
async def test_reminder_fires_at_nine_local_across_the_change(
    sqlite_db: Database,
    platform: FakePlatform,
    notifier: HttpNotifier,
    zone: str,
    written: dt.datetime,
    expected: dt.datetime,
) -> None:
    p = policy(channels=ONE_OWNER)  # team zone London; the owner's own zone wins
    await set_prefs(sqlite_db, "slack", "UOWN", timezone=zone)
    channel = client_channel(p, "slack", "C1")
    assert channel
    outcome = await on_client_message(
        sqlite_db, p, channel, author_id="UCLIENT", message_id="m", moment=written
    )
    assert outcome.reminded == ("UOWN",)
    assert expected.astimezone(ZoneInfo(zone)).time() == dt.time(9, 0)

    clock = FakeClock(written.astimezone(UTC))
    worker = Worker(sqlite_db, {"slack": notifier}, clock=clock)
    await worker.run_once()  # the note, at once
    assert list(platform.shown) == ["slack:C1:m:UOWN:note"]
    local = expected.astimezone(ZoneInfo(zone))
    day = "tomorrow" if local.date() - written.date() == dt.timedelta(days=1) else "Monday"
    assert f"remind you {day} at 09:00" in platform.shown["slack:C1:m:UOWN:note"]["text"]
    clock.now = expected - dt.timedelta(seconds=1)
    assert await worker.run_once() == 0
    clock.now = expected
    assert await worker.run_once() == 1
    assert list(platform.shown)[-1] == "slack:C1:m:UOWN:answer"
