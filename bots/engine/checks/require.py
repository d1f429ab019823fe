"""`require`: at least one of the rule's phrases or patterns must appear (early enough)."""

from __future__ import annotations

from bots.engine.context import Context, Hit
from bots.engine.policy.compiled import Rule


def run(rule: Rule, ctx: Context) -> list[Hit]:
    # A greeting on its own line is not a sentence the reader weighs.
    limit = rule.spec.within_sentences
    scope = ctx.text.leading(limit or None)
    if not scope:
        return []
    scope_end = scope[-1].end
    for start, end in sorted(ctx.fired.get(rule.id, ())):
        if start < scope_end:
            excerpt = ctx.text.text[start:end]
            ctx.trace.add(rule.id, "satisfied", f"found “{excerpt}”", (start, end))
            return []
    where = f"in the first {limit} sentence(s)" if limit else "anywhere in the draft"
    ctx.trace.add(rule.id, "flagged", f"none of its phrases or patterns appears {where}")
    return [Hit(scope[0].start, scope_end)]
