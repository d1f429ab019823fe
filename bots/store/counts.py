"""Daily counts per rule and category: numbers only, never the text that triggered them."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import select

from bots.store.db import Database, upsert
from bots.store.models import DailyCount


async def bump_counts(db: Database, day: dt.date, fired: Iterable[tuple[str, str]]) -> None:
    """Add one per (rule id, category) that fired (a Report's findings); safe in parallel."""
    tally = Counter(fired)
    if not tally:
        return
    async with db.session() as session:
        for (rule_id, category), n in sorted(tally.items()):
            insert = upsert(session, DailyCount).values(
                day=day, rule_id=rule_id, category=category, count=n
            )
            # One upsert per key: two replicas counting the same rule at once both land.
            await session.execute(
                insert.on_conflict_do_update(
                    index_elements=["day", "rule_id", "category"],
                    set_={"count": DailyCount.count + insert.excluded.count},
                )
            )


async def counts_for(db: Database, day: dt.date) -> dict[tuple[str, str], int]:
    """The counts of one day, keyed by (rule id, category)."""
    async with db.session() as session:
        rows = (await session.execute(select(DailyCount).where(DailyCount.day == day))).scalars()
        return {(r.rule_id, r.category): r.count for r in rows}
