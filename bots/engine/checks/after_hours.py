"""`after_hours`: the draft is being sent outside the author's office hours."""

from __future__ import annotations

from bots.engine.context import Context, Hit
from bots.engine.policy.compiled import Rule


def run(rule: Rule, ctx: Context) -> list[Hit]:
    if ctx.trace.enabled:  # this rule runs on every draft: only explain when asked to
        _explain(rule, ctx)
    if not ctx.after_hours:
        return []
    first = ctx.text.first_sentence()
    return [Hit(first.start, first.end) if first else Hit(0, 0)]


def _explain(rule: Rule, ctx: Context) -> None:
    local = ctx.policy.hours.local(ctx.sent_at, ctx.draft.timezone)
    if ctx.after_hours:
        detail = f"sent at {local:%a %Y-%m-%d %H:%M}, outside office hours"
        ctx.trace.add(rule.id, "flagged", detail)
    else:
        ctx.trace.add(rule.id, "silent", f"sent at {local:%a %H:%M}, inside office hours")
