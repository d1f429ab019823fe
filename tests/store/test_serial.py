"""SQLite transactions of one process take turns instead of sleeping in SQLite's busy handler."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import func, select

from bots.store.counts import bump_counts, counts_for
from bots.store.db import Database
from bots.store.models import DailyCount
from tests.store.conftest import pg_db, pg_url, sqlite_db, sqlite_url

__all__ = ["pg_db", "pg_url", "sqlite_db", "sqlite_url"]


async def most_at_once(db: Database, tasks: int) -> int:
    """How many sessions were open at the same moment while `tasks` ran concurrently."""
    open_now = peak = 0

    async def one() -> None:
        nonlocal open_now, peak
        async with db.session() as session:
            open_now += 1
            peak = max(peak, open_now)
            await session.execute(select(func.count()).select_from(DailyCount))
            await asyncio.sleep(0)
            open_now -= 1

    await asyncio.gather(*(one() for _ in range(tasks)))
    return peak


async def test_sqlite_sessions_take_turns(sqlite_db: Database) -> None:
    assert await most_at_once(sqlite_db, 8) == 1


@pytest.mark.postgres
async def test_postgres_sessions_run_side_by_side(pg_db: Database) -> None:
    assert await most_at_once(pg_db, 8) > 1


async def test_concurrent_writes_all_land_on_sqlite(sqlite_db: Database) -> None:
    day = dt.date(2026, 3, 2)
    await asyncio.gather(*(bump_counts(sqlite_db, day, [("r", "boundary")]) for _ in range(40)))
    assert await counts_for(sqlite_db, day) == {("r", "boundary"): 40}


async def test_a_failed_transaction_releases_its_turn(sqlite_db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with sqlite_db.session():
            raise RuntimeError("boom")
    async with asyncio.timeout(5), sqlite_db.session() as session:
        assert await session.scalar(select(func.count()).select_from(DailyCount)) == 0
