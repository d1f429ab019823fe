"""After-hours decisions, platform-neutral: adapters pass plain values, we write reminders.

Everything a decision produces is written in one transaction before the function returns, so an
adapter that awaits it before acknowledging the platform's request never loses a reminder; keys
derived from the platform's message id make a retried event a no-op. No message text is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from bots.engine.policy.compiled import Policy
from bots.engine.policy.registry import PolicySet
from bots.reminders.channels import ClientChannel
from bots.reminders.prefs import Prefs, get_prefs, many_prefs
from bots.reminders.queue import NewReminder, schedule_in
from bots.reminders.wording import clock_time, render, when
from bots.store.db import Database


@dataclass(frozen=True, slots=True)
class ClientMessageOutcome:
    """Who was told what: owners noted now, reminded later, or skipped (with the reason)."""

    noted: tuple[str, ...] = ()
    reminded: tuple[str, ...] = ()
    skipped: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LateReply:
    """A late reply was nudged; `remind_at` is what to offer ("remind me then")."""

    text: str
    remind_at: dt.datetime
    nudge_key: str


async def on_client_message(
    db: Database,
    policy: Policy,
    channel: ClientChannel,
    *,
    author_id: str,
    message_id: str,
    moment: dt.datetime,
    members: Collection[str] = (),
    languages: PolicySet | None = None,
) -> ClientMessageOutcome:
    """A client wrote in `channel` at `moment`: note each off-hours owner now, remind at start."""
    owners = await resolve_owners(db, channel, members, exclude=author_id)
    prefs = await many_prefs(db, [(channel.platform, o) for o in owners])
    noted, reminded, skipped = [], [], {}
    async with db.session() as session:
        for owner in owners:
            mine = prefs.get((channel.platform, owner), Prefs(channel.platform, owner))
            why_not = _skip_reason(policy, mine, channel.channel_id, moment)
            if why_not:
                skipped[owner] = why_not
                continue
            texts = _texts(policy, languages, mine)
            note, reminder = _client_reminders(policy, texts, channel, mine, message_id, moment)
            if not mine.snoozed_at(moment) and await schedule_in(session, note):
                noted.append(owner)
            if await schedule_in(session, reminder):
                reminded.append(owner)
    return ClientMessageOutcome(tuple(noted), tuple(reminded), skipped)


async def resolve_owners(
    db: Database, channel: ClientChannel, members: Collection[str], *, exclude: str
) -> list[str]:
    """The policy's owners of the channel, else the members present who opted in."""
    if channel.owners:
        return [o for o in channel.owners if o != exclude]
    prefs = await many_prefs(db, [(channel.platform, m) for m in members])
    return [m for m in members if m != exclude and prefs.get((channel.platform, m), _NO).opted_in]


_NO = Prefs("", "")


async def on_late_reply(
    db: Database,
    policy: Policy,
    *,
    platform: str,
    channel_id: str,
    author_id: str,
    message_id: str,
    moment: dt.datetime,
    languages: PolicySet | None = None,
    shown: bool = False,
    prefs: Prefs | None = None,
) -> LateReply | None:
    """A team member is replying outside their hours: nudge privately, offer a reminder.

    `shown=True` when the adapter puts the nudge in its own private answer (a `/nudge` report,
    a Teams result card): then no reminder row is written, or the person would see it twice.
    `prefs` are the author's preferences when the adapter has just read (or written) them.
    """
    prefs = prefs or await get_prefs(db, platform, author_id)
    if _skip_reason(policy, prefs, channel_id, moment) or prefs.snoozed_at(moment):
        return None
    zone = _zone(policy, prefs)
    start = policy.hours.next_start(moment, zone)
    texts = _texts(policy, languages, prefs)
    text = render(
        texts,
        "late_reply_nudge.j2",
        local_time=clock_time(policy.hours.local(moment, zone)),
        office_hours=policy.hours.describe(),
        next_business_start=when(start, moment, texts.language),
    )
    key = f"{platform}:{channel_id}:{message_id}:{author_id}:late"
    nudge = NewReminder(
        key,
        platform,
        author_id,
        channel_id,
        "late_reply_nudge",
        moment,
        {
            "text": text,
            "remind_at": start.isoformat(),
            "via": _beside(platform),
            "expires_at": start.isoformat(),
        },
    )
    if not shown:
        async with db.session() as session:
            await schedule_in(session, nudge)
    return LateReply(text, start, key)


