"""Immutable values the engine takes and returns: drafts, findings and reports."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

Category = Literal["overpromise", "boundary", "validation", "after_hours"]
Severity = Literal["info", "warning", "error"]
Mood = Literal["calm", "anxious", "frustrated", "angry", "abusive"]

CATEGORIES: tuple[Category, ...] = ("overpromise", "boundary", "validation", "after_hours")
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")
MOODS: tuple[Mood, ...] = ("calm", "anxious", "frustrated", "angry", "abusive")


@dataclass(frozen=True, slots=True)
class Draft:
    """A reply someone is about to send, with what the engine needs to judge it."""

    text: str
    client_message: str | None = None
    sent_at: datetime | None = None
    locale: str | None = None
    timezone: str | None = None
    author_id: str | None = None
    channel_id: str | None = None
    team_id: str | None = None


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range of a text, with the text it covers."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a rule noticed in a draft, explained."""

    rule: str
    category: Category
    severity: Severity
    start: int
    end: int
    excerpt: str
    message: str
    why: str
    suggestion: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ClientMood:
    """How the client sounds, and the evidence that decided it."""

    mood: Mood = "calm"
    reason: str = "No client message was given."
    evidence: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "mood": self.mood,
            "reason": self.reason,
            "evidence": [asdict(span) for span in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class PolicyRef:
    """Which policy produced a report."""

    name: str
    version: str
    language: str = "en"


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the engine says about one draft."""

    findings: tuple[Finding, ...]
    rewrite: str | None
    after_hours: bool
    client: ClientMood
    policy: PolicyRef
    shadow: tuple[Finding, ...] = field(default=())

    @property
    def worst(self) -> Severity | None:
        """The highest severity among the findings, if any."""
        ranks = [SEVERITIES.index(f.severity) for f in self.findings]
        return SEVERITIES[max(ranks)] if ranks else None

    def categories(self) -> set[Category]:
        return {f.category for f in self.findings}

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `nudge check --format json` (see DESIGN.md)."""
        return {
            "findings": [f.to_dict() for f in self.findings],
            "rewrite": self.rewrite,
            "after_hours": self.after_hours,
            "client": self.client.to_dict(),
            "policy": {"name": self.policy.name, "version": self.policy.version},
        }
