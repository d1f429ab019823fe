"""Preferences read per request are kept briefly in the process; writes are seen at once."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bots.reminders.prefs import Prefs, RecentPrefs, get_prefs, mute, recent_prefs, set_prefs
from bots.store.db import Database


class Ticks:
    """A monotonic clock moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def replica(sqlite_url: str, sqlite_db: Database) -> AsyncIterator[Database]:
    """Another process's handle on the same database (as a second replica would have)."""
    other = Database(sqlite_url)
    yield other
    await other.dispose()


async def test_a_recent_read_is_reused_until_it_is_older_than_the_ttl(
    sqlite_db: Database, replica: Database
) -> None:
    ticks = Ticks()
    recent_prefs(sqlite_db).clock = ticks
    await set_prefs(sqlite_db, "slack", "U1", timezone="Europe/London")
    assert (await get_prefs(sqlite_db, "slack", "U1")).timezone == "Europe/London"

    await set_prefs(replica, "slack", "U1", timezone="Asia/Tokyo")  # elsewhere: not seen yet
    assert (await get_prefs(sqlite_db, "slack", "U1")).timezone == "Europe/London"
    ticks.now += recent_prefs(sqlite_db).ttl + 1
    assert (await get_prefs(sqlite_db, "slack", "U1")).timezone == "Asia/Tokyo"


async def test_this_process_sees_its_own_write_at_once(sqlite_db: Database) -> None:
    assert await get_prefs(sqlite_db, "slack", "U2") == Prefs("slack", "U2")  # no row: defaults
    await set_prefs(sqlite_db, "slack", "U2", timezone="America/New_York", opted_in=True)
    prefs = await get_prefs(sqlite_db, "slack", "U2")
    assert prefs.timezone == "America/New_York" and prefs.opted_in


async def test_mute_reads_the_database_so_another_replicas_mute_is_not_lost(
    sqlite_db: Database, replica: Database
) -> None:
    await get_prefs(sqlite_db, "slack", "U3")  # kept here: no mutes
    await mute(replica, "slack", "U3", "C1")
    await mute(sqlite_db, "slack", "U3", "C2")
    assert set((await get_prefs(replica, "slack", "U3")).muted or {}) == {"C1", "C2"}


async def test_each_database_handle_keeps_its_own_reads(
    sqlite_db: Database, replica: Database
) -> None:
    assert recent_prefs(sqlite_db) is recent_prefs(sqlite_db)
    assert recent_prefs(sqlite_db) is not recent_prefs(replica)


def test_a_read_that_overlapped_a_write_is_not_kept() -> None:
    recent = RecentPrefs()
    before = recent.writes
    recent.forget(("slack", "U4"))  # a write started while the read was in flight
    recent.keep(Prefs("slack", "U4", timezone="Europe/Paris"), before)
    assert recent.get(("slack", "U4")) is None
    recent.keep(Prefs("slack", "U4", timezone="Europe/Paris"), recent.writes)
    assert recent.get(("slack", "U4")) == Prefs("slack", "U4", timezone="Europe/Paris")
