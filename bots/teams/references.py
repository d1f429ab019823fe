"""Saved Teams conversation references, so reminders can reach people later."""

from __future__ import annotations

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


class ReferenceStore:
    """Upserts on every turn from a user; drops references whose conversation is gone."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def save(self, user_key: str, reference: dict[str, Any], tenant_id: str | None) -> None:
        """Insert or refresh the reference of (user, conversation).

        One INSERT ... ON CONFLICT DO UPDATE: it runs on every turn, and a read-then-write
        transaction cost several round trips and, on SQLite, held turns up behind each other.
        """
        values = {
            "service_url": str(reference.get("serviceUrl") or ""),
            "tenant_id": tenant_id,
            "reference": reference,
            "updated_at": utcnow(),  # explicit: an unchanged row must still count as newest
        }
        async with self.db.session() as session:
            insert = upsert(session, ConversationRef).values(
                user_key=user_key, conversation_id=str(reference["conversation"]["id"]), **values
            )
            await session.execute(
                insert.on_conflict_do_update(
                    index_elements=["user_key", "conversation_id"], set_=values
                )
            )

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
        async with self.db.session() as session:
            await session.execute(
                delete(ConversationRef).where(
                    ConversationRef.user_key == user_key,
                    ConversationRef.conversation_id == conversation_id,
                )
            )


def _saved(row: ConversationRef) -> SavedReference:
    conversation = row.reference.get("conversation") or {}
    personal = (conversation.get("conversationType") or "personal") == "personal"
    return SavedReference(row.user_key, row.conversation_id, personal, row.reference)
