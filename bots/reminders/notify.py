"""The small interface every platform adapter implements so reminders can reach people."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Notice:
    """A private message for one person (rendered from templates by the caller)."""

    platform: str  # "slack" | "teams"
    user_id: str  # Slack user id, or Teams user key (aadObjectId, else from.id)
    channel_id: str | None
    text: str
    idempotency_key: str
    card: dict[str, Any] | None = None  # {"blocks": [...]} for Slack, an Adaptive Card for Teams
    #: 1 on the first try; more when an earlier try may have reached the person (a worker died
    #: after sending, before recording it), so a notifier that can look should check first.
    attempt: int = 1


class DeliveryError(Exception):
    """Delivery failed; `retryable` says whether trying later can help."""

    def __init__(self, message: str, *, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


class Notifier(Protocol):
    """Sends a Notice on one platform; raises DeliveryError."""

    platform: str

    async def send(self, notice: Notice) -> None: ...
