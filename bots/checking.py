"""The one async-friendly doorway to the engine for every surface (CLI, page, Slack, Teams)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bots import metrics
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
    #: called with every report (e.g. the admin tally of findings); must be quick and not raise
    observers: list[Callable[[Report], None]] = field(default_factory=list)

    def policy_for(self, draft: Draft) -> Policy:
        policies = self.host.policies()
        return policies.select(draft.text, draft.locale, draft.team_id, draft.channel_id)

    def check(self, draft: Draft, policy: Policy | None = None) -> Report:
        """Raises DraftError for drafts that cannot be checked; the engine is fast enough inline.

        `policy` is `policy_for(draft)` when the caller has chosen it already.
        """
        policy, now = policy or self.policy_for(draft), self.clock()
        started = time.perf_counter()
        report = check(draft, policy, now=now)
        metrics.record_check(report, time.perf_counter() - started)
        for observe in self.observers:
            observe(report)
        return report
