"""`require`: at least one of the rule's phrases or patterns must appear (early enough).

A match inside one of the rule's `unless_phrases` does not count: "sorry" counts as an
acknowledgement, "sorry for the late reply" does not.
"""

from __future__ import annotations

from bots.engine.context import Context, Hit
from bots.engine.matcher import finditer_hits, hit_group
from bots.engine.policy.compiled import Rule


def run(rule: Rule, ctx: Context) -> list[Hit]:
    # A greeting on its own line is not a sentence the reader weighs.
    limit = rule.spec.within_sentences
    scope = ctx.text.leading(limit or None)
    if not scope:
        return []
    scope_end = scope[-1].end
    for start, end in counted(rule, ctx, trace=True):
        if start < scope_end:
            ctx.trace.add(rule.id, "satisfied", f"found “{ctx.text.text[start:end]}”", (start, end))
            return []
    where = f"in the first {limit} sentence(s)" if limit else "anywhere in the draft"
    ctx.trace.add(rule.id, "flagged", f"none of its phrases or patterns appears {where}")
    return [Hit(scope[0].start, scope_end)]


def counted(rule: Rule, ctx: Context, trace: bool = False) -> list[tuple[int, int]]:
    """The spans of the rule's matches that count, in order: none inside an `unless_phrase`."""
    hits = sorted(ctx.fired.get(rule.id, ()))
    if not hits or rule.own_exceptions is None:
        return hits
    regex, offsets = rule.own_exceptions, ctx.text.offsets
    spans = finditer_hits(regex, offsets.data, hit_group(regex))
    voided = [(offsets.char(a), offsets.char(b)) for a, b in spans]
    kept = []
    for start, end in hits:
        if any(a < end and start < b for a, b in voided):
            if trace:
                excerpt = ctx.text.text[start:end]
                ctx.trace.add(rule.id, "skipped", f"“{excerpt}” is part of an exception")
            continue
        kept.append((start, end))
    return kept
