"""Buttons, the check modal and the shortcuts."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bots.engine import DraftError
from bots.slack.blocks import EDIT, NOT_APPLICABLE, WHY, notice_blocks, why_blocks
from bots.slack.payloads import (
    DRAFT_BLOCK,
    Submission,
    actor,
    client_message_of,
    from_view,
    read_draft_value,
    read_feedback_value,
)
from bots.slack.service import APOLOGY, BROKEN, SlackDeps
from bots.slack.text import escape
from bots.slack.views import CHECK_MODAL, check_modal, mark_not_applicable
from bots.store.feedback import record_feedback

log = logging.getLogger(__name__)
CHECK_REPLY, CHECK_DRAFT = "nudge_check_reply", "nudge_check_draft"


def _value(body: dict[str, Any]) -> str:
    actions = body.get("actions") or [{}]
    return str(actions[0].get("value") or "")


async def _apologise(
    deps: SlackDeps, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
) -> None:
    """Tell the person something failed: in place when Slack gave a response_url, else by DM."""
    if body.get("response_url") and await deps.reply(
        respond, text=APOLOGY, response_type="ephemeral", replace_original=False
    ):
        return
    user_id = actor(body)[0]
    await deps.call(
        "chat.postMessage", lambda: client.chat_postMessage(channel=user_id, text=APOLOGY)
    )


async def _open(
    deps: SlackDeps,
    body: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    view: dict[str, Any],
) -> None:
    opened = await deps.call(
        "views.open", lambda: client.views_open(trigger_id=body["trigger_id"], view=view)
    )
    if opened is None:
        await _apologise(deps, body, client, respond)


def register(app: AsyncApp, deps: SlackDeps) -> None:
    """Attach the button, modal and shortcut listeners."""

    async def ack_only(ack: AsyncAck) -> None:
        await ack()

    async def edit(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond) -> None:
        try:
            draft, client_message, cut = read_draft_value(_value(body))
        except ValueError:
            draft, client_message, cut = "", None, False
        view = check_modal(draft, client_message, channel_id=actor(body)[2], cut=cut)
        await _open(deps, body, client, respond, view)

    async def why(body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond) -> None:
        user_id, team_id, channel_id = actor(body)
        try:
            draft, client_message, _ = read_draft_value(_value(body))
            report = await deps.check(
                client, Submission(draft, client_message, user_id, team_id, channel_id)
            )
        except (ValueError, DraftError):
            blocks = notice_blocks("Nudge couldn't read that draft again; run /nudge once more.")
        else:
            blocks = why_blocks(report)
        sent = await deps.reply(
            respond,
            blocks=blocks,
            text="Why Nudge flagged this",
            response_type="ephemeral",
            replace_original=False,
            unfurl_links=False,
            unfurl_media=False,
        )
        if not sent:
            await _apologise(deps, {"user": body.get("user")}, client, respond)

    async def not_applicable(
        body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        user_id = actor(body)[0]
        try:
            rule, version = read_feedback_value(_value(body))
        except ValueError:
            log.warning("malformed feedback button value")
            return
        if deps.db is not None:
            await record_feedback(
                deps.db,
                platform="slack",
                user_id=user_id,
                rule_id=rule,
                signal="not_applicable",
                policy_version=version,
            )
        view = body.get("view")
        if isinstance(view, dict) and view.get("id"):
            fresh = mark_not_applicable(view, _value(body))
            await deps.call(
                "views.update",
                lambda: client.views_update(view_id=view["id"], hash=view.get("hash"), view=fresh),
            )
        elif body.get("response_url"):
            text = f"Thanks. Noted that `{escape(rule)}` didn't apply here; it helps tune rules."
            await deps.reply(respond, text=text, response_type="ephemeral", replace_original=False)

    async def submit(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        sub = from_view(body)
        try:
            report = await deps.check(client, sub)
        except DraftError as exc:
            await ack(response_action="errors", errors={DRAFT_BLOCK: str(exc)[:150]})
            return
        except Exception as exc:
            # Answer inside the modal whatever broke; log the type only (never the draft).
            log.error("check failed", extra={"error": type(exc).__name__})
            await ack(response_action="errors", errors={DRAFT_BLOCK: BROKEN[:150]})
            return
        view = check_modal(sub.text, sub.client_message, channel_id=sub.channel_id, report=report)
        await ack(response_action="update", view=view)

    async def check_reply(
        body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        view = check_modal("", client_message_of(body), channel_id=actor(body)[2])
        await _open(deps, body, client, respond, view)

    async def check_draft(
        body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await _open(deps, body, client, respond, check_modal())

    app.action(EDIT)(ack=ack_only, lazy=[edit])
    app.action(WHY)(ack=ack_only, lazy=[why])
    app.action(NOT_APPLICABLE)(ack=ack_only, lazy=[not_applicable])
    app.view_submission(CHECK_MODAL)(submit)
    app.message_shortcut(CHECK_REPLY)(ack=ack_only, lazy=[check_reply])
    app.global_shortcut(CHECK_DRAFT)(ack=ack_only, lazy=[check_draft])
