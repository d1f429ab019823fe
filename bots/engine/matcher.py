"""Linear-time matching with RE2: one Set as a prefilter, then spans for what fired.

RE2 never backtracks, so no admin-written expression can hang the process. `\\b` is
ASCII-only in RE2, so phrases get their own Unicode word boundaries (Portuguese needs them).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import re2

from bots.engine.text import Offsets

_LETTER = r"[\p{L}\p{N}_]"
_NOT_LETTER = r"[^\p{L}\p{N}_]"
_ALNUM = r"[\p{L}\p{N}]"
_GAP = r"[^\p{L}\p{N}_.!?\n]"
#: The same classes widened to every non-ASCII character, for prefilters (RE2 Sets) only: equal
#: on ASCII, a superset elsewhere, so a loose expression matches wherever the exact one does
#: (RE2 has no lookaround or negation, so a wider class only ever widens what matches). Each
#: Unicode class is ~1,350 RE2 instructions; these are ~30.
_LOOSE = {
    _LETTER: r"[0-9A-Za-z_\x{80}-\x{10FFFF}]",
    _ALNUM: r"[0-9A-Za-z\x{80}-\x{10FFFF}]",
    _GAP: r"[^0-9A-Za-z_.!?\n]",
}
_INFLECTABLE = re.compile(r"^[a-z]{4,}$")


class PatternError(ValueError):
    """An expression RE2 cannot compile (backreferences, lookaround, bad syntax)."""


def options(case_sensitive: bool = False) -> re2.Options:
    opts = re2.Options()
    opts.encoding = re2.Options.Encoding.UTF8  # type: ignore[attr-defined]  # not in its stubs
    opts.log_errors = False
    opts.case_sensitive = case_sensitive
    return opts


def _lean(opts: re2.Options) -> re2.Options:
    opts.max_mem = _EXPRESSION_MAX_MEM
    return opts


def _word(word: str, inflect: bool, loose: bool = False) -> str:
    if word.endswith("*"):
        return re2.escape(word[:-1]) + _class(_ALNUM, loose) + "*"
    if word == "...":
        # "..." in a phrase stands for up to four words in between.
        letter, gap = _class(_LETTER, loose), _class(_GAP, loose)
        return r"(?:" + letter + r"+" + gap + r"+){0,4}?"
    escaped = "['’]?".join(re2.escape(piece) for piece in word.split("'"))
    if not (inflect and _INFLECTABLE.match(word)):
        return escaped
    if word.endswith("ee"):
        return escaped + "(?:s|d|ing)?"
    if word.endswith("e"):
        return re2.escape(word[:-1]) + "(?:e|es|ed|ing)"
    if word.endswith("y"):
        return re2.escape(word[:-1]) + "(?:y|ies|ied|ying)"
    return escaped + "(?:s|es|ed|ing)?"


def _class(exact: str, loose: bool) -> str:
    return _LOOSE[exact] if loose else exact


def phrase_regex(phrase: str, inflect: bool = True, loose: bool = False) -> str:
    """Turn a literal phrase into a word-bounded, inflection-tolerant expression body.

    With `loose`, a prefilter's version: it matches wherever the exact one does, and maybe more.
    """
    words = phrase.strip().split()
    parts: list[str] = []
    for word in words:
        part = _word(word, inflect, loose)
        parts.append(part + (r"\s*" if word == "..." else r"[\s\-]+"))
    body = "".join(parts)
    return body[: -len(r"[\s\-]+")] if not body.endswith(r"\s*") else body[: -len(r"\s*")]


#: Equal to `_NOT_LETTER` on ASCII; every other character too (RE2 Unicode mode, so per character).
_ASCII_BOUNDARY = r"[^0-9A-Za-z_]"
_BOUND_OPEN = rf"(?:^|{_NOT_LETTER})(?P<hit>"
_BOUND_CLOSE = rf")(?:{_NOT_LETTER}|$)"
#: The Set is only a prefilter, so it may be looser than the exact expressions: RE2's memory
#: budget is per Set, and Unicode word boundaries around hundreds of phrases overflow the 8 MiB
#: default (a 200-rule policy failed to compile). Out of budget while matching means no match.
_SET_MAX_MEM = 64 << 20
#: A policy's expressions are searched in Sets of at most this many members, sharing one Set's
#: budget (each at least `_SET_MIN_MEM`). One Set of the default policy's ~225 members needed more
#: matching state than 64 MiB on varied drafts, so RE2 reset it on every draft (a check over
#: 1,280 distinct English drafts: 862 µs); two Sets of 32 MiB: 517 µs. Smaller Sets went further
#: (six of 40 members: 424 µs) but each Set is a pass over the text, so a 500-rule policy cost
#: 1.5x a 50-rule one; at 115, 1.1x. The answer is the same either way: a union.
_SET_MEMBERS = 115
_SET_MIN_MEM = 32 << 20
#: Each expression's budget. At RE2's default (8 MiB) an expression with Unicode word boundaries
#: eagerly builds a ~260 KB one-pass table, so 500 phrase rules cost ~120 MiB; at 4 MiB it does
#: not (~35 KB each), with the same matches at the same speed (measured on 5,000-word drafts).
_EXPRESSION_MAX_MEM = 4 << 20


def bounded(body: str) -> str:
    """Wrap an expression so it matches whole words only; the hit is group `hit`."""
    return f"{_BOUND_OPEN}{body}{_BOUND_CLOSE}"


def prefilter(source: str) -> str:
    """The expression without `bounded`'s word boundaries: matches wherever `source` does."""
    if source.startswith(_BOUND_OPEN) and source.endswith(_BOUND_CLOSE):
        return source[len(_BOUND_OPEN) : -len(_BOUND_CLOSE)]
    return source


