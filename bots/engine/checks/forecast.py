"""`forecast`: a clause states as certain a date or an outcome that others decide.

The structure is read by bots.engine.forecasts (which also drops "will not"/"will never");
this module applies the rule's exceptions (quoted text, negation and hedges just before the
subject, `unless_phrases` anywhere in the sentence) and says why each finding is one.
"""

from __future__ import annotations

from typing import Any

from bots.engine.checks.exceptions import suppressed_by
from bots.engine.context import Context, Hit
from bots.engine.forecasts import Forecast, find
from bots.engine.policy.compiled import Rule
from bots.engine.text import Sentence


def run(rule: Rule, ctx: Context) -> list[Hit]:
    grammar = rule.grammar
    if grammar is None:
        return []
    hits: list[Hit] = []
    seen = False
    for sentence in _candidates(ctx, grammar.prefilter):
        for forecast in find(ctx.text.folded, sentence.start, sentence.end, grammar):
            seen = True
            hit = _judge(rule, ctx, forecast)
            if hit is not None:
                hits.append(hit)
    if not seen:
        ctx.trace.add(rule.id, "silent", "no clause states a date or an outcome others decide")
    return hits


def _candidates(ctx: Context, prefilter: Any) -> list[Sentence]:
    """The sentences where the prefilter sees a possible head (one RE2 pass over the draft)."""
    offsets = ctx.text.offsets
    starts = sorted({offsets.char(m.start()) for m in prefilter.finditer(offsets.data)})
    out: list[Sentence] = []
    for start in starts:
        sentence = ctx.text.sentence_at(start)
        if sentence is not None and (not out or out[-1] is not sentence):
            out.append(sentence)
    return out


def _judge(rule: Rule, ctx: Context, forecast: Forecast) -> Hit | None:
    span = (forecast.start, forecast.end)
    excerpt = ctx.text.text[forecast.start : forecast.end]
    reason = suppressed_by(rule, ctx, *span)
    if reason:
        ctx.trace.add(rule.id, "suppressed", f"“{excerpt}”: {reason}", span)
        return None
    template = rule.reasons.get(forecast.case)
    why = (
        template.render(subject=forecast.subject, anchor=forecast.anchor).strip()
        if template
        else ""
    )
    ctx.trace.add(rule.id, "matched", f"“{excerpt}”: {forecast.case}: {why}", span)
    return Hit(forecast.start, forecast.end, why)
