"""Per-user preferences that shape reminders: time zone, locale, snooze, muted channels, opt-in."""

from __future__ import annotations

import datetime as dt
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select, tuple_

from bots.engine.hours import zone
from bots.store.db import Database
from bots.store.models import UserPrefs

Verdict = Literal["deliver", "postpone", "cancel"]


@dataclass(frozen=True, slots=True)
class Prefs:
    """A plain snapshot of one user's row (defaults when there is none)."""

    platform: str
    user_id: str
    timezone: str | None = None
    locale: str | None = None
    snoozed_until: dt.datetime | None = None
    muted: dict[str, str | None] | None = None  # channel id -> ISO end of the mute, None = forever
    opted_in: bool = False

    def muted_in(self, channel_id: str | None, now: dt.datetime) -> bool:
        """Whether the user muted this channel and the mute still holds at `now`."""
        if not channel_id or not self.muted or channel_id not in self.muted:
            return False
        until = self.muted[channel_id]
        return until is None or dt.datetime.fromisoformat(until) > now

    def snoozed_at(self, now: dt.datetime) -> bool:
        return self.snoozed_until is not None and _aware(self.snoozed_until) > now


def verdict(
    prefs: Prefs, channel_id: str | None, now: dt.datetime
) -> tuple[Verdict, dt.datetime | None]:
    """What to do with a due reminder for this user now: deliver, postpone until, or cancel."""
    if prefs.muted_in(channel_id, now):
        return "cancel", None
    if prefs.snoozed_at(now):
        return "postpone", _aware(prefs.snoozed_until)
    return "deliver", None


@dataclass
class RecentPrefs:
    """Single-user reads of one database in the last `ttl` seconds, kept in this process.

    A `/nudge` after hours reads its writer's preferences twice, and on SQLite each read costs
    more CPU than the check itself. This process's own writes drop the entry (set_prefs); another
    replica's writes show up here within `ttl`. Batch reads (`many_prefs`: the worker's deliveries,
    a channel's owners) always go to the database.
    """

    ttl: float = 30.0
    size: int = 10_000
    clock: Callable[[], float] = time.monotonic
    writes: int = 0  # bumped by every write: a read that overlapped one is not kept
    _rows: dict[tuple[str, str], tuple[float, Prefs]] = field(default_factory=dict)

    def get(self, key: tuple[str, str]) -> Prefs | None:
        hit = self._rows.get(key)
        return hit[1] if hit and hit[0] > self.clock() else None

    def keep(self, prefs: Prefs, writes_before: int) -> None:
        if writes_before != self.writes:
            return
        if len(self._rows) >= self.size:
            self._rows.clear()
        self._rows[(prefs.platform, prefs.user_id)] = (self.clock() + self.ttl, prefs)

    def forget(self, key: tuple[str, str]) -> None:
        self.writes += 1
        self._rows.pop(key, None)


_RECENT: weakref.WeakKeyDictionary[Database, RecentPrefs] = weakref.WeakKeyDictionary()


def recent_prefs(db: Database) -> RecentPrefs:
    """The cache of single-user reads for this database handle (one per handle, per process)."""
    return _RECENT.setdefault(db, RecentPrefs())


async def get_prefs(db: Database, platform: str, user_id: str) -> Prefs:
    """One user's preferences (defaults when never set), from the recent reads when fresh."""
    recent, key = recent_prefs(db), (platform, user_id)
    if (hit := recent.get(key)) is not None:
        return hit
    writes = recent.writes
    prefs = await _read(db, platform, user_id)
    recent.keep(prefs, writes)
    return prefs


async def _read(db: Database, platform: str, user_id: str) -> Prefs:
    found = await many_prefs(db, [(platform, user_id)])
    return found.get((platform, user_id), Prefs(platform, user_id))


async def many_prefs(db: Database, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Prefs]:
    """Preferences for several users in one query (a delivery batch, a channel's owners)."""
    wanted = list(set(keys))
    if not wanted:
        return {}
    statement = select(UserPrefs).where(tuple_(UserPrefs.platform, UserPrefs.user_id).in_(wanted))
    async with db.session() as session:
        rows = (await session.execute(statement)).scalars().all()
    return {(r.platform, r.user_id): _snapshot(r) for r in rows}


async def set_prefs(db: Database, platform: str, user_id: str, **changes: Any) -> Prefs:
    """Update (or create) a user's row; validates the time zone so a typo cannot stick."""
    if changes.get("timezone"):
        zone(changes["timezone"])
    recent = recent_prefs(db)
    recent.forget((platform, user_id))  # a read overlapping this write is not kept either
    async with db.session() as session:
        row = await session.get(UserPrefs, (platform, user_id))
        if row is None:
            row = UserPrefs(platform=platform, user_id=user_id, muted_channels={}, opted_in=False)
            session.add(row)
        for name, value in changes.items():
            if isinstance(value, dt.datetime):
                value = value.astimezone(dt.UTC)  # SQLite keeps only the digits
            setattr(row, name, value)
        await session.flush()
        saved = _snapshot(row)
    recent.forget((platform, user_id))  # committed: the next read sees it
    return saved


async def snooze(db: Database, platform: str, user_id: str, until: dt.datetime | None) -> Prefs:
    """Hold every reminder for this user until `until` (None lifts the snooze)."""
    return await set_prefs(db, platform, user_id, snoozed_until=until)


async def mute(
    db: Database, platform: str, user_id: str, channel_id: str, until: dt.datetime | None = None
) -> Prefs:
    """Stop reminders about one channel, forever or until a moment."""
    current = await _read(db, platform, user_id)  # not the recent reads: we write it back
    muted = dict(current.muted or {})
    muted[channel_id] = until.isoformat() if until else None
    return await set_prefs(db, platform, user_id, muted_channels=muted)


async def unmute(db: Database, platform: str, user_id: str, channel_id: str) -> Prefs:
    current = await _read(db, platform, user_id)
    muted = {k: v for k, v in (current.muted or {}).items() if k != channel_id}
    return await set_prefs(db, platform, user_id, muted_channels=muted)


def _snapshot(row: UserPrefs) -> Prefs:
    return Prefs(
        platform=row.platform,
        user_id=row.user_id,
        timezone=row.timezone,
        locale=row.locale,
        snoozed_until=_aware(row.snoozed_until) if row.snoozed_until else None,
        muted=dict(row.muted_channels or {}),
        opted_in=bool(row.opted_in),
    )


def _aware(moment: dt.datetime | None) -> dt.datetime:
    """SQLite hands back naive datetimes for timezone=True columns; they were stored as UTC."""
    assert moment is not None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
