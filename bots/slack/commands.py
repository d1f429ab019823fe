"""The /nudge slash command: check a draft, help, hours, or open the modal."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bots.engine import DraftError, Policy, Report
from bots.slack.after_hours import late_reply, late_reply_blocks
from bots.slack.answers import ephemeral
from bots.slack.blocks import notice_blocks, report_blocks, summary
from bots.slack.payloads import Submission, from_command
from bots.slack.profiles import Profile
from bots.slack.service import APOLOGY, BROKEN, SlackDeps
from bots.slack.text import MESSAGE_BLOCKS
from bots.slack.views import HELP, check_modal, hours_text

COMMAND = "/nudge"
log = logging.getLogger(__name__)


def _ephemeral(text: str, blocks: list[dict[str, Any]] | None = None) -> BoltResponse:
    return ephemeral(text, blocks or notice_blocks(text))


class WithoutText(AsyncMiddleware):
    """Listener middleware: goes on (to the modal) only for `/nudge` with no text.

    Bolt skips a listener whose middleware does not call `next()` and returns nothing. A
    middleware object rather than a `matchers=` function: Bolt builds every injectable argument
    for each call of a matcher function, and this one runs on every `/nudge`.
    """

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse | None:
        if not str(req.body.get("text", "")).strip():
            return await next()
        return None


def register(app: AsyncApp, deps: SlackDeps) -> None:
    """Attach the /nudge listeners."""

    async def nudge(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient
    ) -> BoltResponse | None:
        """A checked draft's report is returned: Bolt sends a returned BoltResponse as the ack."""
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
            return await _check(client, sub, body)
        return None

    async def _check(client: AsyncWebClient, sub: Submission, body: dict[str, Any]) -> BoltResponse:
        try:
            # One users.info lookup serves both the check and the late-reply nudge.
            profile = await deps.profile(client, sub.user_id, sub.team_id)
            # ...and one choice of policy: choosing may mean detecting the draft's language.
            policy = deps.policy_for(sub, profile)
            report = await deps.check(client, sub, profile, policy)
        except DraftError as exc:
            return _ephemeral(f"Nudge can't check that: {exc}")
        except Exception as exc:
            # The person must get an answer whatever broke; log the type only, as an
            # exception's message or traceback could quote the draft.
            log.error("check failed", extra={"error": type(exc).__name__})
            return _ephemeral(BROKEN)
        late = await _late(sub, body, report, profile, policy)
        blocks = report_blocks(report, sub.text, limit=MESSAGE_BLOCKS - len(late)) + late
        return _ephemeral(summary(report), blocks)

    async def _late(
        sub: Submission, body: dict[str, Any], report: Report, profile: Profile, policy: Policy
    ) -> list[dict[str, Any]]:
        """Outside the author's hours: the late-reply nudge and a "Remind me" button."""
        # A slash command has no message ts; its trigger_id is unique per invocation.
        message_id = str(body.get("trigger_id") or "")
        if not report.after_hours or not sub.channel_id or not message_id:
            return []
        try:
            found = await late_reply(deps, sub, message_id, profile, policy)
        except Exception as exc:
            # The check's answer matters more than the reminder; log the type only.
            log.error("late reply failed", extra={"error": type(exc).__name__})
            return []
        if found is None:
            return []
        name = str(body.get("channel_name") or "")
        return late_reply_blocks(found[0], found[1], sub.channel_id, name, message_id)

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
    app.command(COMMAND, middleware=[WithoutText()])(ack=ack_only, lazy=[open_modal])
    app.command(COMMAND)(nudge)
