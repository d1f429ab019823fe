"""The reminders table as a work queue: schedule once, claim with a lease, settle exactly once.

Claiming is one UPDATE over a sub-select; on PostgreSQL the sub-select takes
`FOR UPDATE SKIP LOCKED`, so replicas never wait on, or take, each other's rows. On SQLite the
single statement runs under the database write lock, which is claim enough for one process.
Every settle (sent, retry, failed, release) is fenced on `lease_owner`, so a worker whose lease
expired and was taken over cannot overwrite the new owner's outcome.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bots.store.db import Database, upsert
from bots.store.models import Reminder

PENDING, LEASED, SENT, FAILED, CANCELLED = "pending", "leased", "sent", "failed", "cancelled"


@dataclass(frozen=True, slots=True)
class NewReminder:
    """What to tell whom, when; `idempotency_key` makes scheduling and delivery happen once."""

    idempotency_key: str
    platform: str
    user_id: str
    channel_id: str | None
    kind: str
    due_at: dt.datetime
    payload: dict[str, Any] = field(default_factory=dict)


async def schedule(db: Database, reminder: NewReminder) -> bool:
    """Insert unless the key exists (a retried platform event); True when a row was created."""
    async with db.session() as session:
        return await schedule_in(session, reminder)


async def schedule_in(session: AsyncSession, reminder: NewReminder) -> bool:
    """`schedule` inside the caller's transaction (several reminders written atomically)."""
    if reminder.due_at.tzinfo is None:
        raise ValueError("due_at must carry a time zone")
    values = {
        "idempotency_key": reminder.idempotency_key,
        "platform": reminder.platform,
        "user_id": reminder.user_id,
        "channel_id": reminder.channel_id,
        "kind": reminder.kind,
        "due_at": utc(reminder.due_at),
        "payload": reminder.payload,
        "status": PENDING,
        "attempts": 0,
    }
    statement = upsert(session, Reminder).values(values)
    statement = statement.on_conflict_do_nothing(index_elements=["idempotency_key"])
    result = await session.execute(statement)
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def claim(
    db: Database, owner: str, now: dt.datetime, *, limit: int, lease: dt.timedelta
) -> list[Reminder]:
    """Lease up to `limit` due reminders (pending, or leased by a worker whose lease ran out)."""
    now = utc(now)
    due = or_(
        and_(Reminder.status == PENDING, Reminder.due_at <= now),
        and_(Reminder.status == LEASED, Reminder.lease_until <= now),
    )
    ids = (
        select(Reminder.id)
        .where(due)
        .order_by(Reminder.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    statement = (
        update(Reminder)
        .where(Reminder.id.in_(ids))
        .values(
            status=LEASED,
            lease_owner=owner,
            lease_until=now + lease,
            attempts=Reminder.attempts + 1,
        )
        .returning(Reminder)
        .execution_options(synchronize_session=False)
    )
    async with db.session() as session:
        rows = list((await session.execute(statement)).scalars())
    return sorted(rows, key=lambda r: (r.due_at, r.id))


async def extend(db: Database, owner: str, ids: Sequence[int], until: dt.datetime) -> int:
    """Push the lease of rows still held by `owner`; returns how many are still ours."""
    return await _settle(db, owner, ids, lease_until=until)


async def mark_sent(db: Database, owner: str, row_id: int, now: dt.datetime) -> bool:
    """Record a delivery; False when the lease was lost meanwhile (the new owner settles it)."""
    done = await _settle(
        db,
        owner,
        [row_id],
        status=SENT,
        sent_at=now,
        lease_owner=None,
        lease_until=None,
        last_error=None,
    )
    return done == 1


async def retry_later(db: Database, owner: str, row_id: int, at: dt.datetime, error: str) -> bool:
    """Put the reminder back for another attempt at `at`."""
    done = await _settle(
        db,
        owner,
        [row_id],
        status=PENDING,
        due_at=at,
        lease_owner=None,
        lease_until=None,
        last_error=error,
    )
    return done == 1


async def mark_failed(db: Database, owner: str, row_id: int, error: str) -> bool:
    """Give up on a reminder; `last_error` says why."""
    done = await _settle(
        db, owner, [row_id], status=FAILED, lease_owner=None, lease_until=None, last_error=error
    )
    return done == 1


async def postpone(db: Database, owner: str, row_id: int, until: dt.datetime) -> bool:
    """Move a reminder past a snooze; not an attempt, so it does not count towards giving up."""
    done = await _settle(
        db,
        owner,
        [row_id],
        status=PENDING,
        due_at=until,
        lease_owner=None,
        lease_until=None,
        attempts=Reminder.attempts - 1,
    )
    return done == 1


async def cancel(db: Database, owner: str, row_id: int, reason: str) -> bool:
    """Drop a reminder the user no longer wants (muted channel)."""
    done = await _settle(
        db,
        owner,
        [row_id],
        status=CANCELLED,
        lease_owner=None,
        lease_until=None,
        last_error=reason,
    )
    return done == 1


async def release(db: Database, owner: str, ids: Sequence[int]) -> int:
    """Hand back claimed rows that were never attempted (graceful stop)."""
    if not ids:
        return 0
    return await _settle(
        db,
        owner,
        ids,
        status=PENDING,
        lease_owner=None,
        lease_until=None,
        attempts=Reminder.attempts - 1,
    )


def utc(moment: dt.datetime) -> dt.datetime:
    """Every stored moment is UTC: SQLite keeps only the wall-clock digits, so zones must agree."""
    if moment.tzinfo is None:
        raise ValueError("moments must carry a time zone")
    return moment.astimezone(dt.UTC)


async def _settle(db: Database, owner: str, ids: Sequence[int], **values: Any) -> int:
    values = {k: utc(v) if isinstance(v, dt.datetime) else v for k, v in values.items()}
    statement = (
        update(Reminder)
        .where(Reminder.id.in_(list(ids)), Reminder.lease_owner == owner, Reminder.status == LEASED)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    async with db.session() as session:
        result = await session.execute(statement)
    return int(result.rowcount)  # type: ignore[attr-defined]
