"""What every check sees: the analysed draft, the client's mood, and what the MatchSet found."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from bots.engine.model import ClientMood, Draft
from bots.engine.policy.compiled import Policy
from bots.engine.text import Analysed


class Hit(NamedTuple):
    """Where a check found something and, for kinds that know it, why: a reason template and
    its variables, rendered only when the finding is shown (a rewrite's re-check never is)."""

    start: int
    end: int
    reason: tuple[Any, dict[str, str]] | None = None

    def reason_text(self) -> str:
        if self.reason is None:
            return ""
        text, values = self.reason
        return str(text.render(values)).strip()


@dataclass(frozen=True, slots=True)
class Event:
    """One line of `nudge policy explain`: what a rule did and why."""

    rule: str
    what: str  # skipped | matched | suppressed | satisfied | silent | flagged
    detail: str
    start: int | None = None
    end: int | None = None


@dataclass(slots=True)
class Trace:
    """Collects events when explaining; costs one branch per call when not."""

    enabled: bool = False
    events: list[Event] = field(default_factory=list)

    def add(self, rule: str, what: str, detail: str, span: tuple[int, int] | None = None) -> None:
        if self.enabled:
            start, end = span if span else (None, None)
            self.events.append(Event(rule, what, detail, start, end))


@dataclass(frozen=True, slots=True)
class Context:
    draft: Draft
    text: Analysed
    policy: Policy
    mood: ClientMood
    fired: dict[str, list[tuple[int, int]]]
    sent_at: dt.datetime
    after_hours: bool
    trace: Trace
    #: Work that depends only on a sentence's own text, kept for one `check` call: the re-check
    #: of its rewrite (a copy of this context) reads many of the same sentences again.
    sentences_seen: dict[tuple[str, str], Any] = field(default_factory=dict)
