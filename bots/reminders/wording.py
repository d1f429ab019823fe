"""Render reminder texts from the policy's sandboxed Jinja templates (templates/<language>/)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bots.engine.policy.compiled import Policy
from bots.engine.timewords import when

__all__ = ["clock_time", "render", "when"]


def render(policy: Policy, name: str, **values: Any) -> str:
    """One template of the policy's language (a policy override wins), stripped."""
    return policy.templates.get_template(name).render(**values).strip()


def clock_time(moment: dt.datetime) -> str:
    """`22:05` in the zone `moment` carries."""
    return f"{moment:%H:%M}"
