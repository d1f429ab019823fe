"""Text helpers shared by the checks: normalisation, sentences, quotes and offsets.

Every helper keeps character offsets of the original draft, so a finding's span can be
shown against exactly what the writer typed.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from typing import NamedTuple

# One-for-one replacements only: offsets in the normalised text equal offsets in the draft.
_FOLDS = (
    ("\u2018", "'"),
    ("\u2019", "'"),
    ("\u02bc", "'"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u201e", '"'),
    ("\u00ab", '"'),
    ("\u00bb", '"'),
    ("\u2013", "-"),
    ("\u2014", "-"),
    ("\u00a0", " "),
    ("\u202f", " "),
    ("\u2009", " "),
)
#: Every byte but UTF-8 continuation bytes (10xxxxxx): deleting these counts the others.
_NOT_CONTINUATION = bytes(b for b in range(256) if not 0x80 <= b < 0xC0)

_ABBREVIATION_WORDS = (
    "mr mrs ms dr prof sr jr st vs etc e.g i.e approx no nr sra dra av ltda inc co corp"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())


def _spelled(word: str) -> str:
    """`word` as an expression matching it in any case: "e.g" → "[Ee]\\.[Gg]"."""
    return "".join(re.escape(c) if not c.isalpha() else f"[{c.upper()}{c}]" for c in word)


def _not_after_abbreviation() -> str:
    """Lookbehinds that fail when the full stop just read ends an abbreviation written right
    before it ("Mr.", "e.g."): one per length, as `re` needs fixed-width lookbehinds. Letters are
    matched as [Xx], not case-insensitively: as with `word.lower()`, no other character reads as
    these letters ("ſ" would match "s" under re.IGNORECASE)."""
    lengths: dict[int, list[str]] = {}
    for word in sorted(_ABBREVIATIONS):
        lengths.setdefault(len(word), []).append(_spelled(word))
    return "".join(rf"(?<!(?<!\S)(?:{'|'.join(words)})\.)" for _, words in sorted(lengths.items()))


# A sentence ends at a run of [.!?…] before a space, at a blank line, at a line break before a
# list item or quote, or at any other line break (tried in that order). The expression opens
# with one class of every first character, so `re` skips straight to candidates (it cannot do
# that for an alternation of classes); the lookbehinds then pick the branch for that character.
# A run counts from its first mark only, and a full stop right after an abbreviation ends
# nothing: the lookbehinds decide that in C, where a Python test per full stop cost more than
# the rest of the splitting. A full stop after a space ("no .") sets group 1 and is left to
# `_abbreviation`, which reads the last word before it across the space.
_SENTENCE_END = re.compile(
    r"[.!?…\n](?:(?<=[.!?…])(?<![.!?…].)(?:(?<=\s\.)()|"
    + _not_after_abbreviation()
    + r")[.!?…]*[\"')\]]*(?=\s)|(?<=\n)\s*\n|(?<=\n)(?=\s*[-*•>\d])|(?<=\n))"
)
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
    if text.isascii():
        return text
    # A replace per character scans in C; str.translate with a table looks every character
    # of non-ASCII text up in a dict (20x slower on a Portuguese draft).
    for typographic, plain in _FOLDS:
        text = text.replace(typographic, plain)
    return text


def normalise_input(text: str) -> str:
    """NFC-normalise a draft and turn CRLF into LF (done once, before offsets exist)."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


