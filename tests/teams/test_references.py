"""Saved conversation references on real SQLite and PostgreSQL: one row per (user, conversation)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bots.store.db import Database
from bots.teams.references import ReferenceStore
from tests.store.conftest import pg_db, pg_url, sqlite_db, sqlite_url

__all__ = ["pg_db", "pg_url", "sqlite_db", "sqlite_url"]


def reference(conversation: str, service_url: str, kind: str = "personal") -> dict[str, Any]:
    return {
        "conversation": {"id": conversation, "conversationType": kind},
        "serviceUrl": service_url,
        "bot": {"id": "28:bot"},
    }


async def newest(store: ReferenceStore) -> str | None:
    """The conversation a reminder would go to: the user's newest personal one."""
    saved = await store.find("user-1")
    return saved.conversation_id if saved else None


async def exercise_references(db: Database) -> None:
    store = ReferenceStore(db)
    # Racing first turns (two replicas, or two messages at once) land as one row, no error.
    await asyncio.gather(
        *(store.save("user-1", reference("a:chat", f"https://s{n}/"), "t1") for n in range(5))
    )
    await store.save("user-1", reference("19:channel", "https://s/", kind="channel"), "t1")
    assert await newest(store) == "a:chat"  # the channel is not personal

    await store.save("user-1", reference("a:chat", "https://moved/"), "t2")  # a refresh updates
    saved = await store.find("user-1", "a:chat")
    assert saved is not None and saved.reference["serviceUrl"] == "https://moved/"

    await store.save("user-1", reference("a:newer", "https://s/"), "t1")
    await store.save("user-1", reference("a:chat", "https://moved/"), "t2")  # unchanged, newest
    assert await newest(store) == "a:chat"

    await store.drop("user-1", "a:chat")
    assert await newest(store) == "a:newer"


async def test_references_upsert_on_sqlite(sqlite_db: Database) -> None:
    await exercise_references(sqlite_db)


@pytest.mark.postgres
async def test_references_upsert_on_postgres(pg_db: Database) -> None:
    await exercise_references(pg_db)
