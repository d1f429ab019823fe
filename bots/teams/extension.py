"""The "Check draft" message extension: fetch-task form, findings dialog, insert, feedback."""

from __future__ import annotations

from typing import Any

from botbuilder.schema.teams import (
    MessagingExtensionActionResponse,
    MessagingExtensionAttachment,
    MessagingExtensionResult,
    TaskModuleContinueResponse,
    TaskModuleTaskInfo,
)

from bots.engine import DraftError
from bots.teams import after_hours
from bots.teams.activity import draft_from, locale_of, quoted_message, user_key
from bots.teams.cards import CARD_CONTENT_TYPE
from bots.teams.chat import late_offer
from bots.teams.replies import TeamsServices


def dialog(title: str, card: dict[str, Any]) -> MessagingExtensionActionResponse:
    """Show (or replace) the dialog with this card."""
    info = TaskModuleTaskInfo(
        title=title,
        height="large",
        width="large",
        card=MessagingExtensionAttachment(content_type=CARD_CONTENT_TYPE, content=card),
    )
    return MessagingExtensionActionResponse(task=TaskModuleContinueResponse(value=info))


def fetch_task(
    services: TeamsServices, activity: dict[str, Any]
) -> MessagingExtensionActionResponse:
    """The form; in message context the message acted on is prefilled as the client's message."""
    return _form(services, activity, "", quoted_message(activity))


async def submit_action(
    services: TeamsServices, activity: dict[str, Any], data: Any
) -> MessagingExtensionActionResponse:
    """Route a dialog button: check, insert, edit again, or not applicable."""
    data = data if isinstance(data, dict) else {}
    action = data.get("nudge") or "check"
    draft = _text(data.get("draft"))
    client = _text(data.get("client_message"))
    if action == "edit":
        return _form(services, activity, draft, client)
    if action == "insert":
        return await _insert(services, activity, draft, client)
    if action == after_hours.REMIND_LATER:
        return await _remind_later(services, activity, data)
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
    return await _findings(services, activity, draft, client, dismissed)


async def _findings(
    services: TeamsServices, activity: dict[str, Any], draft: str, client: str, dismissed: list[str]
) -> MessagingExtensionActionResponse:
    checked = draft_from(activity, draft, client)
    try:
        report, summary = services.check(checked)
    except DraftError as exc:
        return _form(services, activity, draft, client, str(exc))
    late = await late_offer(services, activity, checked) if report.after_hours else None
    card = services.cards.report(
        report,
        summary,
        interactive=True,
        draft=draft,
        client_message=client,
        dismissed=dismissed,
        late=late,
    )
    return _dialog(services, _lang(activity), card)


async def _remind_later(
    services: TeamsServices, activity: dict[str, Any], data: dict[str, Any]
) -> MessagingExtensionActionResponse:
    """ "Remind me at …" in the dialog: write the reminder and confirm in the dialog."""
    at = await after_hours.remind_later(services, activity, data)
    if at is None:
        return _form(services, activity, "", "")
    return _dialog(services, _lang(activity), services.cards.reminder_set(at, lang=_lang(activity)))


async def _insert(
    services: TeamsServices, activity: dict[str, Any], draft: str, client: str
) -> MessagingExtensionActionResponse:
    """Put the rewrite into the compose box (recorded as "used the rewrite" for each finding)."""
    try:
        report, _ = services.check(draft_from(activity, draft, client))
    except DraftError as exc:
        return _form(services, activity, draft, client, str(exc))
    if not report.rewrite:
        return _form(services, activity, draft, client)
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


def _form(
    services: TeamsServices,
    activity: dict[str, Any],
    draft: str,
    client: str,
    error: str | None = None,
) -> MessagingExtensionActionResponse:
    lang = _lang(activity)
    card = services.cards.form(draft=draft, client_message=client, error=error, lang=lang)
    return _dialog(services, lang, card)


def _dialog(
    services: TeamsServices, lang: str, card: dict[str, Any]
) -> MessagingExtensionActionResponse:
    return dialog(services.cards.word(lang, "dialog_title"), card)


def _lang(activity: dict[str, Any]) -> str:
    return locale_of(activity) or "en"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
