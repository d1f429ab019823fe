"""The rewrite invariant: Nudge's own suggested rewrite must pass the policy that suggested it."""

from __future__ import annotations

from bots.engine.check import check
from bots.engine.model import Draft, Report
from bots.engine.policy.compiled import Policy
from bots.engine.policy.examples import ExampleResult, reference_now
from bots.engine.validate import DraftError


def recheck_rewrite(policy: Policy, draft: Draft, report: Report, now: object) -> list[str]:
    """Warning- or error-level findings on the rewrite, as readable lines (empty when clean)."""
    if not report.rewrite:
        return []
    again = Draft(report.rewrite, draft.client_message, draft.sent_at, draft.locale, draft.timezone)
    try:
        second = check(again, policy, now=now)  # type: ignore[arg-type]
    except DraftError as exc:
        return [f"the rewrite cannot be checked: {exc}"]
    return [
        f"{f.rule}: “{f.excerpt}”" for f in second.findings if f.severity in ("warning", "error")
    ]


def rewrite_problems(policy: Policy, result: ExampleResult) -> list[str]:
    if result.report is None or result.expect != "flag":
        return []
    rule = policy.rules[result.rule_index]
    example = rule.spec.examples.flag[result.index]
    draft = Draft(example.draft, example.client, example.at)
    return recheck_rewrite(policy, draft, result.report, reference_now(policy))