def compile_pattern(
    expression: str, case_sensitive: bool = False, cached: bool = True
) -> re2._Regexp:
    """Compile with RE2, turning its error into a PatternError an admin can read.

    `re2.compile` keeps the last 128 expressions it compiled alive (an lru_cache); without
    `cached`, the caller alone holds the result, so dropping it frees its program.
    """
    source = expression.encode("utf-8")
    build = re2.compile if cached else re2._Regexp
    try:
        return build(source, _lean(options(case_sensitive)))
    except re2.error:
        pass  # too big for the lean budget: RE2's default budget decides, as before
    try:
        return build(source, options(case_sensitive))
    except re2.error as exc:
        message = exc.args[0] if exc.args else str(exc)
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        raise PatternError(str(message)) from None


class Lazy:
    """An expression checked at load and compiled again when first searched.

    Loading compiles every expression, so a bad one is reported then, and drops it: most of a
    policy's expressions search nothing in most drafts (the Set says which can match), and a
    compiled one holds ~25 bytes per RE2 instruction, ~2,700 instructions for a phrase's Unicode
    word boundaries alone. The first draft that needs it pays its compile (~0.7 ms on average).
    """

    __slots__ = ("_regex", "case_sensitive", "group", "source")

    def __init__(self, source: str, case_sensitive: bool = False) -> None:
        self.source, self.case_sensitive = source, case_sensitive
        # Raises PatternError. Not cached by google-re2, so the program is freed at once.
        self.group = hit_group(compile_pattern(source, case_sensitive, cached=False))
        self._regex: re2._Regexp | None = None

    def get(self) -> re2._Regexp:
        """The compiled expression (compiled now if this is its first use)."""
        if self._regex is None:
            # Two threads may both compile it; either result is the same expression.
            self._regex = compile_pattern(self.source, self.case_sensitive, cached=False)
        return self._regex

    def search(self, data: bytes, pos: int) -> list[tuple[int, int]]:
        """`_search` with this expression: every group's byte span of the first match."""
        return _search(self.get(), data, pos)


class Bounded(Lazy):
    """`bounded(body)`, searched with ASCII word boundaries and the rest checked in Python.

    The Unicode boundary classes are ~2,700 of a phrase expression's RE2 instructions. The
    loose form (boundaries that also accept every non-ASCII character) finds every match the
    exact one does, and its first match is the exact one's whenever the boundary characters it
    took are in fact no letter, digit or `_`: the two differ only in those classes, so they rank
    their ways of matching alike. When one is a letter (an accented letter next to a phrase),
    the exact expression, compiled then, answers.
    """

    __slots__ = ("_loose",)

    def __init__(self, body: str, case_sensitive: bool = False) -> None:
        super().__init__(bounded(body), case_sensitive)
        loose = f"(?:^|{_ASCII_BOUNDARY})(?P<hit>{body})(?:{_ASCII_BOUNDARY}|$)"
        self._loose: re2._Regexp | str = loose
        compile_pattern(loose, case_sensitive, cached=False)  # raises PatternError

    def search(self, data: bytes, pos: int) -> list[tuple[int, int]]:
        loose = self._loose
        if isinstance(loose, str):
            loose = self._loose = compile_pattern(loose, self.case_sensitive, cached=False)
        groups = _search(loose, data, pos)
        (start, end), (hit_start, hit_end) = groups[0], groups[1]
        if start < 0 or (
            self._no_word(data, start, hit_start) and self._no_word(data, hit_end, end)
        ):
            return groups
        return _search(self.get(), data, pos)

    def _no_word(self, data: bytes, start: int, end: int) -> bool:
        """Whether `data[start:end]` (empty, or one character) is in `[^\\p{L}\\p{N}_]`."""
        if end - start <= 1:  # an ASCII character the loose class took, or ^ or $
            return True
        exact = _not_letter(self.case_sensitive)._regexp  # type: ignore[attr-defined]
        return bool(exact.Match(_BOTH, data, start, end)[0][0] >= 0)


