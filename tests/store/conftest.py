"""Database fixtures: a migrated SQLite file per test; one throwaway PostgreSQL DB per session."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bots.store.db import Database
from tests.conftest import need
from tests.store.databases import create_pg_database, drop_pg_database, fresh, pg_reason


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    reason = pg_reason()
    need(reason is None, reason or "")
    url = create_pg_database()
    yield url
    drop_pg_database(url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'nudge.sqlite3'}"


@pytest.fixture
async def sqlite_db(sqlite_url: str) -> AsyncIterator[Database]:
    db = await fresh(sqlite_url)
    yield db
    await db.dispose()


@pytest.fixture
async def pg_db(pg_url: str) -> AsyncIterator[Database]:
    db = await fresh(pg_url)
    yield db
    await db.dispose()
