"""A loaded policy: validated, compiled once, immutable. Reloading builds a new one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jinja2
import re2

from bots.engine.grammar import Grammar
from bots.engine.hours import OfficeHours
from bots.engine.matcher import MatchSet, Screen
from bots.engine.model import Category, Mood, PolicyRef, Severity
from bots.engine.policy.schema import PolicySpec, RuleSpec
from bots.engine.templating import RuleText

#: Kinds whose rules can only find something the policy's MatchSet fired on.
MATCHED_KINDS = frozenset({"phrase", "pattern"})
#: Kinds that flag a sentence (the rewrite replaces or cuts it), as opposed to the whole draft.
SENTENCE_KINDS = MATCHED_KINDS | {"forecast"}


@dataclass(frozen=True, slots=True)
class Condition:
    """A rule's `when`, compiled."""

    moods: frozenset[Mood] | None = None
    client: Any = None  # re2 regex over the client message
    after_hours: bool | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule, ready to run: templates compiled, expressions registered in the MatchSet."""

    spec: RuleSpec
    message: RuleText
    why: RuleText
    suggestion: RuleText | None
    drop: bool
    when: Condition
    own_exceptions: Any  # re2 regex of `unless_phrases`, or None
    grammar: Grammar | None = None  # `forecast` rules: their word classes, compiled
    reasons: dict[str, RuleText] = field(default_factory=dict)  # `forecast`: per case
    strike: bool = False  # the rewrite cuts the flagged words and keeps the rest of the sentence

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def category(self) -> Category:
        return self.spec.category

    @property
    def severity(self) -> Severity:
        return self.spec.severity

    @property
    def kind(self) -> str:
        return self.spec.kind


@dataclass(frozen=True, slots=True)
class MoodLexicon:
    """One compiled expression per mood, strongest first; weak hints; negation cues."""

    expressions: tuple[tuple[Mood, Any], ...]
    hints: tuple[tuple[Mood, Any], ...] = ()
    hints_needed: int = 2
    negation: Any = None
    ignore: Any = None
    #: What the screen searches for each expression, hint and `ignore` (a looser source that
    #: matches wherever the expression does; see `matcher.alternation`), if given.
    screens: tuple[str, ...] = ()
    #: Expressions, then hints, then `ignore`: which can match a message at all, in one pass.
    screen: Screen = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        regexes = [regex for _, regex in (*self.expressions, *self.hints)]
        regexes += [self.ignore] if self.ignore is not None else []
        object.__setattr__(self, "screen", Screen(regexes, self.screens or None))


@dataclass(frozen=True, slots=True)
class Policy:
    """Everything the engine needs to check a draft, compiled at load."""

    spec: PolicySpec
    digest: str
    source: str
    rules: tuple[Rule, ...]
    matchset: MatchSet
    hours: OfficeHours
    negation: Any
    hedge: Any
    mood: MoodLexicon
    templates: jinja2.Environment
    named: dict[str, jinja2.Template] = field(default_factory=dict)
    reassurance: Any = None
    #: What the cue screen searches for each cue, by name, if given (see `Screen`).
    cue_screens: dict[str, str] = field(default_factory=dict)
    #: Rule index by id, and the indexes of rules that are not phrase/pattern (they run always).
    positions: dict[str, int] = field(init=False, repr=False, compare=False)
    unconditional: tuple[int, ...] = field(init=False, repr=False, compare=False)
    #: Rules a suggested rewrite must not trip (enabled, active, non-info, sentence-level):
    #: the ids of the phrase/pattern ones (the MatchSet says when they fire), and the indexes
    #: of the others (`forecast`), which run on every rewrite.
    blockers: frozenset[str] = field(init=False, repr=False, compare=False)
    unmatched_blockers: tuple[int, ...] = field(init=False, repr=False, compare=False)
    #: The `unless` cues (reassurance, negation, hedge) a policy has, screened in one pass.
    cue_names: tuple[str, ...] = field(init=False, repr=False, compare=False)
    cue_screen: Screen = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Built once so check() can skip the phrase/pattern rules the MatchSet did not fire.
        positions = {rule.id: index for index, rule in enumerate(self.rules)}
        always = tuple(i for i, rule in enumerate(self.rules) if rule.kind not in MATCHED_KINDS)
        object.__setattr__(self, "positions", positions)
        object.__setattr__(self, "unconditional", always)
        blocking = [
            (i, rule)
            for i, rule in enumerate(self.rules)
            if rule.kind in SENTENCE_KINDS
            and rule.spec.enabled
            and rule.spec.mode != "shadow"
            and rule.severity != "info"
        ]
        blockers = frozenset(rule.id for _, rule in blocking if rule.kind in MATCHED_KINDS)
        object.__setattr__(self, "blockers", blockers)
        unmatched = tuple(i for i, rule in blocking if rule.kind not in MATCHED_KINDS)
        object.__setattr__(self, "unmatched_blockers", unmatched)
        cues = {"reassurance": self.reassurance, "negation": self.negation, "hedge": self.hedge}
        present = [(name, regex) for name, regex in cues.items() if regex is not None]
        object.__setattr__(self, "cue_names", tuple(name for name, _ in present))
        loose = [self.cue_screens.get(name) for name, _ in present]
        object.__setattr__(self, "cue_screen", Screen([regex for _, regex in present], loose))

    def cues_in(self, text: str) -> frozenset[str]:
        """Which of reassurance, negation and hedge may appear in `text` (one RE2 pass)."""
        found = self.cue_screen.candidates(text.encode("utf-8"))
        return frozenset(self.cue_names[i] for i in found)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def version(self) -> str:
        """The declared version plus a content hash, so two edits never share a version."""
        return f"{self.spec.version}+{self.digest[:8]}"

    @property
    def language(self) -> str:
        return self.spec.language

    @property
    def ref(self) -> PolicyRef:
        return PolicyRef(self.name, self.version, self.language)

    def rule(self, rule_id: str) -> Rule | None:
        index = self.positions.get(rule_id)  # ids are unique (the loader refuses duplicates)
        return self.rules[index] if index is not None else None


def regex_or_none(source: str | None, options: Any) -> Any:
    return re2.compile(source.encode("utf-8"), options) if source else None
