"""The check modal and the App Home tab, as pure functions returning Slack view payloads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bots.engine import Report
from bots.slack.blocks import modal_report_blocks
from bots.slack.payloads import CLIENT_BLOCK, DRAFT_BLOCK, INPUT_ACTION, metadata
from bots.slack.text import INPUT_VALUE, VIEW_BLOCKS, context, escape, plain, section, truncate

View = dict[str, Any]
CHECK_MODAL = "nudge_check"
HELP = (
    "*How to use Nudge*\n"
    "• `/nudge <your draft>`: check a reply before you send it; only you see the result.\n"
    "• `/nudge` alone opens a form where you can also paste the client's message.\n"
    "• On a client's message, choose *More actions → Check my reply* to check with their message "
    "as context.\n"
    "• `/nudge hours`: your office hours and your local time.\n"
    "Nudge never stores or logs what you paste."
)


def _input(
    block_id: str, label: str, value: str | None, *, optional: bool, hint: str
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": INPUT_ACTION,
        "multiline": True,
        "max_length": INPUT_VALUE,
    }
    if value:
        element["initial_value"] = truncate(value, INPUT_VALUE)
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": plain(label),
        "hint": plain(hint, 150),
        "element": element,
    }


def check_modal(
    draft: str = "",
    client_message: str | None = None,
    *,
    channel_id: str | None = None,
    report: Report | None = None,
    cut: bool = False,
) -> View:
    """The modal to write or edit a draft, optionally with the client's message; shows a report."""
    blocks: list[dict[str, Any]] = [
        _input(
            DRAFT_BLOCK, "Your draft reply", draft, optional=False, hint="Only you see the result."
        ),
        _input(
            CLIENT_BLOCK,
            "The client's message (optional)",
            client_message,
            optional=True,
            hint="Helps Nudge judge whether your reply acknowledges how they feel.",
        ),
    ]
    if cut or len(draft) > INPUT_VALUE or len(client_message or "") > INPUT_VALUE:
        blocks.append(context("Long text was cut to fit Slack's limits: paste the rest if needed."))
    if report is not None:
        blocks += modal_report_blocks(report, limit=VIEW_BLOCKS - len(blocks))
    return {
        "type": "modal",
        "callback_id": CHECK_MODAL,
        "title": plain("Nudge", 24),
        "submit": plain("Check again" if report else "Check", 24),
        "close": plain("Close", 24),
        "private_metadata": metadata(channel_id),
        "blocks": blocks,
    }


@dataclass(frozen=True, slots=True)
class HomeInfo:
    """What the App Home shows one person."""

    zone: str
    zone_from_slack: bool
    local_time: dt.datetime
    hours: str
    open_now: bool
    policy_name: str
    policy_version: str
    admin_status: Sequence[str] | None = None  # None: not an admin


def hours_text(info: HomeInfo) -> str:
    """Office hours and the person's local time, as escaped mrkdwn."""
    source = "from your Slack profile" if info.zone_from_slack else "the team's default"
    state = "inside" if info.open_now else "outside"
    return (
        f"*Your office hours:* {escape(info.hours)}\n"
        f"*Your time zone:* {escape(info.zone)} ({source})\n"
        f"*Your local time:* {info.local_time:%a %H:%M}, {state} office hours."
    )


def home_view(info: HomeInfo) -> View:
    """The App Home tab: how to use Nudge, your hours, the policy, and for admins its status."""
    blocks = [
        {"type": "header", "text": plain("Nudge", 150)},
        section(HELP),
        {"type": "divider"},
        section(hours_text(info)),
        context(f"Policy {escape(info.policy_name)} {escape(info.policy_version)}"),
    ]
    if info.admin_status is not None:
        lines = "\n".join(f"• {escape(truncate(line, 300))}" for line in info.admin_status[:8])
        blocks += [
            {"type": "divider"},
            section(truncate(f"*Policy status (admins)*\n{lines}", 3000)),
        ]
    return {"type": "home", "blocks": blocks}


#: The parts of a view Slack accepts back in views.update (the rest is read-only state).
_WRITABLE = ("type", "callback_id", "title", "submit", "close", "private_metadata", "blocks")


def mark_not_applicable(view: dict[str, Any], value: str) -> View:
    """The modal as it was, with the clicked "Not applicable" button replaced by a note."""
    fresh: View = {k: view[k] for k in _WRITABLE if view.get(k) is not None}
    blocks = []
    for block in view.get("blocks", []):
        accessory = block.get("accessory") or {}
        if accessory.get("action_id") == "nudge_not_applicable" and accessory.get("value") == value:
            block = {k: v for k, v in block.items() if k != "accessory"}
            text = dict(block["text"])
            text["text"] = truncate(text["text"] + "\n_Marked not applicable. Thanks._", 3000)
            block["text"] = text
        blocks.append(block)
    fresh["blocks"] = blocks
    return fresh
