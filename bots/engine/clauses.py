"""Cut a flagged phrase out of a sentence while keeping the facts around it.

"Drop-off is 8am, and call me any time, day or night." loses the offer of unlimited
availability but keeps "Drop-off is 8am." Works on punctuation, so it is language-neutral.
"""

from __future__ import annotations

import re

_DELIMITER = re.compile(r"\s*(?:[,;:]|\s[-–—]\s)\s*")
_LEADING_JOINER = re.compile(
    r"^(?:and|but|so|or|also|then|e|mas|então|ou|também|honestly|honestamente)\b[\s,]*",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"[\s,;:\-–—]+$")
_FACT = re.compile(r"\d|\s(?!I\b|I')[A-ZÀ-Ý][\w'-]+")
_WORD = re.compile(r"[\w'-]+")
_END_MARKS = re.compile(r"[.!?…]+$")


def clauses(sentence: str) -> list[tuple[int, int]]:
    """Offsets of the clauses of a sentence, split at commas, semicolons, colons and dashes."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _DELIMITER.finditer(sentence):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(sentence):
        spans.append((start, len(sentence)))
    return spans


def without(sentence: str, hits: list[tuple[int, int]]) -> str | None:
    """The sentence less every clause a hit touches, or None when what is left carries no facts.

    `hits` are offsets relative to the sentence.
    """
    kept = [
        (start, end)
        for start, end in clauses(sentence)
        if not any(h_start < end and h_end > start for h_start, h_end in hits)
    ]
    if not kept:
        return None
    pieces = [
        _LEADING_JOINER.sub("", _TRAILING.sub("", sentence[s:e].strip())).strip() for s, e in kept
    ]
    text = ", ".join(piece for piece in pieces if piece)
    text = _END_MARKS.sub("", text).strip()
    if not _carries_facts(text):
        return None
    return text[:1].upper() + text[1:] + _final_mark(sentence)


def struck(sentence: str, hits: list[tuple[int, int]]) -> str | None:
    """The sentence with the words of every hit cut out ("the brief you approved specified
    blue" → "the brief specified blue"), or None when what is left carries no facts."""
    text = sentence
    for start, end in sorted(hits, reverse=True):
        text = text[:start] + text[end:]
    text = re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", text)).strip()
    if not _carries_facts(_END_MARKS.sub("", text)):
        return None
    return text[:1].upper() + text[1:]


def _carries_facts(text: str) -> bool:
    """Worth keeping: a number, a name or date, or a long enough statement."""
    words = _WORD.findall(text)
    if len(words) < 4:
        return False
    return len(words) >= 8 or bool(_FACT.search(" " + text[1:]))


def _final_mark(sentence: str) -> str:
    end = sentence.rstrip()
    return "?" if end.endswith("?") else "."
