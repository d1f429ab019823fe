"""What the listeners share: the checker, the store, profiles, and the steps they all take."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import aiohttp
from slack_bolt.async_app import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bots.checking import Checker
from bots.engine import Draft, Policy, Report
from bots.policy_host import PolicyHost
from bots.slack.payloads import Submission
from bots.slack.profiles import Profile, Profiles
from bots.slack.views import HomeInfo
from bots.store.db import Database

log = logging.getLogger(__name__)
T = TypeVar("T")

APOLOGY = (
    "Sorry, Slack didn't answer Nudge in time, so this didn't work. Please try again in a moment."
)
BROKEN = "Sorry, something went wrong inside Nudge and your draft wasn't checked. Please try again."
#: What can go wrong talking to Slack (or a response_url) that we answer with an apology.
SLACK_FAILURES: tuple[type[BaseException], ...] = (
    SlackApiError,
    TimeoutError,
    OSError,
    aiohttp.ClientError,
)


@dataclass
class SlackDeps:
    """Everything a listener needs, built once in mount_slack."""

    checker: Checker
    host: PolicyHost
    db: Database | None
    profiles: Profiles
    admins: frozenset[str] = frozenset()
    api_timeout: float = 2.0

    async def profile(self, client: AsyncWebClient, user_id: str, team_id: str | None) -> Profile:
        return await self.profiles.lookup(client, user_id, team_id)

    async def check(
        self,
        client: AsyncWebClient,
        sub: Submission,
        profile: Profile | None = None,
        policy: Policy | None = None,
    ) -> Report:
        """Check a submission in the author's zone and language; raises DraftError.

        `policy` is `policy_for(sub, profile)` when the caller has chosen it already.
        """
        profile = profile or await self.profile(client, sub.user_id, sub.team_id)
        draft = _draft(sub, profile)
        policy = policy or self.checker.policy_for(draft)
        # Without the author's zone, judge hours in the policy's zone, not in UTC.
        draft = dataclasses.replace(draft, timezone=profile.timezone or policy.hours.zone.key)
        return self.checker.check(draft, policy)

    def policy_for(self, sub: Submission, profile: Profile) -> Policy:
        """The policy `check` uses for this submission (the team/channel cascade, the language)."""
        return self.checker.policy_for(_draft(sub, profile))

    async def home_info(
        self, client: AsyncWebClient, user_id: str, team_id: str | None
    ) -> HomeInfo:
        """The person's hours, local time and policy; admins also get the policy's status."""
        profile = await self.profile(client, user_id, team_id)
        policy = self.host.policies().for_language(profile.locale)
        zone = profile.timezone or policy.hours.zone.key
        now = self.checker.clock()
        admins = self.admins | set(policy.spec.admins)
        return HomeInfo(
            zone=zone,
            zone_from_slack=profile.timezone is not None,
            local_time=policy.hours.local(now, zone),
            hours=policy.hours.describe(),
            open_now=policy.hours.is_open(now, zone),
            policy_name=policy.name,
            policy_version=policy.version,
            admin_status=self.policy_status() if user_id in admins else None,
        )

    def policy_status(self) -> list[str]:
        """Load status lines for admins: what serves, and the last failed reload if any."""
        host = self.host
        loaded = f"{host.loaded_at:%Y-%m-%d %H:%M} UTC" if host.loaded_at else "never"
        lines = [f"Serving {host.version}, loaded {loaded}."]
        error = host.last_error
        if error is None:
            lines.append("Last reload: no errors.")
        else:
            lines.append(
                f"Last reload failed at {error.at:%Y-%m-%d %H:%M} UTC; "
                "still serving the last good policy:"
            )
            lines += list(error.errors)
        return lines

    async def call(self, what: str, action: Callable[[], Awaitable[T]]) -> T | None:
        """Run one Slack call within the time budget; None (logged, never with text) on failure."""
        try:
            return await asyncio.wait_for(action(), self.api_timeout)
        except SLACK_FAILURES as exc:
            log.warning("slack call failed", extra={"call": what, "error": _error_name(exc)})
            return None

    async def reply(self, respond: AsyncRespond, **message: Any) -> bool:
        """Post to the response_url; False (logged) when it fails or answers an error status."""
        response = await self.call("respond", lambda: respond(**message))
        if response is None or response.status_code >= 300:
            if response is not None:
                log.warning("response_url refused", extra={"status": response.status_code})
            return False
        return True


def _draft(sub: Submission, profile: Profile) -> Draft:
    return Draft(
        text=sub.text,
        client_message=sub.client_message,
        locale=profile.locale,
        author_id=sub.user_id,
        channel_id=sub.channel_id,
        team_id=sub.team_id,
    )


def _error_name(exc: BaseException) -> Any:
    if isinstance(exc, SlackApiError):
        return exc.response.get("error", "slack_error")
    return type(exc).__name__
