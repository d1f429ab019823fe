"""Turn "Not applicable" / "used the rewrite" signals into per-rule rates, and spot noisy rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from bots.admin.counts import SHADOW
from bots.store.db import Database
from bots.store.models import DailyCount, RuleFeedback

DISMISSAL_THRESHOLD = 0.3
MIN_SAMPLE = 20


@dataclass(frozen=True, slots=True)
class RuleStats:
    """How people received one rule's findings over a period."""

    rule: str
    shown: int
    dismissed: int
    accepted: int
    shadow: int
    noisy: bool

    @property
    def sample(self) -> int:
        """Times the rule was shown; feedback can outnumber counts when counting started late."""
        return max(self.shown, self.dismissed + self.accepted)

    @property
    def dismissal_rate(self) -> float:
        return self.dismissed / self.sample if self.sample else 0.0

    @property
    def acceptance_rate(self) -> float:
        return self.accepted / self.sample if self.sample else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule, "shown": self.shown, "shadow": self.shadow,
            "dismissed": self.dismissed, "accepted": self.accepted,
            "dismissal_rate": round(self.dismissal_rate, 4),
            "acceptance_rate": round(self.acceptance_rate, 4), "noisy": self.noisy,
        }  # fmt: skip


def is_noisy(dismissed: int, sample: int, threshold: float, min_sample: int) -> bool:
    """Noisy: enough evidence (`min_sample`) and a dismissal rate above `threshold`."""
    return sample >= min_sample and sample > 0 and dismissed / sample > threshold


async def rule_stats(
    db: Database,
    since: dt.date,
    *,
    threshold: float = DISMISSAL_THRESHOLD,
    min_sample: int = MIN_SAMPLE,
) -> list[RuleStats]:
    """Per-rule shown/shadow counts and feedback since `since`, worst dismissal rate first."""
    shown, shadow = await _counts(db, since)
    signals = await _signals(db, since)
    rules = sorted(set(shown) | set(shadow) | {rule for rule, _ in signals})
    out = []
    for rule in rules:
        dismissed = signals.get((rule, "not_applicable"), 0)
        accepted = signals.get((rule, "used_rewrite"), 0)
        stats = RuleStats(rule, shown.get(rule, 0), dismissed, accepted, shadow.get(rule, 0), False)
        noisy = is_noisy(dismissed, stats.sample, threshold, min_sample)
        out.append(RuleStats(rule, stats.shown, dismissed, accepted, stats.shadow, noisy))
    return sorted(out, key=lambda s: (-s.dismissal_rate, s.rule))


async def _counts(db: Database, since: dt.date) -> tuple[dict[str, int], dict[str, int]]:
    query = (
        select(DailyCount.rule_id, DailyCount.category, func.sum(DailyCount.count))
        .where(DailyCount.day >= since, DailyCount.rule_id != "_drafts")
        .group_by(DailyCount.rule_id, DailyCount.category)
    )
    shown: dict[str, int] = {}
    shadow: dict[str, int] = {}
    async with db.session() as session:
        for rule, category, total in await session.execute(query):
            target = shadow if category == SHADOW else shown
            target[rule] = target.get(rule, 0) + int(total or 0)
    return shown, shadow


async def _signals(db: Database, since: dt.date) -> dict[tuple[str, str], int]:
    start = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC)
    query = (
        select(RuleFeedback.rule_id, RuleFeedback.signal, func.count())
        .where(RuleFeedback.created_at >= start)
        .group_by(RuleFeedback.rule_id, RuleFeedback.signal)
    )
    async with db.session() as session:
        return {(rule, signal): int(n) for rule, signal, n in await session.execute(query)}
