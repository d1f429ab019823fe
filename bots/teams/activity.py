"""Pure translation of Teams activities (as JSON-shaped dicts) into what Nudge needs."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bots.engine import Draft

Command = Literal["check", "help", "hours"]

_AT_TAG = re.compile(r"<at\b[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"<[^>]+>")
_BREAKS = re.compile(r"<\s*(br|/p|/div)\s*/?>", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """What a chat message asks for: a command and, for `check`, the draft text."""

    command: Command
    text: str = ""


def user_key(activity: dict[str, Any]) -> str:
    """The stable key of the person who sent the activity: aadObjectId, else from.id."""
    sender = activity.get("from") or {}
    return str(sender.get("aadObjectId") or sender.get("id") or "")


def conversation_type(activity: dict[str, Any]) -> str:
    """`personal`, `groupChat` or `channel` (personal when Teams leaves it out)."""
    return str((activity.get("conversation") or {}).get("conversationType") or "personal")


def _client_info(activity: dict[str, Any]) -> dict[str, Any]:
    for entity in activity.get("entities") or []:
        if isinstance(entity, dict) and entity.get("type") == "clientInfo":
            return entity
    return {}


def timezone_of(activity: dict[str, Any]) -> str | None:
    """The sender's IANA zone: `localTimezone`, else the clientInfo entity; None if unknown."""
    for zone in (activity.get("localTimezone"), _client_info(activity).get("timezone")):
        if isinstance(zone, str) and _known_zone(zone):
            return zone
    return None


def _known_zone(zone: str) -> bool:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def locale_of(activity: dict[str, Any]) -> str | None:
    """The sender's locale (e.g. `pt-BR`): the activity's `locale`, else clientInfo's."""
    for locale in (activity.get("locale"), _client_info(activity).get("locale")):
        if isinstance(locale, str) and locale.strip():
            return locale.strip()
    return None


def strip_mentions(text: str) -> str:
    """Remove `<at>…</at>` mentions (Teams puts the bot's own mention in the text)."""
    return _AT_TAG.sub("", text).strip()


def html_to_text(content: str) -> str:
    """Plain text of a Teams HTML message body (line breaks kept, mentions dropped)."""
    text = _BREAKS.sub("\n", strip_mentions(content))
    text = html.unescape(_HTML_TAG.sub("", text)).replace("\xa0", " ")
    return "\n".join(line.strip() for line in text.splitlines()).strip()


def message_text(activity: dict[str, Any]) -> str:
    """The user's words in a message activity, without the mention of the bot."""
    text = activity.get("text")
    if not isinstance(text, str):
        return ""
    return html.unescape(strip_mentions(text)).replace("\xa0", " ").strip()


def parse_chat(text: str) -> ChatRequest:
    """`help`, `hours`, `check <draft>`, or a pasted draft (checked as is)."""
    word, _, rest = text.strip().partition(" ")
    head = word.split("\n", 1)[0].lower()
    if head in ("help", "hours") and not rest.strip() and "\n" not in word:
        return ChatRequest(head)  # type: ignore[arg-type]
    if head == "check":
        remainder = text.strip()[len("check") :].strip()
        return ChatRequest("check", remainder) if remainder else ChatRequest("help")
    if not text.strip():
        return ChatRequest("help")
    return ChatRequest("check", text.strip())


def draft_from(activity: dict[str, Any], text: str, client_message: str | None = None) -> Draft:
    """A Draft with the sender's zone and locale, for the after-hours and language choices."""
    conversation = activity.get("conversation") or {}
    channel_data = activity.get("channelData") or {}
    team = channel_data.get("team") or {}
    return Draft(
        text,
        client_message=client_message or None,
        locale=locale_of(activity),
        timezone=timezone_of(activity),
        author_id=user_key(activity) or None,
        channel_id=conversation.get("id"),
        team_id=team.get("id"),
    )


def quoted_message(activity: dict[str, Any]) -> str:
    """The text of the message a message-context action was started on ('' when none)."""
    payload = (activity.get("value") or {}).get("messagePayload") or {}
    body = payload.get("body") or {}
    content = body.get("content")
    if not isinstance(content, str):
        return ""
    if body.get("contentType") == "html":
        return html_to_text(content)
    return content.strip()
