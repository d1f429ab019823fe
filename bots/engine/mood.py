"""The client's mood, read from their message with the policy's lexicons.

Strong words decide a mood on their own ("furious", "idiots"); weak hints ("what if",
"deadline") count only when enough of them appear together. A mood word right after a
negation cue ("no worries", "not urgent") is not evidence. Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
from typing import Any

from bots.engine.matcher import finditer_hits, first_match, hit_group
from bots.engine.model import MOODS, ClientMood, Mood, Span
from bots.engine.policy.compiled import MoodLexicon
from bots.engine.text import Offsets, fold

_SHOUTED = re.compile(r"\b(?:[A-ZÀ-ÖØ-Þ]{4,}|NOW)\b")  # "VOCÊS", "AGORA" too
_NOT_SHOUTING = frozenset(
    {
        "ASAP",
        "HTML",
        "JSON",
        "API",
        "CEO",
        "CFO",
        "USA",
        "PDF",
        "SSO",
        "IRS",
        "VAT",
        "SLA",
        "FAQ",
        "URL",
    }
)
_EXCLAIMED = re.compile(r"[!?]{2,}")
_WORD = re.compile(r"[\w'’*]+")
_MAX_EVIDENCE = 5
_REASONS: dict[Mood, str] = {
    "abusive": "insults or abuse aimed at the writer or their team",
    "angry": "anger, or a threat of consequences",
    "frustrated": "frustration or hurt about the service, a repeat problem or the wait",
    "anxious": "worry, fear or distress about what happens next",
}


def read_mood(message: str | None, lexicon: MoodLexicon) -> ClientMood:
    """The strongest mood with evidence in `message`, or calm."""
    if not message or not message.strip():
        return ClientMood()
    folded = fold(message)
    offsets = Offsets(folded)
    # One pass says which lexicons match at all; only those are searched for evidence.
    fired = lexicon.screen.candidates(offsets.data)
    strong, hints = len(lexicon.expressions), len(lexicon.hints)
    ignored = _ignored(lexicon.ignore, offsets) if strong + hints in fired else []
    for index, (mood, regex) in enumerate(lexicon.expressions):
        if index not in fired:
            continue
        evidence = _evidence(regex, offsets, message, lexicon.negation, ignored)
        if evidence:
            return _mood(mood, evidence)
    fired_hints = [hint for i, hint in enumerate(lexicon.hints) if strong + i in fired]
    return _from_hints(message, offsets, lexicon, fired_hints, ignored)


def _from_hints(
    message: str,
    offsets: Offsets,
    lexicon: MoodLexicon,
    hints: list[tuple[Mood, Any]],
    ignored: list[tuple[int, int]],
) -> ClientMood:
    """Weak cues, and shouting, decide only together."""
    found: list[tuple[Mood, Span]] = []
    for mood, regex in hints:
        spans = _evidence(regex, offsets, message, lexicon.negation, ignored)
        found += [(mood, span) for span in spans]
    loud = _loud(message)
    found += [("frustrated", span) for span in loud]
    if len(loud) >= 2 and len(found) == len(loud):
        return _mood("frustrated", tuple(loud), "shouting (capitals or repeated !/?)")
    if len(found) < max(lexicon.hints_needed, 1):
        return ClientMood("calm", "No sign of worry, frustration or anger in the client's message.")
    strongest = max((mood for mood, _ in found), key=MOODS.index)
    spans = tuple(sorted((span for _, span in found), key=lambda s: s.start))[:_MAX_EVIDENCE]
    return _mood(strongest, spans, f"several milder signs of {_REASONS[strongest].split(',')[0]}")


def _ignored(regex: Any, offsets: Offsets) -> list[tuple[int, int]]:
    """Spans of everyday phrases that only look like feelings."""
    if regex is None:
        return []
    return [(offsets.char(m.start()), offsets.char(m.end())) for m in regex.finditer(offsets.data)]


def _evidence(
    regex: Any, offsets: Offsets, original: str, negation: Any, ignored: list[tuple[int, int]]
) -> tuple[Span, ...]:
    spans: list[Span] = []
    for hit_start, hit_end in finditer_hits(regex, offsets.data, hit_group(regex)):
        start, end = offsets.char(hit_start), offsets.char(hit_end)
        if negation is not None and _negated(offsets.text, start, negation):
            continue
        if any(a <= start and end <= b for a, b in ignored):
            continue
        spans.append(Span(start, end, original[start:end]))
        if len(spans) == _MAX_EVIDENCE:
            break
    return tuple(spans)


def _negated(text: str, start: int, negation: Any) -> bool:
    """A negation cue among the two words just before `start`, in the same clause."""
    before = re.split(r"[.!?;,\n]", text[:start])[-1]
    words = _WORD.findall(before)[-2:]
    return bool(words) and first_match(negation, " ".join(words)) is not None


def _loud(message: str) -> tuple[Span, ...]:
    hits = [m for m in _SHOUTED.finditer(message) if m.group() not in _NOT_SHOUTING]
    exclaimed = list(_EXCLAIMED.finditer(message))
    if len(hits) == 1 and len(hits[0].group()) == 4 and not exclaimed:
        hits = []  # one four-letter word in capitals, said calmly, is an acronym ("IPTU", "HMRC")
    hits += exclaimed
    hits.sort(key=lambda m: m.start())
    return tuple(Span(m.start(), m.end(), m.group()) for m in hits[:_MAX_EVIDENCE])


def _mood(mood: Mood, evidence: tuple[Span, ...], why: str | None = None) -> ClientMood:
    quoted = ", ".join(f"“{s.text}”" for s in evidence[:3])
    reason = f"Reads as {mood}: {why or _REASONS[mood]} ({quoted})."
    return ClientMood(mood, reason, evidence)
