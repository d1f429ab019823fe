"""`phrase` and `pattern` rules: every match the MatchSet found, less the exceptions."""

from __future__ import annotations

from bots.engine.checks.exceptions import suppressed_by
from bots.engine.context import Context, Hit
from bots.engine.policy.compiled import Rule


def run(rule: Rule, ctx: Context) -> list[Hit]:
    spans = sorted(set(ctx.fired.get(rule.id, ())))
    if not spans:
        ctx.trace.add(rule.id, "silent", "no phrase or pattern of this rule appears in the draft")
        return []
    hits = []
    for start, end in spans:
        reason = suppressed_by(rule, ctx, start, end)
        if ctx.trace.enabled:
            _explain(rule, ctx, start, end, reason)
        if not reason:
            hits.append(Hit(start, end))
    return hits


def _explain(rule: Rule, ctx: Context, start: int, end: int, reason: str | None) -> None:
    excerpt = ctx.text.text[start:end]
    if reason:
        ctx.trace.add(rule.id, "suppressed", f"“{excerpt}”: {reason}", (start, end))
    else:
        ctx.trace.add(rule.id, "matched", f"“{excerpt}”", (start, end))
