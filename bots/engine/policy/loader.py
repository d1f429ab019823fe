"""Load and validate policy files; report every problem with file, line, column and key path."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from pydantic import ValidationError

from bots.engine import matcher
from bots.engine.grammar import REASON_VARIABLES, Grammar, compile_grammar
from bots.engine.hours import OfficeHours
from bots.engine.matcher import Expression, PatternError
from bots.engine.model import MOODS
from bots.engine.policy.compiled import Condition, MoodLexicon, Policy, Rule
from bots.engine.policy.memo import CompileMemo
from bots.engine.policy.schema import PolicySpec, RuleSpec
from bots.engine.policy.yamlpos import Path as KeyPath
from bots.engine.policy.yamlpos import Positions, YamlSyntaxError, load_with_positions, position_of
from bots.engine.templating import (
    RULE_VARIABLES,
    TEMPLATE_VARIABLES,
    RuleText,
    TemplateProblem,
)


@dataclass(frozen=True, slots=True)
class PolicyIssue:
    """One problem in a policy file, located precisely enough to fix."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class PolicyError(Exception):
    """A policy that cannot be used; `issues` lists every problem found."""

    def __init__(self, issues: Iterable[PolicyIssue]) -> None:
        self.issues = tuple(issues)
        super().__init__("\n".join(str(i) for i in self.issues))


