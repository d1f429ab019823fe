"""Pure translations of Slack payloads into what the checker needs, and back into button values."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from bots.slack.text import BUTTON_VALUE, PRIVATE_METADATA

# Block and action ids of the check modal's inputs.
DRAFT_BLOCK, CLIENT_BLOCK, INPUT_ACTION = "draft", "client", "text"


@dataclass(frozen=True, slots=True)
class Submission:
    """What someone asked Nudge to check, with who and where."""

    text: str
    client_message: str | None
    user_id: str
    team_id: str | None
    channel_id: str | None


def _compact(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def draft_value(text: str, client_message: str | None, limit: int = BUTTON_VALUE) -> str:
    """A button value that carries the draft (and client message) back to us, within `limit`.

    Ephemeral messages are not echoed in block_actions payloads, so the button has to carry them.
    """
    client = client_message or ""
    value = _compact({"d": text, "c": client})
    while len(value) > limit:
        excess = len(value) - limit + 1
        if client:
            client = client[: max(0, len(client) - excess)]
        else:
            text = text[: max(0, len(text) - excess)]
        value = _compact({"d": text, "c": client, "cut": 1})
    return value


def read_draft_value(value: str) -> tuple[str, str | None, bool]:
    """(draft, client message, was cut) from a button value; ValueError when malformed."""
    data = json.loads(value)
    if not isinstance(data, dict) or not isinstance(data.get("d"), str):
        raise ValueError("not a draft value")
    client = data.get("c")
    return data["d"], client if isinstance(client, str) and client else None, bool(data.get("cut"))


@functools.lru_cache(maxsize=4096)
def feedback_value(rule: str, policy_version: str) -> str:
    """The value of a finding's "Not applicable" button (ids only: the same few, so kept)."""
    return _compact({"r": rule, "v": policy_version})[:BUTTON_VALUE]


def read_feedback_value(value: str) -> tuple[str, str]:
    """(rule id, policy version) from a "Not applicable" button; ValueError when malformed."""
    data = json.loads(value)
    if not isinstance(data, dict) or not isinstance(data.get("r"), str):
        raise ValueError("not a feedback value")
    return data["r"][:80], str(data.get("v", ""))[:80]  # the feedback table's column sizes


def metadata(channel_id: str | None) -> str:
    """private_metadata for the modal: only where it was opened from, never text."""
    return _compact({"ch": channel_id})[:PRIVATE_METADATA]


def read_metadata(raw: str | None) -> str | None:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return None
    return data.get("ch") if isinstance(data, dict) else None


def from_command(body: dict[str, Any]) -> Submission:
    """A slash command's text as a draft (no client context)."""
    return Submission(
        text=body.get("text", ""),
        client_message=None,
        user_id=body.get("user_id", ""),
        team_id=body.get("team_id"),
        channel_id=body.get("channel_id"),
    )


def _user(body: dict[str, Any]) -> tuple[str, str | None]:
    user = body.get("user") or {}
    team = (body.get("team") or {}).get("id") or user.get("team_id")
    return user.get("id", ""), team


def from_view(body: dict[str, Any]) -> Submission:
    """The modal's inputs as a draft with optional client context."""
    view = body.get("view") or {}
    values = (view.get("state") or {}).get("values") or {}

    def field(block: str) -> str | None:
        value = (values.get(block) or {}).get(INPUT_ACTION, {}).get("value")
        return value if isinstance(value, str) and value.strip() else None

    user_id, team_id = _user(body)
    return Submission(
        text=field(DRAFT_BLOCK) or "",
        client_message=field(CLIENT_BLOCK),
        user_id=user_id,
        team_id=team_id,
        channel_id=read_metadata(view.get("private_metadata")),
    )


def client_message_of(body: dict[str, Any]) -> str | None:
    """The text of the message a message shortcut was used on."""
    text = (body.get("message") or {}).get("text")
    return text if isinstance(text, str) and text.strip() else None


def actor(body: dict[str, Any]) -> tuple[str, str | None, str | None]:
    """(user id, team id, channel id) of an interaction payload."""
    user_id, team_id = _user(body)
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    return user_id, team_id, channel
