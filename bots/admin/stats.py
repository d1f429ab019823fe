"""The numbers behind the dashboard, from DailyCount, RuleFeedback and Reminder (never text)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from bots.admin.counts import DRAFTS, SHADOW
from bots.admin.feedback import rule_stats
from bots.store.db import Database
from bots.store.models import DailyCount, Reminder

#: Reminder kinds written when a client writes outside office hours (bots/reminders/after_hours.py
#: writes one `after_hours_note` per person told about the message).
AFTER_HOURS_KINDS = ("after_hours_note", "after_hours")
CATEGORIES = ("overpromise", "boundary", "validation", "after_hours")


def week_of(day: dt.date) -> dt.date:
    """The Monday that starts `day`'s ISO week."""
    return day - dt.timedelta(days=day.weekday())


def week_starts(today: dt.date, weeks: int) -> list[dt.date]:
    last = week_of(today)
    return [last - dt.timedelta(weeks=n) for n in reversed(range(weeks))]


async def findings_per_week(db: Database, weeks: list[dt.date]) -> dict[str, list[int]]:
    """Shown findings per category for each week in `weeks` (oldest first)."""
    query = (
        select(DailyCount.day, DailyCount.category, func.sum(DailyCount.count))
        .where(DailyCount.day >= weeks[0], DailyCount.category.in_(CATEGORIES))
        .group_by(DailyCount.day, DailyCount.category)
    )
    series = {c: [0] * len(weeks) for c in CATEGORIES}
    index = {w: i for i, w in enumerate(weeks)}
    async with db.session() as session:
        for day, category, total in await session.execute(query):
            slot = index.get(week_of(_as_date(day)))
            if slot is not None:
                series[category][slot] += int(total or 0)
    return series


async def drafts_checked(db: Database, since: dt.date) -> int:
    query = select(func.sum(DailyCount.count)).where(
        DailyCount.day >= since, DailyCount.rule_id == DRAFTS[0], DailyCount.category == DRAFTS[1]
    )
    async with db.session() as session:
        return int((await session.execute(query)).scalar() or 0)


async def after_hours_contacts(db: Database, weeks: list[dt.date]) -> list[int]:
    """Client messages that arrived after hours, per week (once each, however many were told)."""
    start = dt.datetime.combine(weeks[0], dt.time(), tzinfo=dt.UTC)
    query = select(Reminder.created_at, Reminder.channel_id, Reminder.payload, Reminder.id).where(
        Reminder.kind.in_(AFTER_HOURS_KINDS), Reminder.created_at >= start
    )
    counts = [0] * len(weeks)
    index = {w: i for i, w in enumerate(weeks)}
    seen: set[tuple[object, object]] = set()
    async with db.session() as session:
        for created, channel, payload, row_id in await session.execute(query):
            message = payload.get("message_id") if isinstance(payload, dict) else None
            contact = (channel, message if message is not None else f"row:{row_id}")
            slot = index.get(week_of(_as_date(created)))
            if slot is not None and contact not in seen:
                seen.add(contact)
                counts[slot] += 1
    return counts


def _as_date(value: Any) -> dt.date:
    """SQLite returns dates as text, PostgreSQL as date objects."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


async def dashboard_data(
    db: Database | None,
    today: dt.date,
    *,
    weeks: int = 8,
    threshold: float,
    min_sample: int,
) -> dict[str, Any]:
    """Everything the dashboard charts, JSON-ready; empty series when there is no database."""
    starts = week_starts(today, weeks)
    data: dict[str, Any] = {
        "weeks": [w.isoformat() for w in starts],
        "threshold": threshold,
        "min_sample": min_sample,
        "database": db is not None,
        "findings_per_week": {c: [0] * weeks for c in CATEGORIES},
        "after_hours_per_week": [0] * weeks,
        "drafts_checked": 0,
        "rules": [],
    }
    if db is None:
        return data
    data["findings_per_week"] = await findings_per_week(db, starts)
    data["after_hours_per_week"] = await after_hours_contacts(db, starts)
    data["drafts_checked"] = await drafts_checked(db, starts[0])
    stats = await rule_stats(db, starts[0], threshold=threshold, min_sample=min_sample)
    data["rules"] = [s.to_dict() for s in stats]
    return data


__all__ = ["SHADOW", "dashboard_data", "week_of"]
