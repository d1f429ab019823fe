"""`after_hours`: the draft is being sent outside the author's office hours."""

from __future__ import annotations

from bots.engine.context import Context, Hit
from bots.engine.policy.compiled import Rule


def run(rule: Rule, ctx: Context) -> list[Hit]:
    local = ctx.policy.hours.local(ctx.sent_at, ctx.draft.timezone)
    if not ctx.after_hours:
        ctx.trace.add(rule.id, "silent", f"sent at {local:%a %H:%M}, inside office hours")
        return []
    ctx.trace.add(rule.id, "flagged", f"sent at {local:%a %Y-%m-%d %H:%M}, outside office hours")
    first = ctx.text.sentences[0] if ctx.text.sentences else None
    return [Hit(first.start, first.end) if first else Hit(0, 0)]
