"""Proactive delivery to Teams through a saved conversation reference (reminders use this)."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import ClientError
from botbuilder.core import BotAdapter, MessageFactory, TurnContext
from botbuilder.schema import Attachment, ConversationReference
from msrest.exceptions import ClientRequestError, HttpOperationError

from bots.reminders.notify import DeliveryError, Notice
from bots.teams.cards import CARD_CONTENT_TYPE, CardRenderer
from bots.teams.references import ReferenceStore

log = logging.getLogger(__name__)


class TeamsNotifier:
    """Sends a Notice via adapter.continue_conversation; 403 drops the reference for good."""

    platform = "teams"

    def __init__(
        self,
        adapter: BotAdapter,
        references: ReferenceStore,
        cards: CardRenderer,
        app_id: str | None,
    ) -> None:
        self.adapter = adapter
        self.references = references
        self.cards = cards
        self.app_id = app_id

    async def send(self, notice: Notice) -> None:
        """Deliver one notice; raises DeliveryError (retryable for 429, 5xx and network errors)."""
        saved = await self.references.find(notice.user_id, notice.channel_id)
        if saved is None:
            raise DeliveryError("no saved 1:1 Teams conversation for this user", retryable=False)
        reference = ConversationReference().deserialize(saved.reference)
        message = MessageFactory.attachment(
            Attachment(
                content_type=CARD_CONTENT_TYPE,
                content=notice.card or self.cards.notice(notice.text),
            )
        )
        message.summary = notice.text

        async def deliver(turn: TurnContext) -> None:
            await turn.send_activity(message)

        try:
            await self.adapter.continue_conversation(reference, deliver, self.app_id)
        except HttpOperationError as exc:
            await self._failed(saved.user_key, saved.conversation_id, exc)
        except (ClientRequestError, ClientError, OSError) as exc:
            raise DeliveryError(
                f"Bot Connector unreachable: {type(exc).__name__}", retryable=True
            ) from exc

    async def _failed(self, user: str, conversation: str, exc: HttpOperationError) -> None:
        status, retry_after = _status(exc.response)
        if status in (403, 404):
            # The bot was removed or blocked (403) or the conversation is gone (404): never retry.
            await self.references.drop(user, conversation)
            log.info("teams: dropped a conversation reference", extra={"status": status})
            raise DeliveryError(
                f"Teams refused delivery ({status}); reference dropped", retryable=False
            ) from exc
        retryable = status == 429 or status is None or status >= 500
        raise DeliveryError(
            f"Teams answered {status}", retryable=retryable, retry_after=retry_after
        ) from exc


def _status(response: Any) -> tuple[int | None, float | None]:
    """Status code and Retry-After seconds from a requests- or aiohttp-style response."""
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    headers = getattr(response, "headers", None) or {}
    raw = headers.get("Retry-After")
    try:
        retry_after = float(raw) if raw else None
    except ValueError:  # an HTTP date instead of seconds: let the caller's backoff decide
        retry_after = None
    return (int(status) if status else None), retry_after
