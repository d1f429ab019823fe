"""Plain-text renderings of reports, explanations, evaluations and policy tests."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from bots.engine import Event, Policy, Report
from bots.evaluation import Evaluation

_MARK = {"error": "✖", "warning": "▲", "info": "·"}


def _line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, width=96, initial_indent=indent, subsequent_indent=indent)


def report(rep: Report, draft: str) -> str:
    out = [f"client mood: {rep.client.mood} — {rep.client.reason}"]
    if rep.after_hours:
        out.append("after hours: yes")
    if not rep.findings:
        out.append("✓ nothing to nudge: this reply reads well.")
    for f in rep.findings:
        line, col = _line_col(draft, f.start)
        out.append(f"{line}:{col}  {_MARK[f.severity]} {f.severity:<7} {f.category:<11} {f.rule}")
        out.append(_wrap(f.message, "    "))
        out.append(_wrap("why: " + f.why, "    "))
        if f.suggestion:
            out.append(_wrap("try: " + f.suggestion, "    "))
    if rep.rewrite:
        out.append("\nsuggested rewrite:\n")
        out.append(textwrap.indent(rep.rewrite, "    "))
    out.append(f"\npolicy {rep.policy.name} {rep.policy.version}")
    return "\n".join(out) + "\n"


def explanation(policy: Policy, rep: Report, events: Sequence[Event]) -> str:
    out = [f"policy {policy.name} {policy.version} ({policy.language}), {len(policy.rules)} rules"]
    out.append(f"client mood: {rep.client.mood} — {rep.client.reason}")
    out.append(f"after hours: {'yes' if rep.after_hours else 'no'}")
    current = None
    for event in events:
        if event.rule != current:
            current = event.rule
            out.append(f"\n{event.rule}")
        out.append(f"  {event.what:<10} {event.detail}")
    out.append(f"\n{len(rep.findings)} finding(s)")
    return "\n".join(out) + "\n"


def evaluation(result: Evaluation, by_rule: bool = False) -> str:
    out = [
        f"{result.cases} cases",
        "",
        f"{'category':<13}{'tp':>5}{'fp':>5}{'fn':>5}{'tn':>5}"
        f"{'precision':>11}{'recall':>8}{'f1':>7}",
    ]
    for name, counts in result.categories.items():
        d = counts.to_dict()
        out.append(
            f"{name:<13}{d['tp']:>5}{d['fp']:>5}{d['fn']:>5}{d['tn']:>5}"
            f"{d['precision']:>11.3f}{d['recall']:>8.3f}{d['f1']:>7.3f}"
        )
    if by_rule:
        out += ["", f"{'rule':<36}{'tp':>5}{'fp':>5}{'precision':>11}"]
        for rule, counts in sorted(result.rules.items()):
            precision = counts.to_dict()["precision"]
            out.append(f"{rule:<36}{counts.tp:>5}{counts.fp:>5}{precision:>11.3f}")
    if result.misses:
        out += ["", "misses:"]
        out += [
            f"  {m['id']:<10} {m['category']:<12} expected {str(m['expected']).lower():<5} "
            f"got {str(m['got']).lower()}"
            for m in result.misses
        ]
    return "\n".join(out) + "\n"


def policy_test(
    rows: Sequence[tuple[Policy, Any, bool, list[str]]], untested: Sequence[tuple[str, str]]
) -> str:
    out = []
    failed = [row for row in rows if not row[2]]
    for policy, result, _, problems in failed:
        out.append(f"FAIL {policy.name} {result.rule} {result.expect}[{result.index}]")
        out.append(_wrap(f"draft:    {result.draft}", "    "))
        out.append(
            _wrap(f"expected: {'a finding' if result.expect == 'flag' else 'no finding'}", "    ")
        )
        out.append(_wrap(f"got:      {result.detail}", "    "))
        for problem in problems:
            out.append(_wrap(f"rewrite still flagged by {problem}", "    "))
    for name, rule in untested:
        out.append(f"WARN {name} {rule}: needs at least one `flag` and one `pass` example")
    out.append(f"{len(rows) - len(failed)} passed, {len(failed)} failed")
    return "\n".join(out) + "\n"
