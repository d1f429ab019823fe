"""Which conversations are client-facing, who owns them, and whose messages are the client's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bots.engine.policy.compiled import Policy


@dataclass(frozen=True, slots=True)
class ClientChannel:
    """A client-facing conversation; `owners` empty means the opted-in members present."""

    platform: str
    channel_id: str
    name: str
    owners: tuple[str, ...]
    why: str  # "policy" | "shared"


def is_shared_channel(info: Mapping[str, Any]) -> bool:
    """Slack Connect: `is_ext_shared` (or `is_shared`) in conversations.info, or its `channel`."""
    channel = info.get("channel", info)
    if not isinstance(channel, Mapping):
        return False
    return bool(channel.get("is_ext_shared") or channel.get("is_shared"))


def client_channel(
    policy: Policy, platform: str, channel_id: str, *, shared: bool = False, name: str = ""
) -> ClientChannel | None:
    """The channel as a client channel, if the policy lists it or it is shared with outsiders."""
    for spec in policy.spec.client_channels:
        if spec.platform == platform and spec.channel == channel_id:
            return ClientChannel(
                platform, channel_id, spec.name or name or channel_id, spec.owners, "policy"
            )
    if shared:
        return ClientChannel(platform, channel_id, name or channel_id, (), "shared")
    return None


def is_outsider(author_team: str | None, home_team: str | None) -> bool:
    """An author from another workspace / tenant than ours is a client.

    Slack: the event's `user_team` vs the installation's team; Teams: the sender's tenant vs ours.
    Unknown on either side means we cannot tell, so we do not treat it as a client.
    """
    return bool(author_team and home_team and author_team != home_team)
