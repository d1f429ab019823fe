"""Slack text safety and size limits: escaping for mrkdwn, truncating and splitting."""

from __future__ import annotations

from typing import Any

#: Block Kit limits (https://api.slack.com/reference/block-kit).
SECTION_TEXT = 3000
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
BUTTON_VALUE = 2000
INPUT_VALUE = 3000
PRIVATE_METADATA = 3000
CONTEXT_TEXT = 2000
ELLIPSIS = "…"


def escape(text: str) -> str:
    """Escape &, < and > as Slack's mrkdwn requires, so text cannot mention, link or ping."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def code_safe(text: str) -> str:
    """Escaped text that cannot close a ``` code block early."""
    return escape(text).replace("```", "`\u200b``")


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, marked with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def split(text: str, limit: int) -> list[str]:
    """Cut text into pieces of at most `limit` characters, preferring line breaks."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > limit // 2 else limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    return [*pieces, text] if text or not pieces else pieces


def mrkdwn(text: str, limit: int = SECTION_TEXT) -> dict[str, Any]:
    """A mrkdwn text object for already-escaped text; verbatim so Slack adds no links itself."""
    return {"type": "mrkdwn", "text": truncate(text, limit), "verbatim": True}


def plain(text: str, limit: int = 75) -> dict[str, Any]:
    """A plain_text object (labels, buttons and titles have small limits)."""
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def section(text: str) -> dict[str, Any]:
    """A section block holding escaped mrkdwn."""
    return {"type": "section", "text": mrkdwn(text)}


def context(text: str) -> dict[str, Any]:
    """A context block holding one escaped mrkdwn element."""
    return {"type": "context", "elements": [mrkdwn(text, CONTEXT_TEXT)]}
