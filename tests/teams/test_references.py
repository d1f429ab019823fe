"""Saved conversation references on real SQLite and PostgreSQL: one row per (user, conversation)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select, update

from bots.store.db import Database
from bots.store.models import ConversationRef
from bots.teams.references import FRESH_SECONDS, ReferenceStore
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


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def stored_at(db: Database, conversation: str) -> Any:
    async with db.session() as session:
        row = await session.scalar(
            select(ConversationRef).where(ConversationRef.conversation_id == conversation)
        )
        return None if row is None else row.updated_at


async def age(db: Database, conversation: str) -> Any:
    """Backdate the row, so a write shows as a newer updated_at."""
    old = dt.datetime(2020, 1, 1)
    async with db.session() as session:
        await session.execute(
            update(ConversationRef)
            .where(ConversationRef.conversation_id == conversation)
            .values(updated_at=old)
        )
    return await stored_at(db, conversation)


async def test_a_fresh_unchanged_reference_is_not_written_again(sqlite_db: Database) -> None:
    clock = Clock()
    store = ReferenceStore(sqlite_db, clock=clock)
    ref = reference("a:chat", "https://s/")
    await store.save("user-1", ref, "t1")
    old = await age(sqlite_db, "a:chat")

    clock.now += FRESH_SECONDS / 2
    await store.save("user-1", ref, "t1")  # same conversation, same reference: no write
    assert await stored_at(sqlite_db, "a:chat") == old

    await store.save("user-1", reference("a:chat", "https://moved/"), "t1")  # changed: written
    assert await stored_at(sqlite_db, "a:chat") != old
    old = await age(sqlite_db, "a:chat")
    await store.save("user-1", reference("a:chat", "https://moved/"), "t2")  # new tenant too
    assert await stored_at(sqlite_db, "a:chat") != old

    old = await age(sqlite_db, "a:chat")
    clock.now += FRESH_SECONDS  # stale: the next turn refreshes the row
    await store.save("user-1", reference("a:chat", "https://moved/"), "t2")
    assert await stored_at(sqlite_db, "a:chat") != old


async def test_dropping_a_reference_forgets_that_it_was_fresh(sqlite_db: Database) -> None:
    store = ReferenceStore(sqlite_db, clock=Clock())
    ref = reference("a:chat", "https://s/")
    await store.save("user-1", ref, "t1")
    await store.drop("user-1", "a:chat")
    await store.save("user-1", ref, "t1")  # the bot was re-added: the row must come back
    assert await newest(store) == "a:chat"


async def test_another_process_is_not_outranked_for_long(sqlite_db: Database) -> None:
    """Two stores stand for two replicas; the one that did not see a turn skips at most a while."""
    clock = Clock()
    here, there = ReferenceStore(sqlite_db, clock=clock), ReferenceStore(sqlite_db, clock=clock)
    await here.save("user-1", reference("a:one", "https://s/"), "t1")
    await there.save("user-1", reference("a:two", "https://s/"), "t1")
    await here.save("user-1", reference("a:one", "https://s/"), "t1")  # fresh here: skipped
    assert await newest(here) == "a:two"
    clock.now += FRESH_SECONDS
    await here.save("user-1", reference("a:one", "https://s/"), "t1")
    assert await newest(here) == "a:one"
