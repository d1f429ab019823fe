"""Moments in words a reply can use: "today at 17:30", "amanhã às 09:00", "Monday at 12:00"."""

from __future__ import annotations

import datetime as dt

DAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "pt": (
        "segunda-feira",
        "terça-feira",
        "quarta-feira",
        "quinta-feira",
        "sexta-feira",
        "sábado",
        "domingo",
    ),
}
_RELATIVE = {"en": ("today at", "tomorrow at", "at"), "pt": ("hoje às", "amanhã às", "às")}


def when(moment: dt.datetime, now: dt.datetime, language: str) -> str:
    """`moment` in its own zone, relative to `now`: today, tomorrow, else the weekday."""
    today, tomorrow, at = _RELATIVE.get(language, _RELATIVE["en"])
    local_now = now.astimezone(moment.tzinfo) if moment.tzinfo and now.tzinfo else now
    if moment.date() == local_now.date():
        return f"{today} {moment:%H:%M}"
    if moment.date() == local_now.date() + dt.timedelta(days=1):
        return f"{tomorrow} {moment:%H:%M}"
    day = DAYS.get(language, DAYS["en"])[moment.weekday()]
    return f"{day} {at} {moment:%H:%M}"