@functools.cache
def _not_letter(case_sensitive: bool) -> re2._Regexp:
    return compile_pattern(_NOT_LETTER, case_sensitive)


@dataclass(frozen=True, slots=True)
class Expression:
    """One compiled (or `Lazy`) expression with a key saying what it belongs to."""

    key: str
    source: str
    regex: re2._Regexp | Lazy
    case_sensitive: bool
    #: What the MatchSet's Set searches for it: matches wherever `source` does (and may match
    #: more); by default `source` without `bounded`'s word boundaries.
    screen: str | None = None
    #: `hit_group(regex)`, looked up once: re2 builds a new dict for each `groupindex`.
    group: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "group", hit_group(self.regex))

    def spans(self, offsets: Offsets) -> list[tuple[int, int]]:
        """Character spans of every (non-overlapping) match, preferring group `hit`."""
        char = offsets.char
        return [(char(a), char(b)) for a, b in finditer_hits(self.regex, offsets.data, self.group)]


class _Prefilter:
    """One RE2 Set and the sources it searches, in order (a member's index is its position)."""

    __slots__ = ("case_sensitive", "rset", "sources")

    def __init__(
        self, sources: list[bytes], case_sensitive: bool, max_mem: int = _SET_MAX_MEM
    ) -> None:
        self.sources, self.case_sensitive = sources, case_sensitive
        opts = options(case_sensitive)
        opts.max_mem = max_mem
        self.rset = re2.Set.SearchSet(opts)
        for source in sources:
            self.rset.Add(source)
        self.rset.Compile()

    def match(self, data: bytes) -> list[int]:
        return self.rset.Match(data) or []  # type: ignore[return-value]  # stubs