def dotted(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Collector:
    def __init__(
        self, file: str, positions: Positions, locate: Callable[[KeyPath], KeyPath] | None = None
    ) -> None:
        self.file = file
        self.positions = positions
        self.issues: list[PolicyIssue] = []
        # A child policy compiles a merged spec; `locate` maps its paths back into the child file.
        self.locate = locate or (lambda path: path)

    def add(self, path: KeyPath, message: str) -> None:
        path = self.locate(path)
        line, column = position_of(self.positions, path)
        self.issues.append(PolicyIssue(self.file, line, column, dotted(path), message))

    def pydantic(self, exc: ValidationError, prefix: KeyPath = ()) -> None:
        for error in exc.errors():
            loc = tuple(
                p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-"))
            )
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = f"unknown key {loc[-1]!r}"
            self.add((*prefix, *loc), message)


def load_policy_file(path: Path, template_root: Path | None = None) -> Policy:
    """Read, validate and compile one policy file (raises PolicyError)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PolicyError(
            [PolicyIssue(str(path), 1, 1, "", f"cannot read: {exc.strerror}")]
        ) from None
    return load_policy_bytes(raw, str(path), template_root)


@dataclass(frozen=True, slots=True)
class Document:
    """One policy file, decoded and parsed (once, whether it turns out a base or a child)."""

    filename: str
    text: str
    data: Any
    positions: Positions


def parse_document(raw: bytes, filename: str) -> Document:
    """Decode and parse a policy file (raises PolicyError for bad UTF-8 or YAML)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PolicyError(
            [PolicyIssue(filename, 1, 1, "", f"not UTF-8 (byte {exc.start})")]
        ) from None
    try:
        data, positions = load_with_positions(text)
    except YamlSyntaxError as exc:
        raise PolicyError(
            [PolicyIssue(filename, exc.line, exc.column, "", f"YAML syntax: {exc}")]
        ) from None
    return Document(filename, text, data, positions)


def load_policy_bytes(
    raw: bytes, filename: str, template_root: Path | None = None, memo: CompileMemo | None = None
) -> Policy:
    """Validate and compile one policy file's bytes (raises PolicyError)."""
    return load_policy_document(parse_document(raw, filename), template_root, memo)


def load_policy_document(
    document: Document, template_root: Path | None = None, memo: CompileMemo | None = None
) -> Policy:
    """Validate and compile a parsed base policy (raises PolicyError); `memo` is shared by the
    files of one load."""
    issues = _Collector(document.filename, document.positions)
    if not isinstance(document.data, dict):
        issues.add(
            (), "a policy file must be a mapping (schema, name, version, office_hours, rules)"
        )
        raise PolicyError(issues.issues)
    spec = _validate(document.data, issues)
    if spec is None or issues.issues:
        raise PolicyError(issues.issues)
    policy = _compile(spec, document.text, issues, template_root, memo or CompileMemo())
    if issues.issues or policy is None:
        raise PolicyError(issues.issues)
    return policy


def _validate(data: dict[str, Any], issues: _Collector) -> PolicySpec | None:
    """Validate the top level and each rule separately so every error is reported at once."""
    rules = data.get("rules")
    top = dict(data, rules=[])
    spec: PolicySpec | None = None
    try:
        spec = PolicySpec.model_validate(top)
    except ValidationError as exc:
        issues.pydantic(exc)
    if not isinstance(rules, list) or not rules:
        issues.add(("rules",), "`rules` must be a non-empty list of rules")
        return None
    valid = validate_rules(rules, issues)
    if spec is None or len(valid) != len(rules):
        return None
    return spec.model_copy(update={"rules": tuple(valid)})


def validate_rules(rules: list[Any], issues: _Collector) -> list[RuleSpec]:
    """Validate each rule on its own (every error reported), and refuse duplicate ids."""
    valid: list[RuleSpec] = []
    for index, rule in enumerate(rules):
        try:
            valid.append(RuleSpec.model_validate(rule))
        except ValidationError as exc:
            issues.pydantic(exc, ("rules", index))
    _duplicate_ids(valid, rules, issues)
    return valid


def _duplicate_ids(valid: list[RuleSpec], raw: list[Any], issues: _Collector) -> None:
    seen: set[str] = set()
    for index, rule in enumerate(raw):
        rule_id = rule.get("id") if isinstance(rule, dict) else None
        if rule_id in seen:
            issues.add(("rules", index, "id"), f"duplicate rule id {rule_id!r}")
        if isinstance(rule_id, str):
            seen.add(rule_id)


Collector = _Collector


def compile_spec(
    spec: PolicySpec,
    text: str,
    issues: _Collector,
    template_root: Path | None,
    memo: CompileMemo | None = None,
) -> Policy | None:
    """Compile a validated spec (also a child's merged one); problems go to `issues`."""
    return _compile(spec, text, issues, template_root, memo or CompileMemo())


def _compile(
    spec: PolicySpec, text: str, issues: _Collector, template_root: Path | None, memo: CompileMemo
) -> Policy | None:
    hours = _hours(spec, issues)
    env = memo.environment(spec.language, spec.templates, template_root)
    named = _named_templates(env, spec, issues, memo)
    expressions: list[Expression] = []
    paths: list[KeyPath] = []  # where each expression was written
    rules = [_rule(spec, i, env, expressions, paths, issues, memo) for i in range(len(spec.rules))]
    exceptions = spec.exceptions
    negation = _cue(exceptions.negation, ("exceptions", "negation"), issues, memo)
    hedge = _cue(exceptions.hedge, ("exceptions", "hedge"), issues, memo)
    reassurance = _cue(exceptions.reassurance, ("exceptions", "reassurance"), issues, memo)
    mood = _mood(spec, issues, memo)
    matchset = memo.matchset(expressions)
    cues = {"reassurance": exceptions.reassurance, "negation": exceptions.negation}
    cues["hedge"] = exceptions.hedge
    for index in matchset.empty_matches():
        issues.add(
            paths[index], "this expression matches the empty string, so it would flag every draft"
        )
    if issues.issues or hours is None:
        return None
    return Policy(
        spec=spec,
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        source=issues.file,
        rules=tuple(r for r in rules if r is not None),
        matchset=matchset,
        hours=hours,
        negation=negation,
        hedge=hedge,
        reassurance=reassurance,
        mood=mood,
        templates=env,
        named=named,
        cue_screens={name: _loose(phrases, memo) for name, phrases in cues.items() if phrases},
    )


def _hours(spec: PolicySpec, issues: _Collector) -> OfficeHours | None:
    oh = spec.office_hours
    try:
        return OfficeHours.build(oh.timezone, oh.days, oh.start, oh.end, oh.holidays)
    except ValueError as exc:
        issues.add(("office_hours", "timezone"), str(exc))
        return None


def _named_templates(
    env: jinja2.Environment, spec: PolicySpec, issues: _Collector, memo: CompileMemo
) -> dict[str, jinja2.Template]:
    named: dict[str, jinja2.Template] = {}
    for name in spec.templates:
        if name not in TEMPLATE_VARIABLES:
            known = ", ".join(sorted(TEMPLATE_VARIABLES))
            issues.add(("templates", name), f"unknown template name {name!r}; known: {known}")
    for name in TEMPLATE_VARIABLES:
        try:
            named[name] = memo.named_template(env, name)
        except TemplateProblem as exc:
            path: KeyPath = ("templates", name) if name in spec.templates else ("templates",)
            issues.add(path, str(exc))
    return named


def _rule(
    spec: PolicySpec,
    index: int,
    env: jinja2.Environment,
    expressions: list[Expression],
    paths: list[KeyPath],
    issues: _Collector,
    memo: CompileMemo,
) -> Rule | None:
    rule = spec.rules[index]
    at: KeyPath = ("rules", index)
    before = len(issues.issues)
    texts = {}
    for key in ("message", "why"):
        texts[key] = _rule_template(env, getattr(rule, key), (*at, key), issues, memo)
    suggestion = None
    if rule.suggestion and (rule.suggestion.replace is not None or rule.suggestion.template):
        source = rule.suggestion.replace
        if source is None:
            source = "{% include " + repr(rule.suggestion.template) + " %}"
        suggestion = _rule_template(env, source, (*at, "suggestion"), issues, memo)
    if rule.kind != "after_hours":
        _expressions(rule, spec.language, at, expressions, paths, issues, memo)
    when = _condition(rule, at, issues, memo)
    own = _cue(rule.unless_phrases, (*at, "unless_phrases"), issues, memo)
    grammar, reasons = _forecast(rule, spec, env, at, issues, memo)
    if len(issues.issues) != before or texts["message"] is None or texts["why"] is None:
        return None
    return Rule(
        spec=rule,
        message=texts["message"],
        why=texts["why"],
        suggestion=suggestion,
        drop=bool(rule.suggestion and rule.suggestion.drop),
        strike=bool(rule.suggestion and rule.suggestion.strike),
        when=when,
        own_exceptions=own,
        grammar=grammar,
        reasons=reasons,
    )


def _forecast(
    rule: RuleSpec,
    policy: PolicySpec,
    env: jinja2.Environment,
    at: KeyPath,
    issues: _Collector,
    memo: CompileMemo,
) -> tuple[Grammar | None, dict[str, RuleText]]:
    """A `forecast` rule's grammar and its reason texts, compiled once.

    Reasons are RuleTexts like messages: a finding's reason is rendered for every forecast
    finding shown, and Jinja builds a context for each render."""
    spec = rule.forecast
    if spec is None:
        return None, {}
    reasons: dict[str, RuleText] = {}
    for case, source in spec.reasons.model_dump().items():
        path = (*at, "forecast", "reasons", case)
        try:
            reasons[case] = memo.rule_text(env, source, REASON_VARIABLES, dotted(path))
        except TemplateProblem as exc:
            issues.add(path, str(exc).removeprefix(dotted(path) + ": "))
    try:
        return compile_grammar(spec, policy.language, policy.exceptions.negation), reasons
    except PatternError as exc:
        where = (*at, "forecast", "times")
        issues.add(where, f"invalid regular expression in times or past ({exc}); RE2 syntax")
        return None, reasons


def _rule_template(
    env: jinja2.Environment, source: str, path: KeyPath, issues: _Collector, memo: CompileMemo
) -> RuleText | None:
    try:
        return memo.rule_text(env, source, RULE_VARIABLES, dotted(path))
    except TemplateProblem as exc:
        issues.add(path, str(exc).removeprefix(dotted(path) + ": "))
        return None


def _expressions(
    rule: RuleSpec,
    language: str,
    at: KeyPath,
    out: list[Expression],
    paths: list[KeyPath],
    issues: _Collector,
    memo: CompileMemo,
) -> None:
    if rule.phrases:
        inflect = rule.inflect and language == "en"
        body = memo.alternation(rule.phrases, inflect)
        screen = memo.alternation(rule.phrases, inflect, loose=True)
        where: KeyPath = (*at, "phrases")
        _add(rule.id, body, rule.case_sensitive, where, out, paths, issues, memo, screen)
    for j, pattern in enumerate(rule.patterns):
        where = (*at, "patterns", j)
        _add(rule.id, pattern, rule.case_sensitive, where, out, paths, issues, memo)


def _add(
    key: str,
    source: str,
    case_sensitive: bool,
    path: KeyPath,
    out: list[Expression],
    paths: list[KeyPath],
    issues: _Collector,
    memo: CompileMemo,
    screen: str | None = None,
) -> None:
    """Add a pattern, or with `screen` a phrase alternation (`source` is then its body)."""
    try:
        if screen is None:
            regex = memo.lazy(source, case_sensitive)
        else:
            regex = memo.bounded(source, case_sensitive)
            source = regex.source
    except PatternError as exc:
        issues.add(
            path, f"invalid regular expression ({exc}); RE2 syntax, no backreferences or lookaround"
        )
        return
    if screen is None:
        screen = _widened(source, case_sensitive)
    out.append(Expression(key, source, regex, case_sensitive, screen))
    paths.append(path)


def _widened(pattern: str, case_sensitive: bool) -> str | None:
    """What a Set searches for an admin's pattern: `matcher.widen(pattern)` when that differs
    and compiles (None: the pattern as written)."""
    wide = matcher.widen(pattern)
    if wide == pattern:
        return None
    try:
        matcher.compile_pattern(wide, case_sensitive, cached=False)
    except PatternError:
        return None
    return wide


def _cue(
    phrases: tuple[str, ...],
    path: KeyPath,
    issues: _Collector,
    memo: CompileMemo,
    lazy: bool = True,
) -> Any:
    """The phrases as one word-bounded expression, compiled on first use unless not `lazy`."""
    if not phrases:
        return None
    body = memo.alternation(phrases, inflect=False)
    try:
        return memo.bounded(body) if lazy else memo.pattern(matcher.bounded(body))
    except PatternError as exc:
        issues.add(path, f"cannot compile these phrases: {exc}")
        return None


def _loose(phrases: tuple[str, ...], memo: CompileMemo) -> str:
    """What a Set searches for `_cue(phrases)`: the same phrases, no word boundaries, wider
    classes; it matches wherever the cue does."""
    return memo.alternation(phrases, inflect=False, loose=True)


def _condition(rule: RuleSpec, at: KeyPath, issues: _Collector, memo: CompileMemo) -> Condition:
    when = rule.when
    if when is None:
        return Condition()
    client = _cue(when.client_phrases or (), (*at, "when", "client_phrases"), issues, memo)
    moods = frozenset(when.mood) if when.mood is not None else None
    return Condition(moods=moods, client=client, after_hours=when.after_hours)


def _mood(spec: PolicySpec, issues: _Collector, memo: CompileMemo) -> MoodLexicon:
    strong, strong_screens = _mood_table(spec, "strong", issues, memo)
    hints, hint_screens = _mood_table(spec, "hints", issues, memo)
    negation = _cue(spec.mood.negation, ("mood", "negation"), issues, memo)
    # mood.py searches `ignore` with google-re2's own finditer, so it is compiled now.
    ignore = _cue(spec.mood.ignore, ("mood", "ignore"), issues, memo, lazy=False)
    screens = strong_screens + hint_screens
    if ignore is not None:
        screens += (_loose(spec.mood.ignore, memo),)
    return memo.mood(strong, hints, spec.mood.hints_needed, negation, ignore, screens)


def _mood_table(
    spec: PolicySpec, which: str, issues: _Collector, memo: CompileMemo
) -> tuple[tuple[tuple[Any, Any], ...], tuple[str, ...]]:
    """(mood, expression) pairs, strongest first, and what the lexicon's Screen searches for each
    (phrases without word boundaries and with wider classes: a match wherever the expression has
    one)."""
    compiled = []
    screens = []
    for mood in reversed(MOODS[1:]):  # strongest first: abusive, angry, frustrated, anxious
        strong = {str(k): v for k, v in spec.mood.patterns.items()}
        hints = {str(k): v for k, v in spec.mood.hints.items()}
        if which == "strong":
            phrases, patterns = getattr(spec.mood, mood), list(strong.get(mood, ()))
        else:
            phrases, patterns = hints.get(mood, ()), []
        sources, loose = [], []
        if phrases:
            sources.append(matcher.bounded(memo.alternation(phrases, spec.language == "en")))
            loose.append(memo.alternation(phrases, spec.language == "en", loose=True))
        sources += patterns
        loose += [_widened(pattern, False) or pattern for pattern in patterns]
        if not sources:
            continue
        try:
            regex = memo.lazy("|".join(f"(?:{s})" for s in sources))
        except PatternError as exc:
            path = ("mood", mood) if which == "strong" else ("mood", "hints", mood)
            issues.add(path, f"cannot compile this lexicon: {exc}")
            continue
        compiled.append((mood, regex))
        screens.append("|".join(f"(?:{s})" for s in loose))
    return tuple(compiled), tuple(screens)
