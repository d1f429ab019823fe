"""A `forecast` rule's word classes, compiled once at load into sets the parser looks up.

Entries are words or short phrases. A verb or noun entry also matches its usual endings: in
English "arrive" → arrives, arrived, arriving, "refund" → refunds; in Portuguese "aprovar" →
aprova, aprovam, aprovado(s/a/as), aprovará, aprovarão, "reembolso" → reembolsos. `base|form`
adds irregular forms that never head a present-tense clause ("pay|paid", "win|won"). In a
phrase only the first word takes endings ("come through" → comes through).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import re2

from bots.engine import matcher
from bots.engine.policy.schema import ForecastSpec

#: Variables a forecast rule's `reasons` texts may use.
REASON_VARIABLES = frozenset({"subject", "anchor"})
#: A word or phrase table: first word → the words that must follow it (possibly none).
Table = dict[str, tuple[tuple[str, ...], ...]]

_DOUBLES = re.compile(r"^[a-z]*[^aeiou][aeiou][bdgklmnprt]$")


@dataclass(frozen=True, slots=True)
class Grammar:
    """Everything the parser needs, as plain sets and tables (no I/O, no regex compiling)."""

    future: Table
    present: Table  # present-tense forms only: "arrives", "arrive"
    be: frozenset[str]
    states: Table
    locatives: frozenset[str]  # "on", "at": before a place ("is on the van tomorrow")
    places: frozenset[str]  # vehicles and destinations others bring things to: van, door
    decisions: Table  # every form: "approve", "approves", "approved"
    results: Table
    remedies: Table  # what others do to put things right: rebook, replace, regrade
    handled: Table  # what others do to a thing, said in the passive: delivered, fitted
    receive: frozenset[str]
    issued: frozenset[str]
    routine: Table
    writer: frozenset[str]
    own_side: frozenset[str]
    client: frozenset[str]
    others: frozenset[str]
    things: frozenset[str]
    modals: frozenset[str]
    determiners: frozenset[str]
    own_work: frozenset[str]
    own_people: frozenset[str]
    external: frozenset[str]
    breaks: frozenset[str]
    conditions: Table
    vouches: Table  # "make sure", "ensure": the clause after them is vouched for
    hinges: Table  # "once", "as soon as": a date in the sentence waits on another event
    times: Any  # RE2 regex
    past: Any  # RE2 regex or None
    heads: frozenset[str]  # every word that can start a predicate: for a quick pre-check
    prefilter: Any  # RE2: where a clause head may be, so most sentences are never tokenised
    own_verbs: frozenset[str]  # after "I will"/"we'll", the only verbs that can need others
    negation: frozenset[str]  # right after a future marker: "will not", "will never"
    agreement: bool  # English: "the pallets leave" / "the courier leaves" (a bare verb is plural)


def _endings(word: str, language: str | None) -> set[str]:
    """Forms of a regular verb or noun; extra forms that do not exist never match."""
    if language == "pt":
        return _pt_endings(word)
    out = {word}
    if language != "en" or not word.replace("-", "").isalpha() or len(word) < 2:
        return out
    if word.endswith("e"):
        out |= {word + "s", word + "d", word[:-1] + "ing"}
    elif word.endswith("y") and word[-2] not in "aeiou":
        out |= {word[:-1] + "ies", word[:-1] + "ied", word + "ing"}
    elif word.endswith(("s", "sh", "ch", "x", "z", "o")):
        out |= {word + "es", word + "ed", word + "ing"}
    else:
        out |= {word + "s", word + "ed", word + "ing"}
    if _DOUBLES.match(word):
        out |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return out


#: Portuguese regular verbs: infinitive ending → present (ele, eles), participle stem.
_PT_VERBS = (("ar", "a", "am", "ad"), ("er", "e", "em", "id"), ("ir", "e", "em", "id"))


def _pt_endings(word: str) -> set[str]:
    """ "aprovar" → aprova, aprovam, aprovado(s), aprovada(s), aprovará, aprovarão; a noun
    takes its plural. Irregular forms are listed as entries of their own ("sai", "saem")."""
    if not word.isalpha():
        return {word}
    for ending, one, many, participle in _PT_VERBS:
        if word.endswith(ending) and len(word) > 3:
            stem = word[:-2]
            done = {stem + participle + g for g in ("o", "a", "os", "as")}
            return {word, stem + one, stem + many, word + "á", word + "ão"} | done
    return {word, word + ("es" if word.endswith(("r", "z")) else "s")}


def _present(word: str, language: str | None) -> set[str]:
    """The forms that can state a future alone: English base and -s, Portuguese ele/eles."""
    if language == "pt":
        for ending, one, many, _ in _PT_VERBS:
            if word.isalpha() and word.endswith(ending) and len(word) > 3:
                return {word[:-2] + one, word[:-2] + many}
        return {word}  # an entry that is already a present form: "sai", "saem"
    forms = _endings(word, language)
    return {f for f in forms if not f.endswith(("ed", "ing"))} | {word}


def _table(entries: Iterable[str], language: str | None, present_only: bool = False) -> Table:
    table: dict[str, set[tuple[str, ...]]] = {}
    for entry in entries:
        first, *extra = entry.lower().split("|")
        words = first.split()
        head, tail = words[0], tuple(words[1:])
        forms = _present(head, language) if present_only else _endings(head, language)
        if not present_only:
            forms |= {form.strip() for form in extra if form.strip()}
        for form in forms:
            table.setdefault(form, set()).add(tail)
    return {form: tuple(sorted(tails, key=len, reverse=True)) for form, tails in table.items()}


def _words(entries: Iterable[str], language: str | None = None) -> frozenset[str]:
    out: set[str] = set()
    for entry in entries:
        first, *extra = entry.lower().split("|")
        out |= _endings(first, language)
        out |= {form.strip() for form in extra if form.strip()}
    return frozenset(out)


def _regex(sources: tuple[str, ...]) -> Any:
    if not sources:
        return None
    return matcher.compile_pattern("|".join(f"(?:{s})" for s in sources))


def _prefilter(
    future: Table,
    present: Table,
    be: frozenset[str],
    states: Iterable[str],
    located: tuple[frozenset[str], frozenset[str]],
) -> Any:
    """One expression for every possible head: a future marker, a present verb, "is" + a state
    ("is back", or "is on the van": a preposition, up to three words, a place)."""

    def word(w: str) -> str:
        # "'ll" is glued to its host ("they'll"): no word boundary before it.
        return re2.escape(w) if w.startswith("'") else r"\b" + re2.escape(w)

    def phrase(text: str) -> str:
        return r"\s+".join(word(w) for w in text.split()) + r"\b"

    def entries(table: Table) -> list[str]:
        return sorted(
            phrase(" ".join((first, *tail))) for first, tails in table.items() for tail in tails
        )

    heads = entries(future)
    heads.append(r"(?:" + "|".join(entries(present)) + ")")
    if be and states:
        verbs = "|".join(word(w) for w in sorted(be))
        heads.append(rf"(?:{verbs})\s+(?:" + "|".join(phrase(s) for s in states) + ")")
    locatives, places = located
    if be and locatives and places:
        verbs = "|".join(word(w) for w in sorted(be))
        at = "|".join(word(w) for w in sorted(locatives))
        where = "|".join(word(w) for w in sorted(places))
        heads.append(rf"(?:{verbs})\s+(?:{at})\s+(?:[\w'-]+\s+){{0,3}}?(?:{where})\b")
    return matcher.compile_pattern("|".join(heads))


def compile_grammar(spec: ForecastSpec, language: str, negation: Iterable[str] = ()) -> Grammar:
    """Build the lookup tables; raises matcher.PatternError for a bad `times`/`past` pattern.

    `negation` is the policy's `exceptions.negation`: its one-word cues end a future marker.
    """
    lang = language  # verbs and nouns take this language's endings; function words do not
    present = _table(
        (*spec.present, *spec.decisions, *spec.results, *spec.remedies), lang, present_only=True
    )
    future = _table(spec.future, None)
    be = _words(spec.be)
    results = _table(spec.results, lang)
    receive = _words(spec.receive, lang)
    remedies = _table(spec.remedies, lang)
    locatives, places = _words(spec.locatives), _words(spec.places, lang)
    return Grammar(
        future=future,
        present=present,
        be=be,
        states=_table(spec.states, None),
        locatives=locatives,
        places=places,
        decisions=_table(spec.decisions, lang),
        results=results,
        remedies=remedies,
        handled=_table(spec.handled, lang),
        receive=receive,
        issued=_words(spec.issued, lang),
        routine=_table(spec.routine, lang),
        writer=_words(spec.subjects.writer),
        own_side=_words(spec.subjects.own_side),
        client=_words(spec.subjects.client),
        others=_words(spec.subjects.others),
        things=_words(spec.subjects.things),
        modals=_words(spec.clauses.modals),
        determiners=_words(spec.subjects.determiners),
        own_work=_words(spec.subjects.own_work, lang),
        own_people=_words(spec.subjects.own_people, lang),
        external=_words(spec.subjects.external, lang),
        breaks=_words(spec.clauses.breaks),
        conditions=_table(spec.clauses.conditions, None),
        vouches=_table(spec.clauses.vouches, lang),
        hinges=_table(spec.clauses.hinges, None),
        times=_regex(spec.times),
        past=_regex(spec.past),
        heads=frozenset(future) | frozenset(present) | be,
        prefilter=_prefilter(future, present, be, spec.states, (locatives, places)),
        own_verbs=receive | be | frozenset(results),
        negation=frozenset(w.lower() for w in negation if " " not in w),
        agreement=language == "en",
    )


def starts(table: Table, words: list[str], at: int) -> int:
    """How many words of `words` from `at` one entry of `table` covers (0: none does)."""
    tails = table.get(words[at]) if at < len(words) else None
    if tails is None:
        return 0
    for tail in tails:  # longest first
        end = at + 1 + len(tail)
        if tuple(words[at + 1 : end]) == tail:
            return 1 + len(tail)
    return 0
