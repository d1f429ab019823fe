"""The one async-friendly doorway to the engine for every surface (CLI, page, Slack, Teams)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from bots.engine import Draft, Policy, Report, check
from bots.policy_host import PolicyHost


def wall_clock() -> dt.datetime:
    """The current time, read at the moment it is needed (never cached)."""
    return dt.datetime.now(dt.UTC)


@dataclass
class Checker:
    """Chooses the policy for a draft and checks it, reading the clock per call."""

    host: PolicyHost
    clock: Callable[[], dt.datetime] = field(default=wall_clock)

    def policy_for(self, draft: Draft) -> Policy:
        return self.host.policies().select(
            draft.text, draft.locale, draft.team_id, draft.channel_id
        )

    def check(self, draft: Draft) -> Report:
        """Raises DraftError for drafts that cannot be checked; the engine is fast enough inline."""
        return check(draft, self.policy_for(draft), now=self.clock())