async def remind_me_later(
    db: Database,
    policy: Policy,
    *,
    platform: str,
    channel_id: str,
    channel_name: str,
    user_id: str,
    message_id: str,
    moment: dt.datetime,
    languages: PolicySet | None = None,
) -> dt.datetime:
    """The person chose "remind me at the next business start": write that reminder (once)."""
    prefs = await get_prefs(db, platform, user_id)
    start = policy.hours.next_start(moment, _zone(policy, prefs))
    texts = _texts(policy, languages, prefs)
    text = render(texts, "reply_reminder.j2", channel=channel_name or channel_id)
    key = f"{platform}:{channel_id}:{message_id}:{user_id}:later"
    reminder = NewReminder(
        key, platform, user_id, channel_id, "reply_reminder", start, {"text": text}
    )
    async with db.session() as session:
        await schedule_in(session, reminder)
    return start


def _beside(platform: str) -> str:
    """Slack can whisper in the channel being written in (ephemeral); Teams cannot, so 1:1."""
    return "channel" if platform == "slack" else "dm"


def _skip_reason(policy: Policy, prefs: Prefs, channel_id: str, moment: dt.datetime) -> str:
    if prefs.muted_in(channel_id, moment):
        return "muted"
    if policy.hours.is_open(moment, _zone(policy, prefs)):
        return "in office hours"
    return ""


def _zone(policy: Policy, prefs: Prefs) -> str:
    """The owner's own zone when known, else the team's (the policy's office hours)."""
    return prefs.timezone or policy.hours.zone.key


def _texts(policy: Policy, languages: PolicySet | None, prefs: Prefs) -> Policy:
    """Whose templates speak to this person: their locale's policy if one exists, else the team's.

    Hours always come from the team's policy; only the wording follows the person.
    """
    if languages is None or not prefs.locale:
        return policy
    chosen = languages.for_language(prefs.locale)
    wanted = prefs.locale.replace("_", "-").split("-")[0].lower()
    return chosen if chosen.language == wanted else policy


def _client_reminders(
    policy: Policy,
    texts: Policy,
    channel: ClientChannel,
    prefs: Prefs,
    message_id: str,
    moment: dt.datetime,
) -> tuple[NewReminder, NewReminder]:
    zone = _zone(policy, prefs)
    start = policy.hours.next_start(moment, zone)
    values = {
        "channel": channel.name,
        "received_at": clock_time(policy.hours.local(moment, zone)),
        "office_hours": policy.hours.describe(),
        "next_business_start": when(start, moment, texts.language),
    }
    holding = render(texts, "holding_reply.j2", **values)
    note_text = render(texts, "after_hours_note.j2", holding_reply=holding, **values)
    base = f"{channel.platform}:{channel.channel_id}:{message_id}:{prefs.user_id}"
    payload = {"channel_name": channel.name, "message_id": message_id}
    note = NewReminder(
        f"{base}:note",
        channel.platform,
        prefs.user_id,
        channel.channel_id,
        "after_hours_note",
        moment,
        {**payload, "text": note_text, "holding_reply": holding, "expires_at": start.isoformat()},
    )
    answer = NewReminder(
        f"{base}:answer",
        channel.platform,
        prefs.user_id,
        channel.channel_id,
        "answer_client",
        start,
        {**payload, "text": render(texts, "answer_reminder.j2", **values)},
    )
    return note, answer