class Sentence(NamedTuple):
    """One sentence of a text: its character range and its position among the sentences.

    A named tuple, not a frozen dataclass: a draft has dozens and a frozen dataclass costs
    several times as much to build.
    """

    start: int
    end: int
    number: int


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Split into sentences, keeping offsets; abbreviations and decimals do not end one."""
    found: list[Sentence] = []
    _split(text, _SENTENCE_END.finditer(text), found, 0, len(text))
    return tuple(found)


def _split(
    text: str, ends: Iterator[re.Match[str]], found: list[Sentence], start: int, offset: int
) -> int | None:
    """Append to `found` the sentences of `text` from `start` (where the last one ended) on,
    until one ends past `offset` or the text does; `ends` are the sentence ends from `start`.

    Returns where the next sentence may start, or None when the text is done. A plain loop
    appending to a list: a generator per text, and another per consumer, cost more than the
    sentences.
    """
    for match in ends:
        end = match.end()
        if match.lastindex and _abbreviation(text, start, match.start()):
            continue  # "no ." or "etc ." (a full stop after a space): rare
        body = text[start:end].lstrip()
        if body:
            first = end - len(body)
            last = first + len(body.rstrip())
            found.append(_new_sentence(Sentence, (first, last, len(found))))
            if last > offset:
                return end
        start = end
    sentence = _stripped(text, start, len(text), len(found))
    if sentence:
        found.append(sentence)
    return None


#: `Sentence(...)` without its generated Python `__new__`: a call less for every sentence.
_new_sentence = tuple.__new__


def _abbreviation(text: str, start: int, end: int) -> bool:
    """Whether the last word before a full stop is an abbreviation (so no sentence ends)."""
    # The last word of text[start:end], read from its tail: copying and splitting the whole
    # sentence at every full stop cost more than the rest of the splitting.
    window = text[max(start, end - 24) : end]
    words = window.rsplit(None, 1)
    if len(window) == end - start or len(words) == 2 or (words and window[0].isspace()):
        word = words[-1] if words else ""
    else:  # a long word, or only spaces, reaching back past the window
        word = (text[start:end].rsplit(None, 1)[-1:] or [""])[0]
    return word.lower().rstrip(".") in _ABBREVIATIONS


def _stripped(text: str, start: int, end: int, number: int) -> Sentence | None:
    """text[start:end] less its surrounding whitespace, unless nothing is left."""
    body = text[start:end].lstrip()
    if not body:
        return None
    first = end - len(body)
    return Sentence(first, first + len(body.rstrip()), number)


def quoted_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Ranges the writer quotes from someone else ("..." or a '>' reply line)."""
    spans = [(m.start(), m.end()) for m in _QUOTE.finditer(text)]
    if ">" in text:  # a quick look first: `re` tries the multi-line `^` at every position
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
        #: (byte offset, continuation bytes before it) of the last conversion: offsets mostly
        #: come in increasing order, so each conversion counts on from the one before.
        self._mark = (0, 0)

    def char(self, byte_offset: int) -> int:
        """The index of the character holding `byte_offset` (the text's length past its end)."""
        if self.ascii:
            return byte_offset
        if byte_offset >= len(self.data):
            return len(self.text)
        # Every byte up to and including this one starts a character unless it continues one.
        end = byte_offset + 1
        at, continuing = self._mark
        if end < at:
            at, continuing = 0, 0
        continuing += len(self.data[at:end].translate(None, _NOT_CONTINUATION))
        self._mark = (end, continuing)
        return byte_offset - continuing


class Analysed:
    """A draft's text prepared once for every check: folded and indexed.

    Sentences and quotes are found on first use, and sentences only as far as a check
    asks: a draft no rule fired on is never split, and "the sentence at this offset" or
    "the first two sentences" stop splitting there.
    """

    __slots__ = ("_ends", "_found", "_next", "_quotes", "folded", "greeting_end", "offsets", "text")

    def __init__(self, text: str, folded: str, offsets: Offsets, greeting_end: int = 0) -> None:
        self.text = text
        self.folded = folded
        self.offsets = offsets
        self.greeting_end = greeting_end
        self._found: list[Sentence] = []
        #: The sentence ends not yet read, and where the next sentence may start (None: done).
        self._ends = _SENTENCE_END.finditer(folded)
        self._next: int | None = 0
        self._quotes: tuple[tuple[int, int], ...] | None = None

    @classmethod
    def of(cls, text: str) -> Analysed:
        folded = fold(text)
        return cls(text, folded, Offsets(folded), greeting_end(folded))

    def _split_past(self, offset: int) -> None:
        """Split on until a sentence ends past `offset`, or to the end of the text."""
        if self._next is not None:
            self._next = _split(self.folded, self._ends, self._found, self._next, offset)

    def _sentences(self) -> Iterator[Sentence]:
        """Every sentence in order: those found so far, then splitting on."""
        found, index = self._found, 0
        while True:
            if index == len(found):
                self._split_past(found[-1].end if found else -1)
                if index == len(found):
                    return
            yield found[index]
            index += 1

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        """All the sentences."""
        self._split_past(len(self.folded))
        return tuple(self._found)

    @property
    def quotes(self) -> tuple[tuple[int, int], ...]:
        if self._quotes is None:
            self._quotes = quoted_spans(self.folded)
        return self._quotes

    def body_sentences(self) -> tuple[Sentence, ...]:
        """The sentences after a salutation that stands alone ("Hi Dana,\n")."""
        return tuple(s for s in self.sentences if s.end > self.greeting_end)

    def leading(self, limit: int | None) -> tuple[Sentence, ...]:
        """`body_sentences()[:limit]`, or `sentences[:limit]` when there are no body sentences.

        Splits only as far as needed (all of it when `limit` is None).
        """
        body: list[Sentence] = []
        for sentence in self._sentences():
            if sentence.end > self.greeting_end:
                body.append(sentence)
                if len(body) == limit:
                    break
        if body:
            return tuple(body)
        return self.sentences[:limit]

    def first_sentence(self) -> Sentence | None:
        found = self._found
        if not found:
            self._split_past(-1)
        return found[0] if found else None

    def sentence_at(self, offset: int) -> Sentence | None:
        found = self._found
        # Split until a sentence ends past `offset`: sentences are in order and apart, so no
        # later one can hold it. Then look it up by halving, not by walking from the start.
        if not found or found[-1].end <= offset:
            self._split_past(offset)
        index = bisect_right(found, offset, key=_start) - 1
        if index >= 0 and offset < found[index].end:
            return found[index]
        return None

    def in_quote(self, start: int, end: int) -> bool:
        return any(q_start <= start and end <= q_end for q_start, q_end in self.quotes)


def _start(sentence: Sentence) -> int:
    return sentence.start
