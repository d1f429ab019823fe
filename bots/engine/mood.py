"""The client's mood, read from their message with the policy's lexicons."""

from __future__ import annotations

import re

from bots.engine.matcher import hit_group
from bots.engine.model import ClientMood, Mood, Span
from bots.engine.policy.compiled import MoodLexicon
from bots.engine.text import Offsets, fold

_SHOUTED = re.compile(r"\b[A-Z]{4,}\b")
_EXCLAIMED = re.compile(r"[!?]{2,}")
_REASONS: dict[Mood, str] = {
    "abusive": "insults or threats the writer should not have to absorb",
    "angry": "anger or a threat of consequences",
    "frustrated": "frustration with the service or the wait",
    "anxious": "worry or uncertainty about what happens next",
}


def read_mood(message: str | None, lexicon: MoodLexicon) -> ClientMood:
    """The strongest mood with evidence in `message`, or calm."""
    if not message or not message.strip():
        return ClientMood()
    folded = fold(message)
    offsets = Offsets(folded)
    for mood, regex in lexicon.expressions:
        evidence = _spans(regex, offsets, message)
        if evidence:
            return _mood(mood, evidence)
    loud = _loud(message)
    if loud:
        return _mood("frustrated", loud, "shouting (capitals or repeated !/?)")
    return ClientMood("calm", "No sign of worry, frustration or anger in the client's message.")


def _spans(regex: object, offsets: Offsets, original: str) -> tuple[Span, ...]:
    spans = []
    for match in regex.finditer(offsets.data):  # type: ignore[attr-defined]
        group = hit_group(regex) if match.start(hit_group(regex)) >= 0 else 0
        start, end = offsets.char(match.start(group)), offsets.char(match.end(group))
        spans.append(Span(start, end, original[start:end]))
        if len(spans) == 5:
            break
    return tuple(spans)


def _loud(message: str) -> tuple[Span, ...]:
    hits = [m for m in _SHOUTED.finditer(message) if m.group() not in {"ASAP", "HTML", "JSON"}]
    hits += list(_EXCLAIMED.finditer(message))
    if len(hits) < 2:
        return ()
    return tuple(Span(m.start(), m.end(), m.group()) for m in hits[:5])


def _mood(mood: Mood, evidence: tuple[Span, ...], why: str | None = None) -> ClientMood:
    quoted = ", ".join(f"“{s.text}”" for s in evidence[:3])
    reason = f"Reads as {mood}: {why or _REASONS[mood]} ({quoted})."
    return ClientMood(mood, reason, evidence)

