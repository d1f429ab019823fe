"""`forecast`: a clause states as certain a date or an outcome that others decide.

The structure is read by bots.engine.forecasts and bots.engine.subjects (which also drop
"will not"/"will never"); this module applies the rule's exceptions (quoted text, negation
and hedges just before the subject, `unless_phrases` anywhere in the sentence) and says why
each finding is one.
"""

from __future__ import annotations

import dataclasses

from bots.engine.checks.exceptions import suppressed_by
from bots.engine.context import Context, Hit
from bots.engine.forecasts import Forecast, find
from bots.engine.grammar import Grammar
from bots.engine.matcher import match_groups
from bots.engine.policy.compiled import Rule
from bots.engine.text import Sentence


def run(rule: Rule, ctx: Context) -> list[Hit]:
    grammar = rule.grammar
    if grammar is None:
        return []
    hits: list[Hit] = []
    seen = False
    for sentence in _candidates(ctx, grammar):
        for forecast in _find(rule, ctx, sentence, grammar):
            seen = True
            hit = _judge(rule, ctx, forecast)
            if hit is not None:
                hits.append(hit)
    if not seen:
        ctx.trace.add(rule.id, "silent", "no clause states a date or an outcome others decide")
    return hits


def _find(rule: Rule, ctx: Context, sentence: Sentence, g: Grammar) -> list[Forecast]:
    """`find` on one sentence, parsed once per check: `find` reads only the sentence's text, and
    a rewrite's re-check (or a draft repeating itself) brings the same sentence back."""
    folded, start = ctx.text.folded, sentence.start
    key = (rule.id, folded[start : sentence.end])
    seen = ctx.sentences_seen.get(key)
    if seen is None:
        seen = ctx.sentences_seen[key] = (start, find(folded, start, sentence.end, g))
    before, forecasts = seen
    if before == start:
        return list(forecasts)
    shift = start - before
    return [dataclasses.replace(f, start=f.start + shift, end=f.end + shift) for f in forecasts]


def _candidates(ctx: Context, g: Grammar) -> list[Sentence]:
    """The sentences where the prefilter sees a possible head (one RE2 pass over the draft)."""
    offsets, folded = ctx.text.offsets, ctx.text.folded
    out: list[Sentence] = []
    for groups in match_groups(g.prefilter, offsets.data):
        start, end = offsets.char(groups[0][0]), offsets.char(groups[0][1])
        if _cannot_count(folded, start, end, g):
            continue
        sentence = ctx.text.sentence_at(start)
        if sentence is not None and (not out or out[-1] is not sentence):
            out.append(sentence)
    return out


def _cannot_count(folded: str, start: int, end: int, g: Grammar) -> bool:
    """A head the parser would turn down at once, judged from the words either side of it.

    "I'll send…", "we will call…" are most of a reply's futures and never count: after the
    writer, "we" or "you", a future counts only before a verb that can need others ("we'll have
    the permit", "I'll get it approved", "you'll be refunded", "we'll win"). A present verb after
    "to", "will", "the" or the writer is no present tense of someone else's ("I'll send"); after
    "you", only receiving can need others ("you get your deposit back on Friday").
    """
    head = folded[start:end].lower().split(None, 1)[0]
    before = folded[max(0, start - 16) : start].lower().split()
    prev = before[-1].strip("\"'(") if before else ""
    if "'" in prev:  # "they'll send": the word before "send" is "'ll"
        prev = prev[prev.index("'") :]
    if head in g.future:
        if prev in g.breaks:
            return True  # "…and will": no subject of its own
        if prev not in g.writer and prev not in g.own_side and prev not in g.client:
            return False
        after = folded[end : end + 24].lower().split(None, 1)
        return not after or after[0].strip(",.;:") not in g.own_verbs
    if prev in g.client:
        return head not in g.receive
    return (
        prev in g.writer
        or prev in g.own_side
        or prev in g.determiners
        or prev in g.modals
        or prev in g.future
    )


def _judge(rule: Rule, ctx: Context, forecast: Forecast) -> Hit | None:
    span = (forecast.start, forecast.end)
    excerpt = ctx.text.text[forecast.start : forecast.end]
    reason = suppressed_by(rule, ctx, *span)
    if reason:
        ctx.trace.add(rule.id, "suppressed", f"“{excerpt}”: {reason}", span)
        return None
    template = rule.reasons.get(forecast.case)
    values = {"subject": forecast.subject, "anchor": forecast.anchor}
    hit = Hit(forecast.start, forecast.end, (template, values) if template else None)
    if ctx.trace.enabled:
        ctx.trace.add(rule.id, "matched", f"“{excerpt}”: {hit.reason_text()}", span)
    return hit
