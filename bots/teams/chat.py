"""Chat with the bot: `check <draft>` (or a pasted draft), `help`, `hours`, card feedback."""

from __future__ import annotations

from typing import Any

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import Activity, Attachment

from bots.engine import Draft, DraftError
from bots.teams import after_hours
from bots.teams.activity import (
    conversation_type,
    draft_from,
    locale_of,
    message_text,
    parse_chat,
    timezone_of,
    user_key,
)
from bots.teams.cards import CARD_CONTENT_TYPE, Late
from bots.teams.replies import TeamsServices, as_dict


def card_message(card: dict[str, Any], text: str | None = None) -> Activity:
    """A message carrying one Adaptive Card (and a plain-text fallback for notifications)."""
    message = MessageFactory.attachment(Attachment(content_type=CARD_CONTENT_TYPE, content=card))
    message.summary = text
    return message


def mentions_bot(activity: dict[str, Any]) -> bool:
    """True when the message @mentions this bot (channels and group chats need that)."""
    bot_id = (activity.get("recipient") or {}).get("id")
    for entity in activity.get("entities") or []:
        if not isinstance(entity, dict) or entity.get("type") != "mention":
            continue
        if (entity.get("mentioned") or {}).get("id") == bot_id:
            return True
    return False


async def on_message(services: TeamsServices, turn: TurnContext) -> None:
    """Answer one chat message."""
    activity = as_dict(turn.activity)
    value = activity.get("value")
    if isinstance(value, dict) and value.get("nudge") == "not_applicable":
        await _card_feedback(services, turn, activity, value)
        return
    if isinstance(value, dict) and value.get("nudge") == after_hours.REMIND_LATER:
        await _remind_later(services, turn, activity, value)
        return
    if conversation_type(activity) != "personal":
        # A client writing in a client channel: reminders are written before Teams gets its
        # answer. The bot itself stays silent there unless mentioned.
        await after_hours.on_channel_message(services, activity, turn.activity)
        if not mentions_bot(activity):
            return  # in channels and group chats we speak only when spoken to
    request = parse_chat(message_text(activity))
    if request.command == "help":
        help_card = services.cards.help(services.bot_name, lang=locale_of(activity) or "en")
        await turn.send_activity(card_message(help_card))
    elif request.command == "hours":
        card = services.hours_card(locale_of(activity), timezone_of(activity))
        await turn.send_activity(card_message(card))
    else:
        await _check(services, turn, activity, request.text)


async def _check(
    services: TeamsServices, turn: TurnContext, activity: dict[str, Any], text: str
) -> None:
    draft = draft_from(activity, text)
    try:
        report, summary = services.check(draft)
    except DraftError as exc:
        await turn.send_activity(MessageFactory.text(str(exc)))
        return
    late = await late_offer(services, activity, draft) if report.after_hours else None
    card = services.cards.report(report, summary, late=late)
    await turn.send_activity(card_message(card, summary))


async def late_offer(
    services: TeamsServices, activity: dict[str, Any], draft: Draft
) -> Late | None:
    """Record the late-reply nudge and build the card's "Remind me at" offer (None: no offer)."""
    policy = services.checker.policy_for(draft)
    late = await after_hours.on_late_check(services, activity, policy, services.checker.clock())
    if late is None:
        return None
    return Late(late.text, late.remind_at, after_hours.remind_data(activity, late))


async def _remind_later(
    services: TeamsServices, turn: TurnContext, activity: dict[str, Any], value: dict[str, Any]
) -> None:
    at = await after_hours.remind_later(services, activity, value)
    if at is not None:
        card = services.cards.reminder_set(at, lang=locale_of(activity) or "en")
        await turn.send_activity(card_message(card))


async def _card_feedback(
    services: TeamsServices, turn: TurnContext, activity: dict[str, Any], value: dict[str, Any]
) -> None:
    rule = value.get("rule")
    if not isinstance(rule, str) or not rule:
        return
    version = value.get("policy_version")
    recorded = await services.feedback(
        user_key(activity), rule, "not_applicable", version if isinstance(version, str) else None
    )
    if recorded:
        thanks = services.cards.word(locale_of(activity) or "en", "thanks")
        await turn.send_activity(MessageFactory.text(thanks))


async def on_conversation_update(services: TeamsServices, turn: TurnContext) -> None:
    """Say hello (the help card) when someone installs the bot in a 1:1 chat; quiet elsewhere."""
    activity = as_dict(turn.activity)
    bot_id = (activity.get("recipient") or {}).get("id")
    added = [m.get("id") for m in activity.get("membersAdded") or [] if isinstance(m, dict)]
    if bot_id in added and conversation_type(activity) == "personal":
        help_card = services.cards.help(services.bot_name, lang=locale_of(activity) or "en")
        await turn.send_activity(card_message(help_card))
