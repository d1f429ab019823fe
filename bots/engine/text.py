"""Text helpers shared by the checks: normalisation, sentences, quotes and offsets.

Every helper keeps character offsets of the original draft, so a finding's span can be
shown against exactly what the writer typed.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

# One-for-one replacements only: offsets in the normalised text equal offsets in the draft.
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
    }
)

_ABBREVIATION_WORDS = (
    "mr mrs ms dr prof sr jr st vs etc e.g i.e approx no nr sra dra av ltda inc co corp"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
# Every branch starts with a literal or a class (no `+`, no lookbehind first), so `re` can skip
# ahead to candidate characters instead of trying every position: 1.5x and 8x faster.
_SENTENCE_END = re.compile(r"[.!?…][.!?…]*[\"')\]]*(?=\s)|\n\s*\n|\n(?=\s*[-*•>\d])|\n")
_QUOTE = re.compile(r'"[^"\n]{1,600}"|\'(?<![\w\']\')[^\'\n]{2,600}\'(?![\w])')
_QUOTED_LINE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)
_WORD = re.compile(r"\w+", re.UNICODE)
#: "Hi Dana," / "Dear Mr. Okafor," / "Oi, Carla!" / a salutation alone on its line.
GREETING = re.compile(
    r"^\s*((?:mr|mrs|ms|mx|dr|sr|sra|srta|dra)\.[ \t]+[\w'-]+(?:[ \t][\w'-]+)?,"
    r"|(?:hi+|hello|hey|hiya|dear|good (?:morning|afternoon|evening)|ol[aá]|oi|prezad[oa]s?|"
    r"bom dia|boa tarde|boa noite|car[oa])\b"
    r"(?:,?[ \t]+(?:(?:mr|mrs|ms|mx|dr|prof|sr|sra|srta|dra)\.[ \t]*)?[^,\n!.?:;]{0,40}?)?"
    r"(?:[,!.:]+|(?=[ \t]*\n)|$))[ \t]*\n?",
    re.IGNORECASE,
)


def fold(text: str) -> str:
    """Fold typographic quotes, dashes and spaces to ASCII, one character for one."""
    return text.translate(_FOLD)


def normalise_input(text: str) -> str:
    """NFC-normalise a draft and turn CRLF into LF (done once, before offsets exist)."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    index: int


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Split into sentences, keeping offsets; abbreviations and decimals do not end one."""
    sentences: list[Sentence] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if match.group().startswith(".") and _abbreviation(text, start, match.start()):
            continue
        _append(sentences, text, start, end)
        start = end
    _append(sentences, text, start, len(text))
    return tuple(sentences)


def _abbreviation(text: str, start: int, end: int) -> bool:
    """Whether the last word before a full stop is an abbreviation (so no sentence ends)."""
    word = text[start:end].rsplit(None, 1)[-1:] or [""]
    return word[0].lower().rstrip(".") in _ABBREVIATIONS


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    s = start + lead
    sentences.append(Sentence(s, s + len(stripped), len(sentences)))


def quoted_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Ranges the writer quotes from someone else ("..." or a '>' reply line)."""
    spans = [(m.start(), m.end()) for m in _QUOTE.finditer(text)]
    spans += [(m.start(), m.end()) for m in _QUOTED_LINE.finditer(text)]
    return tuple(sorted(spans))


def greeting_end(text: str) -> int:
    """Where the opening salutation ("Hi Dana,") ends, or 0 when the draft has none."""
    match = GREETING.match(text)
    return match.end(1) if match else 0


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


class Offsets:
    """Converts UTF-8 byte offsets (what RE2 reports) to character offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.data = text.encode("utf-8")
        self.ascii = len(self.data) == len(text)

    @cached_property
    def _starts(self) -> list[int]:
        starts: list[int] = []
        pos = 0
        for ch in self.text:
            starts.append(pos)
            pos += len(ch.encode("utf-8"))
        return starts

    def char(self, byte_offset: int) -> int:
        if self.ascii:
            return byte_offset
        if byte_offset >= len(self.data):
            return len(self.text)
        return bisect_right(self._starts, byte_offset) - 1


@dataclass(frozen=True, slots=True)
class Analysed:
    """A draft's text prepared once for every check: folded, split and indexed."""

    text: str
    folded: str
    offsets: Offsets
    sentences: tuple[Sentence, ...]
    quotes: tuple[tuple[int, int], ...]
    greeting_end: int = 0

    @classmethod
    def of(cls, text: str) -> Analysed:
        folded = fold(text)
        sentences = split_sentences(folded)
        return cls(
            text, folded, Offsets(folded), sentences, quoted_spans(folded), greeting_end(folded)
        )

    def body_sentences(self) -> tuple[Sentence, ...]:
        """The sentences after a salutation that stands alone ("Hi Dana,\n")."""
        return tuple(s for s in self.sentences if s.end > self.greeting_end)

    def sentence_at(self, offset: int) -> Sentence | None:
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None

    def in_quote(self, start: int, end: int) -> bool:
        return any(q_start <= start and end <= q_end for q_start, q_end in self.quotes)
