"""After-hours reminders on Slack: client messages in client channels, and late replies.

Translation only: the decisions are bots.reminders.after_hours'. The message listener awaits them
before Bolt answers Slack (process_before_response=True), so the reminder rows exist when Slack
gets its 200; a retried event writes nothing new (keys come from the event's ts).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bots.engine.policy.compiled import Policy
from bots.reminders.after_hours import (
    LateReply,
    on_client_message,
    on_late_reply,
    remind_me_later,
)
from bots.reminders.channels import ClientChannel, client_channel, is_outsider, is_shared_channel
from bots.reminders.prefs import get_prefs, set_prefs
from bots.reminders.wording import clock_time
from bots.slack.payloads import Submission, actor
from bots.slack.profiles import Profile
from bots.slack.service import SlackDeps
from bots.slack.text import BUTTON_VALUE, escape

log = logging.getLogger(__name__)
REMIND_LATER = "nudge_remind_later"
#: Message subtypes that are still a person writing (everything else: edits, joins, bots...).
PLAIN_SUBTYPES = frozenset({None, "thread_broadcast", "file_share"})


@dataclass
class ChannelFacts:
    """conversations.info (shared or not, name) cached per channel for this process."""

    ttl: float = 3600.0
    clock: Callable[[], float] = time.monotonic
    _cache: dict[str, tuple[float, bool, str]] = field(default_factory=dict)

    async def lookup(
        self, deps: SlackDeps, client: AsyncWebClient, channel_id: str
    ) -> tuple[bool, str]:
        """(shared with another organisation, name); (False, "") when Slack cannot say."""
        hit = self._cache.get(channel_id)
        if hit and hit[0] > self.clock():
            return hit[1], hit[2]
        info = await deps.call(
            "conversations.info", lambda: client.conversations_info(channel=channel_id)
        )
        if info is None:
            return False, ""  # not cached: the next message asks again
        data = info.data if isinstance(info.data, dict) else {}
        channel = data.get("channel") or {}
        facts = (is_shared_channel(data), str(channel.get("name") or ""))
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[channel_id] = (self.clock() + self.ttl, *facts)
        return facts


def moment_of(ts: str) -> dt.datetime:
    """Slack's message ts ("1755205729.376419") as an aware UTC datetime.

    Raises ValueError, OverflowError or OSError for what is not a usable time.
    """
    return dt.datetime.fromtimestamp(float(ts), dt.UTC)


def home_team(body: dict[str, Any]) -> str | None:
    """The workspace the app is installed in: the authorization's team, else the body's."""
    for auth in body.get("authorizations") or []:
        if isinstance(auth, dict) and auth.get("team_id"):
            return str(auth["team_id"])
    team = body.get("team_id")
    return str(team) if team else None


def author_team(event: dict[str, Any]) -> str | None:
    """The writer's workspace: Slack Connect events carry `user_team`, others `team`."""
    team = event.get("user_team") or event.get("team")
    return str(team) if team else None


def is_person_message(event: dict[str, Any]) -> bool:
    """A plain message from a person (not a bot, not an edit, join or other subtype)."""
    if event.get("bot_id") or event.get("bot_profile"):
        return False
    return event.get("subtype") in PLAIN_SUBTYPES and bool(event.get("user"))


def policy_of(
    deps: SlackDeps,
    team: str | None,
    channel: str | None,
    text: str = "",
    locale: str | None = None,
) -> Policy:
    """The policy the checker would pick here (team/channel cascade): its hours and owners."""
    return deps.host.policies().select(text, locale, team, channel)


async def members_of(deps: SlackDeps, client: AsyncWebClient, channel_id: str) -> list[str]:
    """The channel's members (first page); none when Slack cannot say."""
    answer = await deps.call(
        "conversations.members",
        lambda: client.conversations_members(channel=channel_id, limit=500),
    )
    members = (answer.data if answer is not None and isinstance(answer.data, dict) else {}).get(
        "members"
    )
    return [str(m) for m in members] if isinstance(members, list) else []


