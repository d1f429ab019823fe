"""`unless`: negation and hedges just before a match, quoted text, a rule's own cues."""

from __future__ import annotations

import re
from typing import Any

from bots.engine.context import Context
from bots.engine.matcher import first_match
from bots.engine.policy.compiled import Rule

_WORD = re.compile(r"[\w']+")
# Folding turns a dash into "-", so a spaced hyphen ends a clause too ("won't pay — they will").
_CLAUSE_BREAK = re.compile(r"[,;:()\u2013\u2014]|\s-\s")


def suppressed_by(rule: Rule, ctx: Context, start: int, end: int) -> str | None:
    """The reason a match does not count, or None when it stands."""
    unless = rule.spec.unless
    if "quoted" in unless and ctx.text.in_quote(start, end):
        return "quoted text (someone else's words)"
    sentence = ctx.text.sentence_at(start)
    s_start = sentence.start if sentence else 0
    s_end = sentence.end if sentence else len(ctx.text.folded)
    policy = ctx.policy
    window = _window_before(ctx.text.folded[s_start:start], policy.spec.exceptions.window_words)
    negated = "negated" in unless and policy.negation is not None
    hedged = "hedged" in unless and policy.hedge is not None
    # One pass over the window says which cues can be there; only those are searched.
    present = policy.cues_in(window) if negated or hedged else frozenset()
    if negated:
        # A negation governs its own clause: in "You won't go to prison, I can guarantee that"
        # or "No problem, I'm always available" the promise after the comma still stands.
        clause = _CLAUSE_BREAK.split(window)[-1]
        unworried = _without(policy.reassurance, clause) if "reassurance" in present else clause
        # Blanking a reassurance can join words into a cue, so a changed window is searched.
        cue = None
        if "negation" in present or unworried != clause:
            cue = first_match(policy.negation, unworried)
        if cue:
            return f"negated by “{clause[cue[0] : cue[1]].strip()}”"
    if hedged and "hedge" in present:
        cue = first_match(policy.hedge, window)
        if cue:
            return f"hedged by “{window[cue[0] : cue[1]].strip()}”"
    if rule.own_exceptions is not None:
        cue = first_match(rule.own_exceptions, ctx.text.folded[s_start:s_end])
        if cue:
            return f"excepted by “{ctx.text.folded[s_start + cue[0] : s_start + cue[1]].strip()}”"
    return None


def _without(reassurance: Any, window: str) -> str:
    """`window` with reassurances ("don't worry") blanked out, so their "don't" negates nothing."""
    if reassurance is None:
        return window
    while cue := first_match(reassurance, window):
        window = window[: cue[0]] + " " * (cue[1] - cue[0]) + window[cue[1] :]
    return window


def _window_before(prefix: str, words: int) -> str:
    """The last `words` words of `prefix` (the text between sentence start and the match)."""
    found = list(_WORD.finditer(prefix))
    if len(found) <= words:
        return prefix
    return prefix[found[-words].start() :]
