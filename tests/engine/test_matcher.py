"""RE2 matching without google-re2's per-match objects: the same matches, in the same order."""

from __future__ import annotations

import pytest

from bots.engine.matcher import (
    bounded,
    compile_pattern,
    finditer_hits,
    first_match,
    hit_group,
    match_groups,
)

CASES = [
    (r"(?P<hit>will)\s+\w+", "We will send it and they will call. Will?"),
    (r"x*", "axxb"),  # empty matches step one byte, as finditer does
    (r"\b", "two words"),
    (r"[\p{L}]+ã", "amanhã e amanhã não"),  # byte offsets around multi-byte letters
    (r"(a)|(b)", "ab ba"),  # unset groups are (-1, -1)
    (r"nothing", "here"),
    (r"", ""),
]


@pytest.mark.parametrize(("pattern", "text"), CASES)
def test_match_groups_are_finditers_matches(pattern, text):
    regex = compile_pattern(pattern)
    data = text.encode()
    expected = [[m.span(g) for g in range(regex.groups + 1)] for m in regex.finditer(data)]
    assert [list(groups) for groups in match_groups(regex, data)] == expected


@pytest.mark.parametrize(("pattern", "text"), CASES)
def test_first_match_is_the_first_search_hit_in_characters(pattern, text):
    regex = compile_pattern(pattern)
    match = regex.search(text)
    assert first_match(regex, text) == (match.span() if match else None)


def test_finditer_hits_finds_a_phrase_right_after_another():
    """finditer resumes after the closing word boundary, so it misses the middle "ab"."""
    regex = compile_pattern(bounded("ab"))
    data = b"ab ab ab"
    assert [m.span(1) for m in regex.finditer(data)] == [(0, 2), (6, 8)]
    assert list(finditer_hits(regex, data, hit_group(regex))) == [(0, 2), (3, 5), (6, 8)]


@pytest.mark.parametrize(("pattern", "text"), CASES)
def test_finditer_hits_are_finditers_whole_matches_once_each(pattern, text):
    """Without a hit group the two agree, empty matches included (finditer repeats some)."""
    regex = compile_pattern(pattern)
    data = text.encode()
    expected = list(dict.fromkeys(m.span() for m in regex.finditer(data)))
    assert list(finditer_hits(regex, data, 0)) == expected
