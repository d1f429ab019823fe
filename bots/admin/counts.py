"""Count what the engine found per day (counts only, never text) for the admin dashboard.

Shown findings count under their category; shadow findings under the category `shadow`, so
a rule being tried out in shadow mode has its own numbers; every checked draft adds one to
the `_drafts`/`checked` row, the denominator for rates.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from bots.engine import Report
from bots.store.counts import bump_counts
from bots.store.db import Database

SHADOW = "shadow"
DRAFTS = ("_drafts", "checked")


def tally(report: Report) -> Counter[tuple[str, str]]:
    """(rule id, category) -> how many times, for one report."""
    counts: Counter[tuple[str, str]] = Counter()
    count_into(counts, report)
    return counts


def count_into(counts: Counter[tuple[str, str]], report: Report) -> None:
    """Add one report to `counts` in place (the Tally's sums: it runs after every check)."""
    counts[DRAFTS] += 1
    for finding in report.findings:
        counts[finding.rule, finding.category] += 1
    for finding in report.shadow:
        counts[finding.rule, SHADOW] += 1


async def record_report(db: Database, report: Report, day: dt.date) -> None:
    """Add one checked draft and its findings to the day's counts (an upsert per row)."""
    await record_counts(db, tally(report), day)


async def record_counts(db: Database, counts: Counter[tuple[str, str]], day: dt.date) -> None:
    """Add `counts` to the day's rows; safe with concurrent writers (INSERT … ON CONFLICT)."""
    await bump_counts(db, day, counts.elements())
