"""Sentence splitting and quotes: the offsets every check and the rewrite rely on."""

from __future__ import annotations

import pytest

from bots.engine.clauses import struck
from bots.engine.text import Analysed, Offsets, fold, quoted_spans, split_sentences


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Hi Dana,\n\nThe fee is 2.5k. Mr. Okafor signed it! Done?",
            ["Hi Dana,", "The fee is 2.5k.", "Mr. Okafor signed it!", "Done?"],
        ),
        ("Ask Dr. Lee, e.g. today. Then stop.", ["Ask Dr. Lee, e.g. today.", "Then stop."]),
        (
            "Items:\n- one\n- two\n> quoted line\nend",
            ["Items:", "- one", "- two", "> quoted line", "end"],
        ),
        ("See approx.   \n next", ["See approx.", "next"]),
        # A word longer than the tail the abbreviation check reads first.
        (
            "It is antidisestablishmentarianisms. Next one.",
            ["It is antidisestablishmentarianisms.", "Next one."],
        ),
        # Spaces between an abbreviation and its full stop: still an abbreviation.
        ("Call Mr" + " " * 30 + ". Then go.", ["Call Mr" + " " * 30 + ". Then go."]),
        ("", []),
        ("  \n\n ", []),
    ],
)
def test_sentences_end_at_stops_and_line_breaks_but_not_abbreviations(text, expected):
    assert sentences(text) == expected


def test_sentences_are_numbered_in_order():
    assert [s.number for s in split_sentences("One. Two! Three?")] == [0, 1, 2]


def test_quotes_and_quoted_reply_lines_are_found():
    text = 'He said "no way" and left.\n> your words\nOk'
    assert [text[a:b] for a, b in quoted_spans(text)] == ['"no way"', "> your words"]
    assert quoted_spans("Nothing quoted here.") == ()


TEXT = "Hi Dana,\nThe fee is 2.5k. Mr. Okafor signed it! Done? Yes.\n\nBest,\nJo"


def test_the_sentence_at_an_offset_is_found_without_splitting_the_rest():
    analysed = Analysed.of(TEXT)
    at = TEXT.index("Okafor")
    sentence = analysed.sentence_at(at)
    assert sentence is not None and TEXT[sentence.start : sentence.end] == "Mr. Okafor signed it!"
    assert analysed.sentence_at(TEXT.index("\n\n") + 1) is None  # between two sentences
    assert analysed.sentence_at(len(TEXT) + 5) is None
    assert analysed.sentences == split_sentences(TEXT)


def test_leading_sentences_skip_a_greeting_alone_on_its_line():
    analysed = Analysed.of(TEXT)
    assert [TEXT[s.start : s.end] for s in analysed.leading(2)] == [
        "The fee is 2.5k.",
        "Mr. Okafor signed it!",
    ]
    assert analysed.leading(None) == analysed.body_sentences()
    assert analysed.first_sentence() == analysed.sentences[0]


def test_a_draft_that_is_only_a_greeting_leads_with_the_greeting():
    analysed = Analysed.of("Hi Dana,")
    assert analysed.body_sentences() == ()
    assert [s.start for s in analysed.leading(2)] == [0]


def test_fold_maps_typographic_characters_one_for_one():
    text = "“Não” – it’s\u00a0done…"
    folded = fold(text)
    assert folded == '"Não" - it\'s done…'
    assert len(folded) == len(text)
    assert fold("plain ascii") == "plain ascii"


def test_byte_offsets_become_character_offsets_in_any_order():
    text = "ação é 😀 ok"
    offsets = Offsets(text)
    starts = [len(text[:i].encode()) for i in range(len(text))]
    expected = {b: i for i, b in enumerate(starts)}
    for byte in [*starts, *reversed(starts), 3, 1]:
        assert offsets.char(byte) == expected[byte]
    assert offsets.char(len(offsets.data)) == len(text)
    assert offsets.char(2) == 1  # inside "ç": the character that holds the byte


def test_struck_cuts_only_the_hit_and_tidies_the_gap():
    sentence = "The proof you approved, dated 3 March, had the 16th."
    start = sentence.index("you approved")
    assert struck(sentence, [(start, start + len("you approved"))]) == (
        "The proof, dated 3 March, had the 16th."
    )


def test_struck_gives_up_when_no_fact_is_left():
    sentence = "You approved it."
    assert struck(sentence, [(0, len("You approved"))]) is None
