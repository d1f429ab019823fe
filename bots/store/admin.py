"""`nudge db ...` and the start-up check, as synchronous entry points around bots.store.schema."""

from __future__ import annotations

import asyncio
import sys

from sqlalchemy.engine import make_url

from bots.store.db import Database
from bots.store.schema import (
    SchemaError,
    check_schema,
    create_if_empty,
    head_revision,
    upgrade,
)


def db_upgrade(url: str) -> int:
    """Apply every pending migration; print what changed. Exit status 0, or 2 on failure."""
    try:
        before, after = asyncio.run(_upgrade(url))
    except Exception as exc:  # the operator needs the reason, not a traceback
        print(f"nudge: error: upgrade failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    where = make_url(url).render_as_string(hide_password=True)
    if before == after:
        print(f"database {where} is already at revision {after}")
    else:
        print(f"database {where} upgraded from {before or 'empty'} to {after}")
    return 0


def db_check(url: str) -> int:
    """Exit 0 when the schema matches this code, else 2 with the reason."""
    problem = schema_problem(url)
    if problem:
        print(f"nudge: {problem}", file=sys.stderr)
        return 2
    print(f"database schema is current (revision {head_revision()})")
    return 0


def schema_problem(url: str, *, auto_upgrade: bool = False) -> str | None:
    """Why the server must not start on this database, or None when it may.

    `auto_upgrade` (development on SQLite only) applies migrations first (on an empty file it
    builds the schema directly), so a fresh checkout serves the playground without a separate
    step; production never migrates implicitly.
    """
    try:
        asyncio.run(_check(url, auto_upgrade))
    except SchemaError as exc:
        return str(exc)
    return None


async def _upgrade(url: str) -> tuple[str | None, str | None]:
    db = Database(url)
    try:
        return await upgrade(db)
    finally:
        await db.dispose()


async def _check(url: str, auto_upgrade: bool) -> None:
    db = Database(url)
    try:
        if auto_upgrade and db.is_sqlite and not await create_if_empty(db):
            await upgrade(db)
        await check_schema(db)
    finally:
        await db.dispose()
