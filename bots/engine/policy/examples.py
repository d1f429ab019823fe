"""Run every rule's `examples`: each `flag` draft must trip the rule, each `pass` draft must not."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bots.engine.check import check
from bots.engine.model import Draft, Report
from bots.engine.policy.compiled import Policy
from bots.engine.policy.schema import ExampleSpec
from bots.engine.validate import DraftError

#: Examples without `at` are judged on a Wednesday morning, inside any usual office hours.
REFERENCE_TIME = dt.time(10, 0)
REFERENCE_DATE = dt.date(2026, 1, 7)


@dataclass(frozen=True, slots=True)
class ExampleResult:
    rule: str
    rule_index: int
    expect: str  # "flag" | "pass"
    index: int
    draft: str
    ok: bool
    detail: str
    report: Report | None


def reference_now(policy: Policy) -> dt.datetime:
    return dt.datetime.combine(REFERENCE_DATE, REFERENCE_TIME, tzinfo=policy.hours.zone)


def run_example(
    policy: Policy, rule_index: int, expect: str, index: int, ex: ExampleSpec
) -> ExampleResult:
    rule = policy.rules[rule_index]
    draft = Draft(text=ex.draft, client_message=ex.client, sent_at=ex.at)
    try:
        report = check(draft, policy, now=reference_now(policy))
    except DraftError as exc:
        return ExampleResult(rule.id, rule_index, expect, index, ex.draft, False, str(exc), None)
    hits = [f for f in (*report.findings, *report.shadow) if f.rule == rule.id]
    if expect == "flag":
        ok = bool(hits)
        detail = f"flagged “{hits[0].excerpt}”" if ok else "expected a finding, got none"
    else:
        ok = not hits
        detail = "not flagged" if ok else f"expected no finding, but it flagged “{hits[0].excerpt}”"
    return ExampleResult(rule.id, rule_index, expect, index, ex.draft, ok, detail, report)


def run_examples(policy: Policy) -> list[ExampleResult]:
    results = []
    for rule_index, rule in enumerate(policy.rules):
        examples = rule.spec.examples
        for expect, items in (("flag", examples.flag), ("pass", examples.pass_)):
            for index, ex in enumerate(items):
                results.append(run_example(policy, rule_index, expect, index, ex))
    return results
