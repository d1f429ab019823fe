"""The one-pass screen that says which expressions can match before any is searched."""

from __future__ import annotations

import pytest

from bots.engine.matcher import (
    Bounded,
    Expression,
    Lazy,
    MatchSet,
    PatternError,
    Screen,
    alternation,
    bounded,
    compile_pattern,
    finditer_hits,
    first_match,
    phrase_regex,
    widen,
)
from bots.engine.text import Offsets


def test_only_expressions_that_match_are_candidates():
    regexes = [compile_pattern(p) for p in (r"\bfurious\b", r"\bidiots?\b", r"still waiting")]
    screen = Screen(regexes)
    assert screen.candidates(b"I am FURIOUS and still waiting.") == {0, 2}
    assert screen.candidates(b"Thanks, all good.") == frozenset()


def test_a_case_sensitive_expression_is_always_a_candidate():
    regexes = [compile_pattern("ASAP", case_sensitive=True), compile_pattern("urgent")]
    assert Screen(regexes).candidates(b"nothing here") == {0}


def test_candidates_never_miss_a_match():
    regexes = [compile_pattern(p) for p in ("a+b", r"\d{3}", "(?P<hit>x)y", "é")]
    screen = Screen(regexes)
    for text in ("aab", "123", "xy", "Café", "AAB 123 XY CAFÉ", ""):
        data = text.encode()
        found = {i for i, r in enumerate(regexes) if r.search(data)}
        assert found <= screen.candidates(data), text


def test_the_match_set_names_exactly_the_expressions_that_match_empty_text():
    # The loader asks the Set instead of each expression (which would build each one's matching
    # state at load); bounded phrases and case-sensitive expressions must answer as they would.
    sources = [
        (bounded(phrase_regex("guarantee")), False),
        (bounded(r"(?:sure)?"), False),  # its body matches empty text, so does the bounded form
        ("x*", False),
        ("ASAP", True),
        ("(?:Q)?", True),
        (r"\d{3}", False),
    ]
    expressions = [
        Expression(f"r{i}", source, compile_pattern(source, cs), cs)
        for i, (source, cs) in enumerate(sources)
    ]
    expected = [i for i, e in enumerate(expressions) if e.regex.match(b"") is not None]
    assert MatchSet(expressions).empty_matches() == expected == [1, 2, 4]


def test_a_loose_alternation_matches_wherever_the_exact_phrases_do():
    # Sets search the loose form (wider classes, no word boundaries): it may fire more often,
    # never less, and the exact expression decides.
    phrases = ["não*", "resolve ... today", "on it", "guarantee"]
    exact = compile_pattern(bounded(alternation(phrases)))
    loose = compile_pattern(alternation(phrases, loose=True))
    texts = ["Não sei.", "naoé", "I'll resolve — ok, maybe — today", "on it!", "guaranteed"]
    texts += ["ação on it", "garantía guarantee ñ", "resolve ção today", "x"]
    found = [t for t in texts if exact.search(t.encode())]
    assert len(found) == 6
    assert all(loose.search(t.encode()) for t in found)
    assert loose.search("naoé".encode()) is None  # no "não" in it, loose or not


def test_a_lazy_expression_is_checked_at_load_and_compiled_on_first_search():
    lazy = Lazy(bounded(phrase_regex("on it")))
    assert lazy.group == 1
    expression = Expression("r", "unused", lazy, False)
    assert expression.spans(Offsets("Yes, on it!")) == [(5, 10)]
    assert lazy.get() is lazy.get()  # compiled once
    with pytest.raises(PatternError):
        Lazy(r"(a)\1")


def test_bounded_phrases_find_what_the_exact_expression_finds():
    # ASCII boundaries in RE2, the rest checked in Python; the exact expression when they differ.
    body = alternation(["esta", "on it", "não*", "garanto"], inflect=False)
    fast, exact = Bounded(body), compile_pattern(bounded(body))
    texts = [
        "esta ação",
        "estação",
        "a estaé esta",
        "on it’s way",
        "naõ",
        "Não!",
        "garantoé garanto",
    ]
    texts += ["ªgaranto", "garanto²", "x_on it", "on it_", "", "on it"]
    for text in texts:
        data = text.encode()
        assert list(finditer_hits(fast, data, 1)) == list(finditer_hits(exact, data, 1)), text
    assert first_match(fast, "estação, esta") == first_match(exact, "estação, esta") == (8, 13)


def test_a_large_policy_is_searched_in_several_sets_with_the_same_answer():
    """~225 members in one Set outgrew RE2's 64 MiB matching state on varied drafts and kept
    resetting; the members are now split across Sets, and what fires is their union."""
    words = [f"word{i}x" for i in range(240)]
    expressions = [
        Expression(f"r{i}", bounded(w), compile_pattern(bounded(w), False), False)
        for i, w in enumerate(words)
    ]
    matchset = MatchSet(expressions)
    assert len(matchset._sets) == 3  # 115 + 115 + 10
    text = "word3x and word177x, then word239x."
    assert sorted(matchset.run(Offsets(text))) == ["r177", "r239", "r3"]


@pytest.mark.parametrize(
    ("source", "wide"),
    [
        (r"(?:^|[^\p{L}])perco(?:[^\p{L}]|$)", r"(?:^|[^A-Za-z])perco(?:[^A-Za-z]|$)"),
        (r"[^\p{L}\p{N}_]x", r"[^A-Za-z0-9_]x"),
        (r"\p{L}+ [\p{L}\p{N}]*", r"[A-Za-z\x{80}-\x{10FFFF}]+ [A-Za-z0-9\x{80}-\x{10FFFF}]*"),
        (r"[^\p{L}ãé]", r"[^A-Za-z]"),  # a negated class lets every non-ASCII character through
        (r"\P{L}", r"[^A-Za-z]"),
        (r"[^\s.!?;]+", r"[^\s.!?;]+"),  # nothing to widen
        (r"\p{Lu}x", r"\p{Lu}x"),  # a property it does not know: left as written
        (r"[\P{L}]", r"[\P{L}]"),  # a negated property inside a class: left as written
    ],
)
def test_widen_gives_a_prefilter_a_small_superset(source, wide):
    assert widen(source) == wide


@pytest.mark.parametrize(
    "source",
    [
        r"(?i)(?:^|[^\p{L}])(?:não\s+durmo|vomitou)(?:[^\p{L}]|$)",
        r"(?i)(?:^|[^\p{L}\p{N}_])(?P<hit>nunca\s+mais)(?:[^\p{L}\p{N}_]|$)",
        r"(?i)\p{L}+ção\s+\p{N}+",
    ],
)
def test_a_widened_pattern_matches_wherever_the_exact_one_does(source):
    exact, loose = compile_pattern(source), compile_pattern(widen(source))
    texts = [
        "não durmo",
        "Não durmo há dias",
        "ãnão durmo",
        "vomitou!",
        "e nunca mais.",
        "sempre_nunca mais",
        "atenção 12",
        "A construção 3",
        "naõ",
        "",
        "nunca maisé",
    ]
    for text in texts:
        data = text.encode()
        if exact.search(data) is not None:
            assert loose.search(data) is not None, text
