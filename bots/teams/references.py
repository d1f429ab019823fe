"""Saved Teams conversation references, so reminders can reach people later."""

from __future__ import annotations

import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select

from bots.store.db import Database, upsert
from bots.store.models import ConversationRef, utcnow


@dataclass(frozen=True, slots=True)
class SavedReference:
    """One saved reference: who, where, and the Bot Framework ConversationReference as JSON."""

    user_key: str
    conversation_id: str
    personal: bool
    reference: dict[str, Any]


#: How long a reference this process saved counts as fresh: a user's next turns in the same
#: conversation within it write nothing.
FRESH_SECONDS = 60.0
#: Users whose last save is remembered; the oldest are forgotten first.
REMEMBERED_USERS = 10_000


class ReferenceStore:
    """Upserts on a user's turns; drops references whose conversation is gone.

    Every turn used to write its reference, and on SQLite those writes queued behind each other
    (a Teams turn's p99 reached seconds at 16 concurrent). A turn in the conversation this
    process saved last for the user, with the same reference, within `FRESH_SECONDS`, writes
    nothing: the row is already right, and only its `updated_at` would move. A turn in another
    conversation always writes, so the user's newest conversation stays the one they used last
    (another replica's save in between can be outranked for at most `FRESH_SECONDS`).
    """

    def __init__(self, db: Database, clock: Callable[[], float] = time.monotonic) -> None:
        self.db = db
        self._clock = clock
        self._last: OrderedDict[str, tuple[str, str, float]] = OrderedDict()

    async def save(self, user_key: str, reference: dict[str, Any], tenant_id: str | None) -> None:
        """Insert or refresh the reference of (user, conversation), unless it is fresh.

        One INSERT ... ON CONFLICT DO UPDATE: a read-then-write transaction cost several round
        trips and, on SQLite, held turns up behind each other.
        """
        conversation_id = str(reference["conversation"]["id"])
        digest = _digest(reference, tenant_id)
        now = self._clock()
        last = self._last.get(user_key)
        if last and last[:2] == (conversation_id, digest) and now - last[2] < FRESH_SECONDS:
            return
        values = {
            "service_url": str(reference.get("serviceUrl") or ""),
            "tenant_id": tenant_id,
            "reference": reference,
            "updated_at": utcnow(),  # explicit: an unchanged row must still count as newest
        }
        async with self.db.session() as session:
            insert = upsert(session, ConversationRef).values(
                user_key=user_key, conversation_id=conversation_id, **values
            )
            await session.execute(
                insert.on_conflict_do_update(
                    index_elements=["user_key", "conversation_id"], set_=values
                )
            )
        # Remembered only once committed: a failed write is retried on the next turn.
        self._last[user_key] = (conversation_id, digest, now)
        self._last.move_to_end(user_key)
        if len(self._last) > REMEMBERED_USERS:
            self._last.popitem(last=False)

    async def find(
        self, user_key: str, conversation_id: str | None = None
    ) -> SavedReference | None:
        """The given conversation, else the user's newest 1:1 chat (never a shared one: a
        reminder is private, and a channel would show it to everyone)."""
        query = select(ConversationRef).where(ConversationRef.user_key == user_key)
        if conversation_id:
            query = query.where(ConversationRef.conversation_id == conversation_id)
        async with self.db.session() as session:
            rows = (await session.scalars(query.order_by(ConversationRef.updated_at.desc()))).all()
        saved = [_saved(row) for row in rows]
        chosen = saved if conversation_id else [s for s in saved if s.personal]
        return chosen[0] if chosen else None

    async def drop(self, user_key: str, conversation_id: str) -> None:
        """Forget a reference (the bot was removed or blocked there)."""
        if self._last.get(user_key, ("",))[0] == conversation_id:
            del self._last[user_key]
        async with self.db.session() as session:
            await session.execute(
                delete(ConversationRef).where(
                    ConversationRef.user_key == user_key,
                    ConversationRef.conversation_id == conversation_id,
                )
            )


def _digest(reference: dict[str, Any], tenant_id: str | None) -> str:
    """What the saved row holds, in short: a changed reference or tenant must be written."""
    data = json.dumps([reference, tenant_id], sort_keys=True, default=str).encode()
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _saved(row: ConversationRef) -> SavedReference:
    conversation = row.reference.get("conversation") or {}
    personal = (conversation.get("conversationType") or "personal") == "personal"
    return SavedReference(row.user_key, row.conversation_id, personal, row.reference)
