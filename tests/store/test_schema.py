"""Migrations on real SQLite files and a real PostgreSQL database; the start-up schema check."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from bots.cli import main
from bots.store.admin import schema_problem
from bots.store.db import Database
from bots.store.feedback import record_feedback
from bots.store.models import Base
from bots.store.schema import (
    SchemaError,
    alembic_head,
    check_schema,
    create_if_empty,
    current_revision,
    head_revision,
    upgrade,
)
from tests.conftest import ROOT
from tests.store.databases import create_pg_database, drop_pg_database


def _diff(conn: Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(conn), Base.metadata))


async def assert_matches_models(db: Database) -> None:
    async with db.engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        diff = await conn.run_sync(_diff)
    assert set(Base.metadata.tables) <= tables
    assert diff == []  # the migration builds exactly what models.py declares


def test_the_head_the_code_expects_is_alembics_head() -> None:
    # HEAD lets a server start without Alembic; a new migration must move it too.
    assert head_revision() == alembic_head()


async def test_the_stamped_revision_reads_as_alembic_reads_it(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    assert await current_revision(db) is None
    await upgrade(db)
    async with db.engine.connect() as conn:
        alembics = await conn.run_sync(
            lambda c: MigrationContext.configure(c).get_current_revision()
        )
    assert await current_revision(db) == alembics == head_revision()
    await db.dispose()


def _ddl(conn: Connection) -> list[tuple[str, ...]]:
    rows = conn.execute(text("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    return sorted(tuple(str(v) for v in row) for row in rows)


async def test_an_empty_file_gets_the_same_schema_as_every_migration_gives(tmp_path) -> None:
    # Development builds a fresh SQLite file from models.py and stamps it, without Alembic.
    migrated = Database(f"sqlite+aiosqlite:///{tmp_path / 'migrated.sqlite3'}")
    created = Database(f"sqlite+aiosqlite:///{tmp_path / 'created.sqlite3'}")
    await upgrade(migrated)
    assert await create_if_empty(created) and not await create_if_empty(created)
    async with migrated.engine.connect() as a, created.engine.connect() as b:
        assert await a.run_sync(_ddl) == await b.run_sync(_ddl)  # the very same DDL
    assert await current_revision(created) == head_revision()
    assert await upgrade(created) == (head_revision(), head_revision())
    await check_schema(created)
    for db in (migrated, created):
        await db.dispose()


async def test_a_file_with_tables_is_migrated_not_rebuilt(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    async with db.engine.begin() as conn:
        await conn.execute(text("CREATE TABLE unrelated (x INTEGER)"))
    assert not await create_if_empty(db)
    assert await upgrade(db) == (None, head_revision())  # Alembic migrates around the table
    async with db.engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert tables >= {*Base.metadata.tables, "unrelated"}
    await db.dispose()


async def test_upgrade_builds_every_table_on_sqlite(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    with pytest.raises(SchemaError, match="no schema yet; run `nudge db upgrade`"):
        await check_schema(db)
    assert await upgrade(db) == (None, head_revision())
    assert await upgrade(db) == (head_revision(), head_revision())  # idempotent
    await check_schema(db)
    await assert_matches_models(db)
    await record_feedback(
        db, platform="slack", user_id="U1", rule_id="r", signal="not_applicable", policy_version="1"
    )
    await db.dispose()


@pytest.mark.postgres
async def test_upgrade_builds_every_table_on_postgres_even_when_replicas_race(
    pg_url: str,
) -> None:
    replicas = [Database(pg_url) for _ in range(3)]
    async with replicas[0].engine.begin() as conn:  # start from nothing in the session DB
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    results = await asyncio.gather(*(upgrade(db) for db in replicas))
    assert {after for _, after in results} == {head_revision()}
    await check_schema(replicas[0])
    await assert_matches_models(replicas[0])
    for db in replicas:
        await db.dispose()


async def test_a_database_newer_than_the_code_is_refused(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    await upgrade(db)
    async with db.engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = 'f00d'"))
    with pytest.raises(SchemaError, match="at revision f00d, newer than this code"):
        await check_schema(db)
    await db.dispose()


async def test_an_unreachable_database_is_a_clear_error() -> None:
    db = Database("postgresql+asyncpg://nudge:secret@127.0.0.1:1/nudge")
    with pytest.raises(SchemaError, match="cannot reach the database") as caught:
        await check_schema(db)
    assert "secret" not in str(caught.value)  # never echo a password
    await db.dispose()


def nudge(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The real `nudge` command in a fresh interpreter."""
    code = "import sys; from bots.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, **env},
    )


def test_nudge_db_upgrade_then_check(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "check", "--database-url", sqlite_url]) == 2
    assert "run `nudge db upgrade`" in capsys.readouterr().err
    assert main(["db", "upgrade", f"--database-url={sqlite_url}"]) == 0
    assert f"from empty to {head_revision()}" in capsys.readouterr().out
    assert main(["db", "check", "--database-url", sqlite_url]) == 0
    assert f"current (revision {head_revision()})" in capsys.readouterr().out


def test_serve_refuses_to_start_on_a_database_behind_the_code(sqlite_url: str) -> None:
    result = nudge("serve", "--port", "0", NUDGE_ENV="production", NUDGE_DATABASE_URL=sqlite_url)
    assert result.returncode == 2
    assert "nudge: cannot start: the database" in result.stderr
    assert "run `nudge db upgrade` before starting" in result.stderr


@pytest.mark.postgres
def test_development_never_migrates_postgres_implicitly(pg_url: str) -> None:
    empty = create_pg_database()  # reachable, but never migrated
    try:
        problem = schema_problem(empty, auto_upgrade=True)  # what serve does in development
        assert problem is not None and "no schema yet" in problem
        assert schema_problem(empty) == problem  # still empty: nothing was applied
    finally:
        drop_pg_database(empty)
