"""Render reminder texts from the policy's sandboxed Jinja templates (templates/<language>/)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bots.engine.policy.compiled import Policy

_DAYS = {
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


def render(policy: Policy, name: str, **values: Any) -> str:
    """One template of the policy's language (a policy override wins), stripped."""
    return policy.templates.get_template(name).render(**values).strip()


def when(moment: dt.datetime, now: dt.datetime, language: str) -> str:
    """`tomorrow at 09:00`, `Monday at 09:00`: `moment` in its own zone, relative to `now`."""
    today, tomorrow, at = _RELATIVE.get(language, _RELATIVE["en"])
    local_now = now.astimezone(moment.tzinfo)
    if moment.date() == local_now.date():
        return f"{today} {moment:%H:%M}"
    if moment.date() == local_now.date() + dt.timedelta(days=1):
        return f"{tomorrow} {moment:%H:%M}"
    day = _DAYS.get(language, _DAYS["en"])[moment.weekday()]
    return f"{day} {at} {moment:%H:%M}"


def clock_time(moment: dt.datetime) -> str:
    """`22:05` in the zone `moment` carries."""
    return f"{moment:%H:%M}"
