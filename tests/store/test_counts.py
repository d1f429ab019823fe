"""Daily counts and adopting a pre-migration database, on real SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bots.store.counts import bump_counts, counts_for
from bots.store.db import Database
from bots.store.models import Base, ConversationRef, RuleFeedback
from bots.store.schema import check_schema, upgrade
from tests.store.test_schema import assert_matches_models

DAY = dt.date(2026, 1, 7)


async def exercise_counts(db: Database) -> None:
    fired = [("promise.asap", "overpromise"), ("hours.late", "after_hours")]
    await asyncio.gather(*(bump_counts(db, DAY, fired) for _ in range(5)))  # racing replicas
    await bump_counts(db, DAY, [("promise.asap", "overpromise")])
    await bump_counts(db, DAY + dt.timedelta(days=1), [("hours.late", "after_hours")])
    assert await counts_for(db, DAY) == {
        ("promise.asap", "overpromise"): 6,
        ("hours.late", "after_hours"): 5,
    }


async def test_counts_add_up_on_sqlite(sqlite_db: Database) -> None:
    await exercise_counts(sqlite_db)


@pytest.mark.postgres
async def test_counts_add_up_on_postgres(pg_db: Database) -> None:
    await exercise_counts(pg_db)


async def test_upgrade_adopts_tables_create_all_made_before_migrations(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    tables = [Base.metadata.tables[m.__tablename__] for m in (ConversationRef, RuleFeedback)]
    async with db.engine.begin() as conn:  # what an adapter did before migrations existed
        await conn.run_sync(Base.metadata.create_all, tables=tables)
    await upgrade(db)
    await check_schema(db)
    await assert_matches_models(db)
    await db.dispose()
