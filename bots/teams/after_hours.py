"""After hours on Teams: client messages in client channels, late replies, "remind me later".

Translation only: which conversation, who wrote, when. The decisions (who is off hours, what to
say, when to remind) are in bots/reminders/after_hours.py. Everything is awaited inside the turn,
so reminder rows exist before Teams gets its HTTP answer. No message text is read here.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from botbuilder.schema import Activity

from bots.engine import Policy
from bots.reminders import after_hours
from bots.reminders.after_hours import LateReply
from bots.reminders.channels import ClientChannel, client_channel, is_outsider
from bots.reminders.prefs import get_prefs, set_prefs
from bots.teams.activity import conversation_type, locale_of, timezone_of, user_key
from bots.teams.replies import TeamsServices

log = logging.getLogger(__name__)
PLATFORM = "teams"
REMIND_LATER = "remind_later"
_MAX_ID = 200  # ids come back from the client in card data: bounded before use


def sender_tenant(activity: dict[str, Any]) -> str | None:
    """The sender's tenant: `from.tenantId` when Teams sends it, else `channelData.tenant.id`."""
    sender = activity.get("from") or {}
    tenant = ((activity.get("channelData") or {}).get("tenant") or {}).get("id")
    return sender.get("tenantId") or tenant or None


def home_tenant(activity: dict[str, Any], configured: str | None) -> str | None:
    """Our tenant: MICROSOFT_APP_TENANT_ID when set, else the tenant owning the conversation."""
    return configured or (activity.get("conversation") or {}).get("tenantId") or None


def channel_ids(activity: dict[str, Any]) -> list[str]:
    """Ids a policy may list a Teams conversation by: the channel, the conversation (no thread)."""
    channel = ((activity.get("channelData") or {}).get("channel") or {}).get("id")
    conversation = str((activity.get("conversation") or {}).get("id") or "")
    found = [channel, conversation.split(";", 1)[0], conversation]
    return list(dict.fromkeys(i for i in found if i))


def moment_of(turn_activity: Activity, fallback: dt.datetime) -> dt.datetime:
    """When the message was sent (`timestamp`, else `localTimestamp`), never the wall clock."""
    for value in (turn_activity.timestamp, turn_activity.local_timestamp):
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return fallback


def team_policy(services: TeamsServices, activity: dict[str, Any]) -> Policy:
    """The policy of the team and channel (no text: the client's words are not read here)."""
    team = ((activity.get("channelData") or {}).get("team") or {}).get("id")
    ids = channel_ids(activity)
    return services.checker.host.policies().select(
        "", locale_of(activity), team, ids[0] if ids else None
    )


def find_client_channel(policy: Policy, activity: dict[str, Any]) -> ClientChannel | None:
    """The conversation as a client channel listed in the policy, if it is one."""
    for channel_id in channel_ids(activity):
        found = client_channel(policy, PLATFORM, channel_id)
        if found is not None:
            return found
    return None


async def on_channel_message(
    services: TeamsServices, activity: dict[str, Any], turn_activity: Activity
) -> bool:
    """An outsider wrote in a client channel: let the reminders module note and remind owners."""
    if conversation_type(activity) == "personal":
        return False
    if not is_outsider(sender_tenant(activity), home_tenant(activity, services.home_tenant)):
        return False
    policy = team_policy(services, activity)
    channel = find_client_channel(policy, activity)
    if channel is None or not activity.get("id"):
        return False
    outcome = await after_hours.on_client_message(
        services.db,
        policy,
        channel,
        author_id=user_key(activity),
        message_id=str(activity["id"]),
        moment=moment_of(turn_activity, services.checker.clock()),
        languages=services.checker.host.policies(),
    )
    log.info(
        "teams: client message in a client channel",
        extra={"noted": len(outcome.noted), "reminded": len(outcome.reminded)},
    )
    return True


async def on_late_check(
    services: TeamsServices, activity: dict[str, Any], policy: Policy, moment: dt.datetime
) -> LateReply | None:
    """A draft checked outside office hours: record the nudge and say what to offer."""
    user = user_key(activity)
    conversation = str((activity.get("conversation") or {}).get("id") or "")
    if not user or not conversation or not activity.get("id"):
        return None
    await _learn_zone(services, user, timezone_of(activity))
    return await after_hours.on_late_reply(
        services.db,
        policy,
        platform=PLATFORM,
        channel_id=conversation,
        author_id=user,
        message_id=str(activity["id"]),
        moment=moment,
        languages=services.checker.host.policies(),
        shown=True,  # it goes onto the result card itself
    )


async def _learn_zone(services: TeamsServices, user: str, zone: str | None) -> None:
    """Teams tells us the person's zone; keep it when they have none, so reminders agree with
    the card's "outside your office hours" (which used this zone). A chosen zone is kept."""
    if not zone:
        return
    prefs = await get_prefs(services.db, PLATFORM, user)
    if not prefs.timezone:
        await set_prefs(services.db, PLATFORM, user, timezone=zone)


def remind_data(activity: dict[str, Any], late: LateReply) -> dict[str, Any]:
    """What the "Remind me" button sends back: where and which message (ids only, no text)."""
    return {
        "nudge": REMIND_LATER,
        "channel_id": str((activity.get("conversation") or {}).get("id") or ""),
        "message_id": str(activity.get("id") or ""),
        "remind_at": late.remind_at.isoformat(),
    }


async def remind_later(
    services: TeamsServices, activity: dict[str, Any], data: dict[str, Any]
) -> dt.datetime | None:
    """The person pressed "Remind me": write the reminder once; None for malformed button data."""
    user = user_key(activity)
    channel_id, message_id = _id(data.get("channel_id")), _id(data.get("message_id"))
    if not user or not channel_id or not message_id:
        return None
    return await after_hours.remind_me_later(
        services.db,
        team_policy(services, activity),
        platform=PLATFORM,
        channel_id=channel_id,
        channel_name=services.cards.word(locale_of(activity) or "en", "this_chat"),
        user_id=user,
        message_id=message_id,
        moment=services.checker.clock(),
        languages=services.checker.host.policies(),
    )


def _id(value: Any) -> str:
    return value if isinstance(value, str) and 0 < len(value) <= _MAX_ID else ""
