"""The "Check draft" message extension: fetch-task form, findings dialog, insert, feedback."""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.schema.teams import (
    MessagingExtensionActionResponse,
    MessagingExtensionAttachment,
    MessagingExtensionResult,
    TaskModuleContinueResponse,
    TaskModuleTaskInfo,
)

from bots.engine import DraftError
from bots.teams.activity import draft_from, quoted_message, user_key
from bots.teams.cards import CARD_CONTENT_TYPE
from bots.teams.replies import TeamsServices

log = logging.getLogger(__name__)
TITLE = "Nudge: check draft"


def dialog(card: dict[str, Any]) -> MessagingExtensionActionResponse:
    """Show (or replace) the dialog with this card."""
    info = TaskModuleTaskInfo(
        title=TITLE,
        height="large",
        width="large",
        card=MessagingExtensionAttachment(content_type=CARD_CONTENT_TYPE, content=card),
    )
    return MessagingExtensionActionResponse(task=TaskModuleContinueResponse(value=info))


def fetch_task(
    services: TeamsServices, activity: dict[str, Any]
) -> MessagingExtensionActionResponse:
    """The form; in message context the message acted on is prefilled as the client's message."""
    return dialog(services.cards.form(client_message=quoted_message(activity)))


async def submit_action(
    services: TeamsServices, activity: dict[str, Any], data: Any
) -> MessagingExtensionActionResponse:
    """Route a dialog button: check, insert, edit again, or not applicable."""
    data = data if isinstance(data, dict) else {}
    action = data.get("nudge") or "check"
    draft = _text(data.get("draft"))
    client = _text(data.get("client_message"))
    if action == "edit":
        return dialog(services.cards.form(draft=draft, client_message=client))
    if action == "insert":
        return await _insert(services, activity, data, draft, client)
    listed = data.get("dismissed")
    dismissed = [r for r in listed if isinstance(r, str)] if isinstance(listed, list) else []
    if action == "not_applicable" and isinstance(data.get("rule"), str):
        await services.feedback(
            user_key(activity),
            data["rule"],
            "not_applicable",
            _text(data.get("policy_version")) or None,
        )
        dismissed.append(data["rule"])
    return _findings(services, activity, draft, client, dismissed)


def _findings(
    services: TeamsServices, activity: dict[str, Any], draft: str, client: str, dismissed: list[str]
) -> MessagingExtensionActionResponse:
    try:
        report, summary = services.check(draft_from(activity, draft, client))
    except DraftError as exc:
        return dialog(services.cards.form(draft=draft, client_message=client, error=str(exc)))
    card = services.cards.report(
        report, summary, interactive=True, draft=draft, client_message=client, dismissed=dismissed
    )
    return dialog(card)


async def _insert(
    services: TeamsServices, activity: dict[str, Any], data: dict[str, Any], draft: str, client: str
) -> MessagingExtensionActionResponse:
    """Put the rewrite into the compose box (recorded as "used the rewrite" for each finding)."""
    try:
        report, _ = services.check(draft_from(activity, draft, client))
    except DraftError as exc:
        return dialog(services.cards.form(draft=draft, client_message=client, error=str(exc)))
    if not report.rewrite:
        return dialog(services.cards.form(draft=draft, client_message=client))
    for finding in report.findings:
        await services.feedback(
            user_key(activity), finding.rule, "used_rewrite", report.policy.version
        )
    card = services.cards.inserted(report.rewrite)
    result = MessagingExtensionResult(
        type="result",
        attachment_layout="list",
        attachments=[MessagingExtensionAttachment(content_type=CARD_CONTENT_TYPE, content=card)],
    )
    return MessagingExtensionActionResponse(compose_extension=result)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
