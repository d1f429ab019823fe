"""`nudge policy diff OLD NEW --corpus FILE`: what an edit changes before it ships.

Per rule: which drafts gain a finding (appear) and which lose one (disappear). When the corpus
is labelled, the change in per-category precision and recall, scored exactly as `nudge eval`.
Unlabelled lines (no `labels`) still count for the per-rule lists. Draft ids only, never text.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bots.engine import Draft, DraftError, PolicySet, Report, check
from bots.evaluation import BadLine, Case, Evaluation, evaluate, read_corpus


@dataclass(frozen=True, slots=True)
class Sample:
    """One corpus line: a labelled Case, or just a draft to compare."""

    case: Case
    labelled: bool
    team: str | None = None
    channel: str | None = None


@dataclass
class RuleChange:
    appeared: list[str] = field(default_factory=list)
    disappeared: list[str] = field(default_factory=list)


@dataclass
class PolicyDiff:
    cases: int = 0
    rules: dict[str, RuleChange] = field(default_factory=dict)
    old: Evaluation | None = None
    new: Evaluation | None = None
    bad_lines: list[BadLine] = field(default_factory=list)

    def metrics(self) -> dict[str, dict[str, dict[str, float]]]:
        """Per category: precision and recall before, after and the change."""
        if self.old is None or self.new is None or not self.old.cases:
            return {}
        out = {}
        for category, before in self.old.categories.items():
            a, b = before.to_dict(), self.new.categories[category].to_dict()
            out[category] = {
                key: {"old": a[key], "new": b[key], "change": round(b[key] - a[key], 4)}
                for key in ("precision", "recall")
            }
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "labelled": self.old.cases if self.old else 0,
            "rules": {
                rule: {"appeared": c.appeared, "disappeared": c.disappeared}
                for rule, c in sorted(self.rules.items())
            },
            "metrics": self.metrics(),
            "skipped_lines": [{"line": b.line, "error": b.message} for b in self.bad_lines],
        }


def read_samples(lines: Iterable[str]) -> Iterable[Sample | BadLine]:
    """Corpus lines as Samples; a line without `labels` is compared but not scored."""
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield BadLine(number, f"not JSON ({exc.msg} at column {exc.colno})")
            continue
        labelled = isinstance(row, dict) and "labels" in row
        if isinstance(row, dict) and not labelled:
            row = {
                **row,
                "labels": dict.fromkeys(("overpromise", "boundary", "missing_validation"), False),
            }
            row.setdefault("after_hours", False)
            row.setdefault("sent_at", "2026-01-07T10:00:00+00:00")
        parsed = next(iter(read_corpus([json.dumps(row)])))
        if isinstance(parsed, BadLine):
            yield BadLine(number, parsed.message)
            continue
        team, channel = (
            (row.get("team_id"), row.get("channel_id")) if isinstance(row, dict) else (None, None)
        )
        yield Sample(parsed, labelled, team, channel)


def diff(samples: Iterable[Sample | BadLine], old: PolicySet, new: PolicySet) -> PolicyDiff:
    """Check every sample under both policy sets and compare rule by rule."""
    result = PolicyDiff()
    labelled: list[Case] = []
    for item in samples:
        if isinstance(item, BadLine):
            result.bad_lines.append(item)
            continue
        try:
            before, after = _check(item, old), _check(item, new)
        except DraftError as exc:
            result.bad_lines.append(BadLine(0, f"case {item.case.id}: {exc}"))
            continue
        result.cases += 1
        if item.labelled:
            labelled.append(item.case)
        _compare(item.case.id, _rules(before), _rules(after), result)
    if labelled:
        result.old, result.new = evaluate(labelled, old), evaluate(labelled, new)
    return result


def _check(sample: Sample, policies: PolicySet) -> Report:
    case = sample.case
    policy = policies.select(case.draft, case.lang, sample.team, sample.channel)
    draft = Draft(case.draft, case.client_message, case.sent_at, locale=case.lang)
    return check(draft, policy, now=case.sent_at or dt.datetime.now(dt.UTC))


def _rules(report: Report) -> set[str]:
    return {f.rule for f in report.findings}


def _compare(case_id: str, before: set[str], after: set[str], result: PolicyDiff) -> None:
    for rule in after - before:
        result.rules.setdefault(rule, RuleChange()).appeared.append(case_id)
    for rule in before - after:
        result.rules.setdefault(rule, RuleChange()).disappeared.append(case_id)


def render_text(result: PolicyDiff) -> str:
    """A reviewer's summary: rules that changed, then precision/recall deltas."""
    labelled = result.old.cases if result.old else 0
    out = [f"{result.cases} drafts compared ({labelled} labelled)"]
    if not result.rules:
        out.append("no rule flags a different set of drafts")
    for rule, change in sorted(result.rules.items()):
        out.append(f"{rule}: +{len(change.appeared)} -{len(change.disappeared)}")
        if change.appeared:
            out.append(f"    now flags:   {', '.join(change.appeared)}")
        if change.disappeared:
            out.append(f"    no longer:   {', '.join(change.disappeared)}")
    metrics = result.metrics()
    if metrics:
        out.append("\ncategory       precision (old → new)    recall (old → new)")
        for category, m in metrics.items():
            p, r = m["precision"], m["recall"]
            out.append(
                f"{category:<14} {p['old']:.2f} → {p['new']:.2f} ({p['change']:+.2f})    "
                f"{r['old']:.2f} → {r['new']:.2f} ({r['change']:+.2f})"
            )
    return "\n".join(out) + "\n"
