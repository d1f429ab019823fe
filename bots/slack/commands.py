"""The /nudge slash command: check a draft, help, hours, or open the modal."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bots.engine import DraftError
from bots.slack.blocks import notice_blocks, report_blocks, summary
from bots.slack.payloads import Submission, from_command
from bots.slack.service import APOLOGY, BROKEN, SlackDeps
from bots.slack.views import HELP, check_modal, hours_text

COMMAND = "/nudge"
log = logging.getLogger(__name__)


async def _ephemeral(ack: AsyncAck, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
    await ack(
        text=text,
        blocks=blocks or notice_blocks(text),
        response_type="ephemeral",
        unfurl_links=False,
        unfurl_media=False,
    )


def register(app: AsyncApp, deps: SlackDeps) -> None:
    """Attach the /nudge listeners."""

    async def nudge(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        sub = from_command(body)
        word = sub.text.strip().lower()
        if word == "help":
            await ack(
                text=HELP,
                blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": HELP}}],
                response_type="ephemeral",
            )
        elif word == "hours":
            info = await deps.home_info(client, sub.user_id, sub.team_id)
            text = hours_text(info)
            await ack(
                text=text,
                blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
                response_type="ephemeral",
            )
        else:
            await _check(ack, client, sub)

    async def _check(ack: AsyncAck, client: AsyncWebClient, sub: Submission) -> None:
        try:
            report = await deps.check(client, sub)
        except DraftError as exc:
            await _ephemeral(ack, f"Nudge can't check that: {exc}")
            return
        except Exception as exc:
            # The person must get an answer whatever broke; log the type only, as an
            # exception's message or traceback could quote the draft.
            log.error("check failed", extra={"error": type(exc).__name__})
            await _ephemeral(ack, BROKEN)
            return
        await _ephemeral(ack, summary(report), report_blocks(report, sub.text))

    async def without_text(body: dict[str, Any]) -> bool:
        return not str(body.get("text", "")).strip()

    async def ack_only(ack: AsyncAck) -> None:
        await ack()  # the modal opens from the lazy listener, after this acknowledgement

    async def open_modal(
        body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        view = check_modal(channel_id=body.get("channel_id"))
        opened = await deps.call(
            "views.open", lambda: client.views_open(trigger_id=body["trigger_id"], view=view)
        )
        if opened is None:
            await deps.reply(respond, text=APOLOGY, response_type="ephemeral")

    # Only `/nudge` alone needs a lazy listener: Bolt deep-copies the request for each one,
    # which was a third of the cost of every checked draft.
    app.command(COMMAND, matchers=[without_text])(ack=ack_only, lazy=[open_modal])
    app.command(COMMAND)(nudge)
