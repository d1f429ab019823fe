"""The closed registry of check kinds: one small module each, no I/O when running."""

from __future__ import annotations

from collections.abc import Callable

from bots.engine.checks import after_hours, forecast, matched, require
from bots.engine.context import Context, Hit
from bots.engine.policy.compiled import Rule

Check = Callable[[Rule, Context], list[Hit]]

KINDS: dict[str, Check] = {
    "phrase": matched.run,
    "pattern": matched.run,
    "require": require.run,
    "after_hours": after_hours.run,
    "forecast": forecast.run,
}
