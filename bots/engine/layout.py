"""The shape of a reply: greeting, body paragraphs of sentences, sign-off (with offsets)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bots.engine.text import Analysed

_SIGNOFF = re.compile(
    r"^(?:best|thanks|thank you|many thanks|regards|kind regards|warm regards|best regards|"
    r"cheers|"
    r"sincerely|warmly|warm wishes|all the best|talk soon|speak soon|take care|love|see you|yours|"
    r"abra[çc]os?|um abra[çc]o|atenciosamente|att\.?|obrigad[oa]|cordialmente|"
    r"at[ée] logo|at[ée] mais|"
    r"beijos?|bjs|sauda[çc][õo]es|grande abra[çc]o)\b",
    re.IGNORECASE,
)
_TERMINAL = (".", "!", "?", ":", "…")


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each part of the draft is; body sentences grouped by paragraph."""

    greeting: str
    paragraphs: tuple[tuple[tuple[int, int], ...], ...]
    signoff: str


def layout(text: Analysed) -> Layout:
    """Find the greeting, the paragraphs of body sentences and the sign-off."""
    original = text.text
    greeting_end = text.greeting_end  # GREETING's end in the folded text, found by Analysed.of
    greeting = original[:greeting_end].strip()
    spans = _sentence_spans(original, text, greeting_end)
    cut = _signoff_start(original, spans)
    signoff = original[spans[cut][0] :].strip() if cut is not None else ""
    body = spans[:cut] if cut is not None else spans
    return Layout(greeting, _paragraphs(original, body), signoff)


def _sentence_spans(original: str, text: Analysed, greeting_end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for sentence in text.sentences:
        if sentence.start >= greeting_end:
            # Sentences are already stripped, and folding keeps whitespace whitespace.
            spans.append((sentence.start, sentence.end))
            continue
        start = greeting_end
        chunk = original[start : sentence.end].strip()
        if chunk:
            offset = original.index(chunk, start)
            spans.append((offset, offset + len(chunk)))
    return spans


def _signoff_start(text: str, spans: list[tuple[int, int]]) -> int | None:
    for index in range(max(len(spans) - 2, 0), len(spans)):
        if _SIGNOFF.match(text[spans[index][0] : spans[index][1]]):
            return index
    if len(spans) > 1:
        last = text[spans[-1][0] : spans[-1][1]]
        if len(last.split()) <= 4 and not last.rstrip().endswith(_TERMINAL):
            return len(spans) - 1
    return None


def _paragraphs(text: str, body: list[tuple[int, int]]) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Group sentences; a line break between two sentences starts a new paragraph."""
    groups: list[list[tuple[int, int]]] = []
    previous_end: int | None = None
    for start, end in body:
        if previous_end is None or text.find("\n", previous_end, start) >= 0:
            groups.append([])
        groups[-1].append((start, end))
        previous_end = end
    return tuple(tuple(group) for group in groups)
