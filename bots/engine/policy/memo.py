"""Compiled pieces shared by the policies of one load: a child policy repeats most of its parent.

A team policy that changes two rules of `default` would otherwise compile every expression and
template of `default` again (a third of loading the bundled policies, and of their memory).
RE2 expressions and Jinja templates are immutable once compiled, so equal sources can share one
object. Only successes are remembered: a source that fails is compiled, and reported, each time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from bots.engine import matcher
from bots.engine.policy.compiled import MoodLexicon
from bots.engine.templating import RuleText, check_named, environment, rule_text


@dataclass
class CompileMemo:
    """What one load has compiled so far, by source."""

    regexes: dict[tuple[str, bool], Any] = field(default_factory=dict)
    lazy_regexes: dict[tuple[str, bool], matcher.Lazy] = field(default_factory=dict)
    alternations: dict[tuple[tuple[str, ...], bool, bool], str] = field(default_factory=dict)
    environments: dict[tuple[object, ...], SandboxedEnvironment] = field(default_factory=dict)
    texts: dict[tuple[int, str, frozenset[str]], RuleText] = field(default_factory=dict)
    named: dict[tuple[int, str], jinja2.Template] = field(default_factory=dict)
    moods: dict[tuple[object, ...], MoodLexicon] = field(default_factory=dict)
    matchsets: list[matcher.MatchSet] = field(default_factory=list)

    def pattern(self, source: str, case_sensitive: bool = False) -> Any:
        """`matcher.compile_pattern`, once per source (raises PatternError)."""
        key = (source, case_sensitive)
        regex = self.regexes.get(key)
        if regex is None:
            regex = self.regexes[key] = matcher.compile_pattern(source, case_sensitive)
        return regex

    def lazy(self, source: str, case_sensitive: bool = False) -> matcher.Lazy:
        """`matcher.Lazy`, once per source (raises PatternError)."""
        key = (source, case_sensitive)
        regex = self.lazy_regexes.get(key)
        if regex is None:
            regex = self.lazy_regexes[key] = matcher.Lazy(source, case_sensitive)
        return regex

    def bounded(self, body: str, case_sensitive: bool = False) -> matcher.Lazy:
        """`matcher.Bounded(body)`, once per body (raises PatternError)."""
        key = (matcher.bounded(body), case_sensitive)
        regex = self.lazy_regexes.get(key)
        if regex is None:
            regex = self.lazy_regexes[key] = matcher.Bounded(body, case_sensitive)
        return regex

    def matchset(self, expressions: list[matcher.Expression]) -> matcher.MatchSet:
        """A MatchSet that searches an earlier one's Set where most expressions are shared."""
        matchset = matcher.MatchSet(expressions, self.matchsets)
        self.matchsets.append(matchset)
        return matchset

    def alternation(self, phrases: Iterable[str], inflect: bool, loose: bool = False) -> str:
        """`matcher.alternation`, once per list of phrases."""
        key = (tuple(phrases), inflect, loose)
        body = self.alternations.get(key)
        if body is None:
            body = self.alternations[key] = matcher.alternation(key[0], inflect, loose)
        return body

    def environment(
        self, language: str, overrides: Mapping[str, str], root: Path | None
    ) -> SandboxedEnvironment:
        """One Jinja environment per (language, template overrides, template folder)."""
        key = (language, tuple(sorted(overrides.items())), root)
        env = self.environments.get(key)
        if env is None:
            env = self.environments[key] = environment(language, overrides, root)
        return env

    def rule_text(
        self, env: jinja2.Environment, source: str, allowed: frozenset[str], what: str
    ) -> RuleText:
        """`rule_text` once per environment and source (raises TemplateProblem)."""
        key = (id(env), source, allowed)
        text = self.texts.get(key)
        if text is None:
            text = self.texts[key] = rule_text(env, source, allowed, what)
        return text

    def named_template(self, env: jinja2.Environment, name: str) -> jinja2.Template:
        """`check_named` once per environment and name (raises TemplateProblem)."""
        key = (id(env), name)
        template = self.named.get(key)
        if template is None:
            template = self.named[key] = check_named(env, name)
        return template

    def mood(
        self,
        expressions: tuple[tuple[Any, Any], ...],
        hints: tuple[tuple[Any, Any], ...],
        hints_needed: int,
        negation: Any,
        ignore: Any,
        screens: tuple[str, ...] = (),
    ) -> MoodLexicon:
        """One MoodLexicon per set of compiled expressions (the regexes are shared already, so
        identity is equality): its Screen is an RE2 Set whose matching state grows with use."""
        key = (expressions, hints, hints_needed, negation, ignore, screens)
        lexicon = self.moods.get(key)
        if lexicon is None:
            lexicon = self.moods[key] = MoodLexicon(
                expressions, hints, hints_needed, negation, ignore, screens
            )
        return lexicon
