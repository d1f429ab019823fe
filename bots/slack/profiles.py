"""The time zone and locale of a Slack user, from users.info, cached and bounded in time."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Profile:
    """What Slack tells us about a person; None where Slack hides it (e.g. Slack Connect)."""

    timezone: str | None = None
    locale: str | None = None


def _valid_zone(name: object) -> str | None:
    if not isinstance(name, str) or not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def profile_from(user: dict[str, object]) -> Profile:
    """Pure: the zone and locale of a users.info `user` object."""
    locale = user.get("locale")
    return Profile(
        _valid_zone(user.get("tz")), locale if isinstance(locale, str) and locale else None
    )


@dataclass
class Profiles:
    """users.info cached per (team, user); a slow or failing Slack gives an empty Profile."""

    ttl: float = 3600.0
    timeout: float = 1.0
    clock: Callable[[], float] = time.monotonic
    _cache: dict[tuple[str | None, str], tuple[float, Profile]] = field(default_factory=dict)

    async def lookup(self, client: AsyncWebClient, user_id: str, team_id: str | None) -> Profile:
        key = (team_id, user_id)
        hit = self._cache.get(key)
        if hit and hit[0] > self.clock():
            return hit[1]
        try:
            response = await asyncio.wait_for(
                client.users_info(user=user_id, include_locale=True), self.timeout
            )
        except (TimeoutError, SlackApiError, OSError, aiohttp.ClientError) as exc:
            # Not cached: the next request tries again.
            log.warning(
                "users.info failed; using the policy's zone", extra={"error": type(exc).__name__}
            )
            return Profile()
        profile = profile_from(response.get("user") or {})
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key] = (self.clock() + self.ttl, profile)
        return profile