def register(app: AsyncApp, deps: SlackDeps, facts: ChannelFacts | None = None) -> None:
    """Attach the message listener and the "Remind me" button."""
    facts = facts or ChannelFacts()

    async def message(body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        if deps.db is None or not is_person_message(event):
            return
        if not is_outsider(author_team(event), home_team(body)):
            return
        try:
            moment = moment_of(str(event.get("ts")))
        except (ValueError, OverflowError, OSError):
            log.warning("message event without a usable ts")
            return
        policy = policy_of(deps, home_team(body), str(event.get("channel") or ""))
        channel = await _client_channel(policy, event, client)
        if channel is None:
            return
        members = () if channel.owners else await members_of(deps, client, channel.channel_id)
        outcome = await on_client_message(
            deps.db,
            policy,
            channel,
            author_id=str(event["user"]),
            message_id=str(event["ts"]),
            moment=moment,
            members=members,
            languages=deps.host.policies(),
        )
        log.info(
            "client message",
            extra={"noted": len(outcome.noted), "reminded": len(outcome.reminded)},
        )

    async def _client_channel(
        policy: Policy, event: dict[str, Any], client: AsyncWebClient
    ) -> ClientChannel | None:
        channel_id = str(event.get("channel") or "")
        if not channel_id:
            return None
        listed = client_channel(policy, "slack", channel_id)
        if listed is not None:
            return listed
        shared, name = await facts.lookup(deps, client, channel_id)
        return client_channel(
            policy, "slack", channel_id, shared=shared, name=f"#{name}" if name else ""
        )

    async def ack_only(ack: AsyncAck) -> None:
        await ack()

    async def remind_later(body: dict[str, Any], respond: AsyncRespond) -> None:
        if deps.db is None:
            return
        try:
            channel_id, name, message_id = read_later_value(_value(body))
        except ValueError:
            log.warning("malformed remind-me button value")
            return
        user_id, team_id, _ = actor(body)
        policy = policy_of(deps, team_id, channel_id)
        start = await remind_me_later(
            deps.db,
            policy,
            platform="slack",
            channel_id=channel_id,
            channel_name=name,
            user_id=user_id,
            message_id=message_id,
            moment=deps.checker.clock(),
            languages=deps.host.policies(),
        )
        zone = (await get_prefs(deps.db, "slack", user_id)).timezone or policy.hours.zone.key
        text = f"Done: Nudge will remind you at {_at(policy, start, zone)}."
        await deps.reply(respond, text=text, response_type="ephemeral", replace_original=False)

    app.event("message")(message)
    app.action(REMIND_LATER)(ack=ack_only, lazy=[remind_later])


async def late_reply(
    deps: SlackDeps,
    sub: Submission,
    message_id: str,
    profile: Profile,
    policy: Policy | None = None,
) -> tuple[LateReply, str] | None:
    """Someone runs Nudge outside their hours: nudge them; (what to say, when) or None.

    `policy` is the one the check used, when the caller has it.
    """
    if deps.db is None or not sub.channel_id:
        return None
    prefs = await get_prefs(deps.db, "slack", sub.user_id)
    if profile.timezone and not prefs.timezone:
        # Remember the zone Slack told us so the reminder rings at *their* business start.
        prefs = await set_prefs(deps.db, "slack", sub.user_id, timezone=profile.timezone)
    # The same policy the check used, so the nudge agrees with the report's after_hours.
    policy = policy or policy_of(deps, sub.team_id, sub.channel_id, sub.text, profile.locale)
    reply = await on_late_reply(
        deps.db,
        policy,
        platform="slack",
        channel_id=sub.channel_id,
        author_id=sub.user_id,
        message_id=message_id,
        moment=deps.checker.clock(),
        languages=deps.host.policies(),
        shown=True,  # it goes into the /nudge answer itself
        prefs=prefs,  # just read, or just written (a second read would go to the database)
    )
    if reply is None:
        return None
    return reply, _at(policy, reply.remind_at, prefs.timezone or policy.hours.zone.key)


def late_reply_blocks(
    reply: LateReply, at: str, channel_id: str, channel_name: str, message_id: str
) -> list[dict[str, Any]]:
    """The section appended to /nudge's answer: the nudge and a "Remind me at ..." button."""
    return [
        {"type": "divider"},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": escape(reply.text), "verbatim": True},
        },
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": REMIND_LATER,
                    "text": {"type": "plain_text", "text": f"Remind me at {at}"[:75]},
                    "value": later_value(channel_id, channel_name, message_id),
                }
            ],
        },
    ]


def later_value(channel_id: str, channel_name: str, message_id: str) -> str:
    """The button's value: where and which request; ids only, never text."""
    value = {"ch": channel_id, "n": channel_name[:80], "m": message_id}
    return json.dumps(value, separators=(",", ":"))[:BUTTON_VALUE]


def read_later_value(value: str) -> tuple[str, str, str]:
    """(channel id, channel name, message id) from the button; ValueError when malformed."""
    data = json.loads(value)
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in ("ch", "m")):
        raise ValueError("not a remind-me value")
    return data["ch"], str(data.get("n") or ""), data["m"]


def _value(body: dict[str, Any]) -> str:
    actions = body.get("actions") or [{}]
    return str(actions[0].get("value") or "")


def _at(policy: Policy, moment: dt.datetime, zone: str) -> str:
    """ "Thu 09:00" in the person's zone."""
    local = policy.hours.local(moment, zone)
    return f"{local:%a} {clock_time(local)}"
