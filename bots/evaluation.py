"""`nudge eval`: per-category precision, recall and F1 of a policy on a labelled corpus."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bots.engine import Draft, DraftError, PolicySet, Report, check
from bots.engine.model import CATEGORIES

#: corpus label -> report category
LABELS = {"overpromise": "overpromise", "boundary": "boundary", "missing_validation": "validation"}


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    lang: str
    draft: str
    client_message: str | None
    sent_at: dt.datetime
    expected: dict[str, bool]


@dataclass(frozen=True, slots=True)
class BadLine:
    line: int
    message: str


def read_corpus(lines: Iterable[str]) -> Iterator[Case | BadLine]:
    """Parse JSON Lines; a malformed line yields a BadLine with its number, the rest go on."""
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            yield _case(json.loads(raw))
        except json.JSONDecodeError as exc:
            yield BadLine(number, f"not JSON ({exc.msg} at column {exc.colno})")
        except (KeyError, TypeError, ValueError) as exc:
            yield BadLine(number, f"not a corpus case: {_describe(exc)}")


def _describe(exc: Exception) -> str:
    return f"missing key {exc.args[0]!r}" if isinstance(exc, KeyError) else str(exc)


def _case(row: Any) -> Case:
    if not isinstance(row, dict):
        raise TypeError("each line must be a JSON object")
    labels = row["labels"]
    expected = {LABELS[k]: _bool(labels[k], k) for k in LABELS}
    expected["after_hours"] = _bool(row["after_hours"], "after_hours")
    draft = row["draft"]
    if not isinstance(draft, str):
        raise TypeError("`draft` must be a string")
    sent_at = dt.datetime.fromisoformat(row["sent_at"])
    if sent_at.tzinfo is None:
        raise ValueError("`sent_at` needs a UTC offset")
    return Case(
        str(row["id"]),
        str(row.get("lang", "en")),
        draft,
        row.get("client_message"),
        sent_at,
        expected,
    )


def _bool(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"label {key!r} must be true or false")
    return value


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, expected: bool, got: bool) -> None:
        if expected and got:
            self.tp += 1
        elif got:
            self.fp += 1
        elif expected:
            self.fn += 1
        else:
            self.tn += 1

    def to_dict(self) -> dict[str, float | int]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
        }


@dataclass
class Evaluation:
    cases: int = 0
    categories: dict[str, Counts] = field(default_factory=lambda: {c: Counts() for c in CATEGORIES})
    rules: dict[str, Counts] = field(default_factory=dict)
    misses: list[dict[str, Any]] = field(default_factory=list)
    bad_lines: list[BadLine] = field(default_factory=list)
    reports: dict[str, Report] = field(default_factory=dict)

    def to_dict(self, by_rule: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "cases": self.cases,
            "categories": {name: c.to_dict() for name, c in self.categories.items()},
            "misses": self.misses,
        }
        if by_rule:
            out["rules"] = {
                rule: {"tp": c.tp, "fp": c.fp, "precision": c.to_dict()["precision"]}
                for rule, c in sorted(self.rules.items())
            }
        if self.bad_lines:
            out["skipped_lines"] = [{"line": b.line, "error": b.message} for b in self.bad_lines]
        return out


def evaluate(items: Iterable[Case | BadLine], policies: PolicySet) -> Evaluation:
    result = Evaluation()
    for item in items:
        if isinstance(item, BadLine):
            result.bad_lines.append(item)
            continue
        _score(item, policies, result)
    return result


def _score(case: Case, policies: PolicySet, result: Evaluation) -> None:
    policy = policies.for_language(case.lang)
    draft = Draft(case.draft, case.client_message, case.sent_at, locale=case.lang)
    try:
        report = check(draft, policy, now=case.sent_at)
    except DraftError as exc:
        result.bad_lines.append(BadLine(0, f"case {case.id}: {exc}"))
        return
    result.cases += 1
    result.reports[case.id] = report
    found = report.categories()
    for category in CATEGORIES:
        got = report.after_hours if category == "after_hours" else category in found
        expected = case.expected[category]
        result.categories[category].add(expected, got)
        if got != expected:
            result.misses.append(
                {"id": case.id, "category": category, "expected": expected, "got": got}
            )
    for rule, category in {(f.rule, f.category) for f in report.findings}:
        result.rules.setdefault(rule, Counts()).add(case.expected[category], True)
