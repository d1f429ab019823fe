"""Databases for tests: an empty SQLite file at the head migration, built once per session."""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import tempfile
from pathlib import Path

from bots.store.db import Database
from bots.store.schema import upgrade


@functools.cache
def migrated_database() -> bytes:
    """The bytes of an empty SQLite database at the head migration (copy them per test)."""

    async def build(path: Path) -> None:
        db = Database(f"sqlite+aiosqlite:///{path}")
        try:
            await upgrade(db)
        finally:
            await db.dispose()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "head.sqlite3"
        with concurrent.futures.ThreadPoolExecutor(1) as pool:  # its own event loop
            pool.submit(asyncio.run, build(path)).result()
        return path.read_bytes()
