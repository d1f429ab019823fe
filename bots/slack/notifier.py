"""Reminder delivery on Slack: a DM (chat.postMessage) or an ephemeral note in a channel."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.reminders.notify import DeliveryError, Notice
from bots.settings import Settings
from bots.slack.app import web_client

#: Errors that no retry can fix: the person, channel or install is gone or shut to us.
PERMANENT = frozenset(
    {
        "channel_not_found",
        "user_not_found",
        "account_inactive",
        "not_in_channel",
        "is_archived",
        "user_not_in_channel",
        "cannot_dm_bot",
        "messages_tab_disabled",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "missing_scope",
        "restricted_action",
        "invalid_blocks",
        "msg_too_long",
        "no_text",
    }
)


def delivery_error(exc: SlackApiError) -> DeliveryError:
    """Map a Slack API error to retryable or not, with Retry-After for rate limits."""
    error = str(exc.response.get("error", "unknown_error"))
    if exc.response.status_code == 429 or error == "ratelimited":
        retry_after = _seconds(exc.response.headers.get("Retry-After"))
        return DeliveryError(f"slack: {error}", retryable=True, retry_after=retry_after)
    return DeliveryError(f"slack: {error}", retryable=error not in PERMANENT)


def _seconds(value: Any) -> float | None:
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class SlackNotifier:
    """Implements bots.reminders.notify.Notifier for one workspace's bot token."""

    platform = "slack"

    def __init__(
        self, client: AsyncWebClient, timeout: float = 10.0, remember: int = 10_000
    ) -> None:
        self.client = client
        self.timeout = timeout
        self.remember = remember
        # Slack has no idempotency key: a resend of a key this process already delivered is
        # dropped here; the key also travels as message metadata, visible to audits.
        self._sent: OrderedDict[str, None] = OrderedDict()

    async def send(self, notice: Notice) -> None:
        """Deliver or raise DeliveryError."""
        if notice.platform != self.platform:
            raise DeliveryError(f"not a Slack notice: {notice.platform}", retryable=False)
        if notice.idempotency_key in self._sent:
            return
        blocks = (notice.card or {}).get("blocks")
        try:
            if notice.attempt > 1 and not notice.channel_id and await self._in_dm(notice):
                return  # an earlier worker posted it and died before recording that
            await asyncio.wait_for(self._post(notice, blocks), self.timeout)
        except SlackApiError as exc:
            raise delivery_error(exc) from None
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise DeliveryError(
                f"slack unreachable: {type(exc).__name__}", retryable=True
            ) from None
        self._sent[notice.idempotency_key] = None
        while len(self._sent) > self.remember:
            self._sent.popitem(last=False)

    async def _in_dm(self, notice: Notice) -> bool:
        """Whether the DM already holds a message carrying this notice's key in its metadata.

        Slack has no idempotency key, so a retried delivery looks for its first copy. Without
        the im:history scope (an older install) it cannot look and sends (at least once).
        """
        try:
            opened = await asyncio.wait_for(
                self.client.conversations_open(users=notice.user_id), self.timeout
            )
            history = await asyncio.wait_for(
                self.client.conversations_history(
                    channel=opened["channel"]["id"], limit=100, include_all_metadata=True
                ),
                self.timeout,
            )
        except SlackApiError as exc:
            if exc.response.get("error") == "missing_scope":
                return False
            raise
        messages: list[dict[str, Any]] = history.get("messages") or []
        keys = {(m.get("metadata") or {}).get("event_payload", {}).get("key") for m in messages}
        return notice.idempotency_key in keys

    async def _post(self, notice: Notice, blocks: list[dict[str, Any]] | None) -> None:
        if notice.channel_id:
            await self.client.chat_postEphemeral(
                channel=notice.channel_id, user=notice.user_id, text=notice.text, blocks=blocks
            )
            return
        await self.client.chat_postMessage(
            channel=notice.user_id,
            text=notice.text,
            blocks=blocks,
            unfurl_links=False,
            unfurl_media=False,
            metadata={
                "event_type": "nudge_reminder",
                "event_payload": {"key": notice.idempotency_key},
            },
        )


def slack_notifier(settings: Settings) -> SlackNotifier:
    """The notifier for the configured bot token, talking to SLACK_API_URL."""
    if settings.slack_bot_token is None:
        raise ValueError("the Slack notifier needs SLACK_BOT_TOKEN")
    return SlackNotifier(web_client(settings, 10.0, settings.slack_bot_token.get_secret_value()))
