"""Office hours: is a moment inside them, and when do they next begin."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class OfficeHours:
    """Working days, daily start and end, holidays, in one IANA zone."""

    zone: ZoneInfo
    days: frozenset[int]
    start: dt.time
    end: dt.time
    holidays: frozenset[dt.date]
    #: "Mon–Fri 09:00–18:00", worked out once: `describe` is asked on every check and reminder.
    _span: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = [_DAY_NAMES[d].capitalize() for d in sorted(self.days)]
        days = f"{names[0]}–{names[-1]}" if _contiguous(sorted(self.days)) else ", ".join(names)
        object.__setattr__(self, "_span", f"{days} {self.start:%H:%M}–{self.end:%H:%M}")

    @classmethod
    def build(
        cls,
        timezone: str,
        days: tuple[str, ...],
        start: dt.time,
        end: dt.time,
        holidays: tuple[dt.date, ...] = (),
    ) -> OfficeHours:
        return cls(
            zone=zone(timezone),
            days=frozenset(_DAY_NAMES.index(d) for d in days),
            start=start,
            end=end,
            holidays=frozenset(holidays),
        )

    def local(self, moment: dt.datetime, author_zone: str | None = None) -> dt.datetime:
        """The wall-clock time that counts for the author.

        The author's own zone when known; else the offset the moment carries; else ours.
        """
        if author_zone:
            return _aware(moment, self.zone).astimezone(zone(author_zone))
        if moment.tzinfo is not None:
            return moment
        return moment.replace(tzinfo=self.zone)

    def is_open(self, moment: dt.datetime, author_zone: str | None = None) -> bool:
        local = self.local(moment, author_zone)
        return self._working_day(local.date()) and self.start <= local.time() < self.end

    def next_start(self, moment: dt.datetime, author_zone: str | None = None) -> dt.datetime:
        """The next moment office hours begin (now if they are open right now)."""
        local = self.local(moment, author_zone)
        if self.is_open(moment, author_zone):
            return local
        day = local.date()
        if local.time() >= self.start:
            day += dt.timedelta(days=1)
        for _ in range(400):
            if self._working_day(day):
                return _wall(day, self.start, local.tzinfo)
            day += dt.timedelta(days=1)
        raise ValueError("office hours never open in the next 400 days")

    def _working_day(self, day: dt.date) -> bool:
        return day.weekday() in self.days and day not in self.holidays

    def describe(self, zone_label: str | None = None) -> str:
        """E.g. "Mon–Fri 09:00–18:00 (Europe/London)"; `zone_label` names the author's zone."""
        return f"{self._span} ({zone_label or self.zone.key})"


def zone(name: str) -> ZoneInfo:
    """An IANA zone, with a ValueError an admin or a user can read."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r} (use an IANA name like Europe/Lisbon)"
        ) from None


def _aware(moment: dt.datetime, default: dt.tzinfo) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=default)


def _wall(day: dt.date, time: dt.time, tz: dt.tzinfo | None) -> dt.datetime:
    moment = dt.datetime.combine(day, time)
    if isinstance(tz, ZoneInfo):
        return moment.replace(tzinfo=tz)
    return moment.replace(tzinfo=tz) if tz else moment


def _contiguous(days: list[int]) -> bool:
    return days == list(range(days[0], days[-1] + 1))