class MatchSet:
    """Every expression of a policy, compiled once, searched together.

    The Sets only say which expressions to run; exact spans come from each expression. A child
    policy repeats most of its parent's expressions, so it searches the parent's Sets (passed in
    `earlier`) for those, and Sets of its own only for the rest: one copy of the memory, and of
    the matching state as it grows with traffic, instead of two.
    """

    def __init__(self, expressions: Sequence[Expression], earlier: Sequence[MatchSet] = ()):
        self.expressions = tuple(expressions)
        #: Each Set, with the indexes of this policy's expressions behind each of its members.
        self._sets: list[tuple[_Prefilter, list[tuple[int, ...]]]] = []
        for case_sensitive in (False, True):
            wanted: dict[bytes, list[int]] = {}
            for i, e in enumerate(self.expressions):
                if e.case_sensitive == case_sensitive:
                    source = prefilter(e.source) if e.screen is None else e.screen
                    wanted.setdefault(source.encode(), []).append(i)
            while wanted and (shared := _most_shared(earlier, case_sensitive, wanted)):
                self._sets.append((shared, [tuple(wanted.pop(s, ())) for s in shared.sources]))
            sources = list(wanted)
            count = -(-len(sources) // _SET_MEMBERS)
            for chunk in range(count):
                part = sources[chunk * _SET_MEMBERS : (chunk + 1) * _SET_MEMBERS]
                own = _Prefilter(part, case_sensitive, max(_SET_MAX_MEM // count, _SET_MIN_MEM))
                self._sets.append((own, [tuple(wanted[source]) for source in part]))

    def empty_matches(self) -> list[int]:
        """Indexes of the expressions that match the empty string (so would flag every draft).

        Asked of the Sets: `bounded(body)` matches an empty text exactly when `body` does, so the
        prefilter answers exactly. Asking each expression instead (`match(b"")`) would build its
        matching state at load, ~16 bytes per RE2 instruction, for expressions that may never run.
        """
        found: list[int] = []
        for prefilter_set, members in self._sets:
            for local in prefilter_set.match(b""):
                found += members[local]
        return sorted(found)

    def run(
        self, offsets: Offsets, keys: Container[str] | None = None
    ) -> dict[str, list[tuple[int, int]]]:
        """Spans per expression key, for the expressions that matched at all (of `keys`)."""
        fired: dict[str, list[tuple[int, int]]] = {}
        for prefilter_set, members in self._sets:
            for local in prefilter_set.match(offsets.data):
                for index in members[local]:
                    expression = self.expressions[index]
                    if keys is not None and expression.key not in keys:
                        continue
                    spans = expression.spans(offsets)
                    if spans:
                        fired.setdefault(expression.key, []).extend(spans)
        return fired


def _most_shared(
    earlier: Sequence[MatchSet], case_sensitive: bool, wanted: dict[bytes, list[int]]
) -> _Prefilter | None:
    """The earlier Set with the most members in `wanted`, if most of its members are."""
    best, best_common = None, 0
    for matchset in earlier:
        for candidate, _ in matchset._sets:
            if candidate.case_sensitive != case_sensitive:
                continue
            common = sum(source in wanted for source in candidate.sources)
            if common > best_common:
                best, best_common = candidate, common
    if best is None or 2 * best_common < len(best.sources):
        return None
    return best


class Screen:
    """Which of several compiled expressions match a text at all, found in one pass.

    A prefilter: searching each expression costs a pass per expression even when, as usual,
    none of them matches. An always-matching sentinel tells a real "none" from RE2 giving up
    (out of memory); then, and for case-sensitive expressions, every expression is a candidate.
    """

    def __init__(
        self, regexes: Sequence[re2._Regexp | Lazy], loose: Sequence[str | None] | None = None
    ) -> None:
        """`loose[i]`, when given, is searched instead of regex i: it must match wherever that
        regex does (a prefilter: it may match more)."""
        self.size = len(regexes)
        self._always = frozenset(i for i, r in enumerate(regexes) if _case_sensitive(r))
        opts = options(case_sensitive=False)
        opts.max_mem = _SET_MAX_MEM
        self._set = re2.Set.SearchSet(opts)
        for regex, source in zip(regexes, loose or [None] * len(regexes), strict=True):
            self._set.Add(_pattern(regex) if source is None else source.encode())
        self._sentinel = self._set.Add(b"")
        self._set.Compile()

    def candidates(self, data: bytes) -> frozenset[int]:
        """Indexes of the expressions that may match `data` (all of them if unsure)."""
        matched: list[int] = self._set.Match(data) or []  # type: ignore[assignment]  # stubs
        found = frozenset(matched)
        if self._sentinel not in found:
            return frozenset(range(self.size))
        return (found - {self._sentinel}) | self._always


def _case_sensitive(regex: re2._Regexp | Lazy) -> bool:
    return regex.case_sensitive if isinstance(regex, Lazy) else bool(regex.options.case_sensitive)


def _pattern(regex: re2._Regexp | Lazy) -> bytes:
    return regex.source.encode() if isinstance(regex, Lazy) else bytes(regex.pattern)


def hit_group(regex: re2._Regexp | Lazy) -> int:
    """The index of the `(?P<hit>...)` group, or 0 (the whole match). Keys may be bytes."""
    if isinstance(regex, Lazy):
        return regex.group
    names = regex.groupindex
    return int(names.get(b"hit") or names.get("hit") or 0)


def finditer_hits(regex: re2._Regexp | Lazy, data: bytes, group: int) -> Iterator[tuple[int, int]]:
    """Byte spans of every non-overlapping hit (group `group`, else the whole match).

    `finditer` resumes after the whole match, word boundary included, so of two phrases
    separated by one space ("broken for a month") it finds only the first; the next search
    starts where the hit ends instead. RE2's own search (`_search`) spares google-re2's match
    objects.
    """
    search = regex.search if isinstance(regex, Lazy) else functools.partial(_search, regex)
    pos, size = 0, len(data)
    while pos <= size:
        groups = search(data, pos)
        whole = groups[0]
        if whole[0] < 0:
            return
        start, end = groups[group]
        if start < 0:
            start, end = whole
        yield start, end
        pos = max(end, whole[0] + 1)


def first_match(regex: re2._Regexp | Lazy, text: str) -> tuple[int, int] | None:
    """Character span of the first match in `text`, or None."""
    offsets = Offsets(text)
    found = (
        regex.search(offsets.data, 0)
        if isinstance(regex, Lazy)
        else _search(regex, offsets.data, 0)
    )
    start, end = found[0]
    if start < 0:
        return None
    return offsets.char(start), offsets.char(end)


def match_groups(regex: re2._Regexp, data: bytes) -> list[list[tuple[int, int]]]:
    """The byte spans of every group (0 = the whole match) of each match of `finditer(data)`.

    The same matches as `regex.finditer(data)`, in order: google-re2's iterator builds a
    generator frame and a match object per match and asks RE2 for the group count on every
    `span()`, which cost as much as the matching itself on a reply of a few hundred words.
    """
    found: list[list[tuple[int, int]]] = []
    pos, endpos = 0, len(data)
    while True:
        groups = _search(regex, data, pos)
        start, end = groups[0]
        if start < 0:
            return found
        found.append(groups)
        # As re2's finditer: after an empty match, step one byte so the search moves on.
        if pos == endpos:
            return found
        pos = pos + 1 if end == pos else end


def _search(regex: re2._Regexp, data: bytes, pos: int) -> list[tuple[int, int]]:
    """RE2's own unanchored search from `pos`: every group's byte span, (-1, -1) when unset."""
    spans: list[tuple[int, int]] = regex._regexp.Match(  # type: ignore[attr-defined]  # no stub
        _UNANCHORED, data, pos, len(data)
    )
    return spans


_UNANCHORED = re2._Anchor.UNANCHORED  # type: ignore[attr-defined]  # not in its stubs
_BOTH = re2._Anchor.ANCHOR_BOTH  # type: ignore[attr-defined]  # not in its stubs


#: What a Unicode property stands for in a prefilter: its ASCII members, and (outside a negated
#: class) every non-ASCII character. Other properties are left as written.
_PROPERTY_ASCII = {"L": "A-Za-z", "N": "0-9"}
_NON_ASCII = r"\x{80}-\x{10FFFF}"
_PROPERTY = re.compile(r"\\([pP])(?:\{(\w+)\}|(\w))")


def widen(source: str) -> str:
    """`source` for a prefilter (a Set): each `\\p{L}`/`\\p{N}` class widened to every non-ASCII
    character, so it matches wherever `source` does (RE2 has no lookaround or backreferences, so
    a wider class only ever widens what matches) with a far smaller program: a Unicode class is
    ~1,350 RE2 instructions, the wide one ~30. Returns `source` unchanged when in doubt."""
    if "\\p" not in source and "\\P" not in source:
        return source
    out: list[str] = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch == "\\":
            match, ascii_part = _property_at(source, i)
            if match is None:
                out.append(source[i : i + 2])
                i += 2
                continue
            if ascii_part is None:
                return source
            negated = match.group(1) == "P"
            out.append(f"[^{ascii_part}]" if negated else f"[{ascii_part}{_NON_ASCII}]")
            i = match.end()
        elif ch == "[":
            end, members = _bracket(source, i)
            if end < 0:
                return source
            out.append(members)
            i = end
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _property_at(source: str, i: int) -> tuple[re.Match[str] | None, str | None]:
    """At a backslash: the property escape there, if any, and its ASCII members (None: unknown)."""
    match = _PROPERTY.match(source, i)
    return match, _PROPERTY_ASCII.get(match.group(2) or match.group(3)) if match else None


def _bracket(source: str, start: int) -> tuple[int, str]:
    """The class opening at `start`, widened: (index after it, text), or (-1, "") to give up."""
    i = start + 1
    negated = source.startswith("^", i)
    i += negated
    parts: list[str] = []
    wide = False
    first = True
    while i < len(source):
        ch = source[i]
        if ch == "]" and not first:
            break
        first = False
        if ch == "[":
            return -1, ""  # a nested or POSIX class: not worth the risk
        if ch == "\\":
            match, ascii_part = _property_at(source, i)
            if match is None:
                parts.append(source[i : i + 2])
                i += 2
                continue
            if ascii_part is None or match.group(1) == "P":
                return -1, ""
            parts.append(ascii_part)
            wide = True
            i = match.end()
            continue
        if ord(ch) > 0x7F and negated:
            i += 1  # a negated class lets every non-ASCII character through in the wide form
            continue
        parts.append(ch)
        i += 1
    else:
        return -1, ""
    if not wide:
        return i + 1, source[start : i + 1]
    body = "".join(parts) + ("" if negated else _NON_ASCII)
    return i + 1, f"[{'^' if negated else ''}{body}]"


def alternation(phrases: Iterable[str], inflect: bool = True, loose: bool = False) -> str:
    return "|".join(f"(?:{phrase_regex(p, inflect, loose)})" for p in phrases)
