"""Real databases for tests: SQLite files, and a throwaway PostgreSQL database per session."""

from __future__ import annotations

import asyncio
import os
import uuid

import asyncpg

from bots.store.db import Database
from bots.store.schema import upgrade

#: The admin connection used to create and drop throwaway databases.
PG_ADMIN = os.environ.get("NUDGE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
TABLES = (
    "reminders",
    "user_prefs",
    "rule_feedback",
    "daily_counts",
    "slack_installations",
    "slack_oauth_states",
    "teams_conversations",
)


def pg_reason() -> str | None:
    """None when PostgreSQL answers; else why not (the skip reason)."""
    try:
        asyncio.run(_ping())
    except Exception as exc:
        return f"PostgreSQL not reachable at {PG_ADMIN}: {type(exc).__name__}: {exc}"
    return None


async def _ping() -> None:
    conn = await asyncpg.connect(PG_ADMIN, timeout=3)
    await conn.close()


def create_pg_database() -> str:
    """Create `nudge_test_<random>` and return its SQLAlchemy URL."""
    name = f"nudge_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{base}/{name}"


def drop_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN, timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def fresh(url: str) -> Database:
    """A migrated database with every table emptied."""
    db = Database(url)
    await upgrade(db)
    async with db.engine.begin() as conn:
        for table in TABLES:
            await conn.exec_driver_sql(f"DELETE FROM {table}")
    return db
