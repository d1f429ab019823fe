"""A sentence's words with their offsets, for the structural checks (bots/engine/forecasts.py)."""

from __future__ import annotations

import re
from typing import Any

from bots.engine.matcher import match_groups
from bots.engine.text import Offsets

# A clitic ("'ll", "'s"), a word (letters or digits joined by - . : / or an apostrophe that
# starts no clitic: "won't", "O'Neill", "sellers'"), or one punctuation mark that ends a clause.
_TOKEN = re.compile(
    r"'(?:ll|s|re|ve|d|m)\b"
    r"|[^\W_]+(?:[-.:/][^\W_]+|'(?!(?:ll|s|re|ve|d|m)\b)[^\W_]+)*(?:'(?![^\W_]))?"
    r"|[,;:()\"!?]|(?<=\s)-(?=\s)"
)
_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")


class Tokens:
    """A sentence's words (lower case; acronyms like "IT" keep their capitals) and offsets."""

    __slots__ = ("ends", "starts", "text", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        lower = text.lower()
        if len(lower) != len(text):  # a rare letter whose lower case is longer: keep offsets
            lower = "".join(ch.lower()[:1] for ch in text)
        found = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(lower)]
        self.words = [w for w, _, _ in found]
        self.starts = [s for _, s, _ in found]
        self.ends = [e for _, _, e in found]
        # Two capitals in a row need a capital after the first character: most sentences have
        # none, and `re` tries \b at every character.
        acronyms = (
            {} if text[1:].islower() else {m.start(): m.group() for m in _ACRONYM.finditer(text)}
        )
        if acronyms:  # an acronym is a name, never a pronoun or a function word: "IT", "US"
            for i, start in enumerate(self.starts):
                if start in acronyms and len(acronyms[start]) == self.ends[i] - start:
                    self.words[i] = acronyms[start]

    def capital(self, i: int) -> bool:
        return self.text[self.starts[i]].isupper()


def all_matches(regex: Any, text: str) -> list[tuple[int, int]]:
    """Spans of every match, trimmed to letters and digits: an expression may take the space or
    mark around a word as its boundary (RE2's \\b does not know "amanhã" is a word)."""
    if regex is None:
        return []
    offsets = Offsets(text)
    spans = []
    for groups in match_groups(regex, offsets.data):
        start, end = offsets.char(groups[0][0]), offsets.char(groups[0][1])
        while start < end and not text[start].isalnum():
            start += 1
        while end > start and not text[end - 1].isalnum():
            end -= 1
        spans.append((start, end))
    return spans
