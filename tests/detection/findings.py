"""Which rules of one category fire on a draft: the question most detection tests ask."""

from __future__ import annotations

import datetime as dt

from bots.engine import Draft, check
from bots.engine.model import Category
from bots.engine.policy.compiled import Policy


def rules_of(
    category: Category, policy: Policy, draft: str, client: str | None, now: dt.datetime
) -> set[str]:
    report = check(Draft(draft, client), policy, now=now)
    return {f.rule for f in report.findings if f.category == category}
