"""Child policies: org default → team → channel. A child names its parent and changes only that.

A child file has `extends: <parent name>`, optional `applies_to: {teams, channels}`, its own
office hours and templates, `overrides:` (rule id → enabled, severity, mode, phrases+, phrases-,
message, why, examples) and new `rules:`. It is merged into a full spec, compiled and its examples
run exactly like a base policy; every problem is located in the child file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bots.engine.policy.compiled import Policy
from bots.engine.policy.examples import run_examples
from bots.engine.policy.loader import (
    Collector,
    Document,
    PolicyError,
    PolicyIssue,
    compile_spec,
    validate_rules,
)
from bots.engine.policy.memo import CompileMemo
from bots.engine.policy.schema import (
    ExamplesSpec,
    OverrideSpec,
    PolicySpec,
    RuleOverrideSpec,
    RuleSpec,
)
from bots.engine.policy.yamlpos import Path as KeyPath
from bots.engine.policy.yamlpos import Positions

#: Rule fields a child may override, in the order `policy show` prints them.
RULE_FIELDS = ("enabled", "severity", "mode", "message", "why", "examples")
#: Top-level keys a child inherits unchanged from its root policy.
INHERITED = ("language", "limits", "exceptions", "mood")


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a child policy serves, its ancestry, and which file each piece came from."""

    name: str
    parent: str
    teams: tuple[str, ...]
    channels: tuple[str, ...]
    chain: tuple[str, ...]  # policy names from the root down to this one
    origins: Mapping[str, str] = field(default_factory=dict)

    @property
    def depth(self) -> int:
        return len(self.chain) - 1


@dataclass(frozen=True, slots=True)
class OverrideFile:
    """A parsed, validated child policy file, not yet merged with its parent."""

    path: str
    text: str
    spec: OverrideSpec
    positions: Positions


def parse_override(document: Document) -> OverrideFile | None:
    """The child policy in `document`, or None when it is a base policy (no `extends` key)."""
    data, positions, filename = document.data, document.positions, document.filename
    if not isinstance(data, dict) or "extends" not in data:
        return None
    issues = Collector(filename, positions)
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        issues.add(("rules",), "`rules` in a child policy must be a list of new rules")
        raw_rules = []
    spec: OverrideSpec | None = None
    try:
        spec = OverrideSpec.model_validate(dict(data, rules=[]))
    except ValidationError as exc:
        issues.pydantic(exc)
    rules = validate_rules(raw_rules, issues)
    if spec is None or issues.issues:
        raise PolicyError(issues.issues)
    spec = spec.model_copy(update={"rules": tuple(rules)})
    return OverrideFile(filename, document.text, spec, positions)


def base_origins(policy: Policy) -> dict[str, str]:
    """Every piece of a base policy comes from its own file (templates may be bundled files)."""
    origins = {"office_hours": policy.source, **{k: policy.source for k in INHERITED}}
    for name in policy.spec.templates:
        origins[f"template:{name}"] = policy.source
    for rule in policy.spec.rules:
        origins[f"rule:{rule.id}"] = policy.source
    return origins


def build_child(
    file: OverrideFile,
    parent: Policy,
    parent_scope: Scope | None,
    template_root: Path | None,
    examples: bool = True,
    memo: CompileMemo | None = None,
) -> tuple[Policy, Scope]:
    """Merge `file` over `parent`, compile it and run its examples (raises PolicyError)."""
    parent_ids = [r.id for r in parent.spec.rules]
    issues = Collector(file.path, file.positions, _locator(file.spec, parent_ids))
    origins = dict(parent_scope.origins if parent_scope else base_origins(parent))
    spec = _merge(file, parent, issues, origins)
    if issues.issues:
        raise PolicyError(issues.issues)
    policy = compile_spec(spec, parent.digest + file.text, issues, template_root, memo)
    if policy is None or issues.issues:
        raise PolicyError(issues.issues)
    if examples and (failed := child_example_issues(file, parent, policy)):
        raise PolicyError(failed)
    chain = (*(parent_scope.chain if parent_scope else (parent.name,)), file.spec.name)
    applies = file.spec.applies_to
    scope = Scope(file.spec.name, parent.name, applies.teams, applies.channels, chain, origins)
    return policy, scope


def child_example_issues(file: OverrideFile, parent: Policy, policy: Policy) -> list[PolicyIssue]:
    """Examples of a child built with `examples=False` that fail, located in the child file."""
    parent_ids = [r.id for r in parent.spec.rules]
    issues = Collector(file.path, file.positions, _locator(file.spec, parent_ids))
    _example_issues(policy, file.spec, len(parent_ids), issues)
    return issues.issues


def _merge(
    file: OverrideFile, parent: Policy, issues: Collector, origins: dict[str, str]
) -> PolicySpec:
    child = file.spec
    known = {r.id for r in parent.spec.rules}
    for rule_id in child.overrides:
        if rule_id not in known:
            issues.add(
                ("overrides", rule_id),
                f"parent policy {parent.name!r} has no rule {rule_id!r} "
                "(renamed or removed upstream?); "
                f"its rules: {', '.join(sorted(known))}",
            )
    rules: list[RuleSpec] = []
    for rule in parent.spec.rules:
        change = child.overrides.get(rule.id)
        rules.append(
            _apply(rule, change, parent.name, issues, origins, file.path) if change else rule
        )
    for index, rule in enumerate(child.rules):
        if rule.id in known:
            issues.add(
                ("rules", len(parent.spec.rules) + index, "id"),
                f"rule {rule.id!r} already exists in {parent.name!r}; change it under `overrides:`",
            )
        origins[f"rule:{rule.id}"] = file.path
        rules.append(rule)
    if child.office_hours is not None:
        origins["office_hours"] = file.path
    for name in child.templates:
        origins[f"template:{name}"] = file.path
    return parent.spec.model_copy(
        update={
            "name": child.name,
            "version": child.version,
            "description": child.description or parent.spec.description,
            "admins": tuple(dict.fromkeys((*child.admins, *parent.spec.admins))),
            "office_hours": child.office_hours or parent.spec.office_hours,
            "templates": {**parent.spec.templates, **child.templates},
            "rules": tuple(rules),
        }
    )


def _apply(
    rule: RuleSpec,
    change: RuleOverrideSpec,
    parent: str,
    issues: Collector,
    origins: dict[str, str],
    path: str,
) -> RuleSpec:
    at: KeyPath = ("overrides", rule.id)
    phrases = _phrases(rule, change, parent, issues, at)
    for phrase in change.phrases_add:
        origins[f"rule:{rule.id}.phrase:{phrase}"] = path
    for phrase in change.phrases_remove:
        origins[f"rule:{rule.id}.removed:{phrase}"] = path
    update: dict[str, Any] = {"phrases": phrases}
    for key in RULE_FIELDS:
        value = getattr(change, key)
        if value is not None:
            update[key] = value
            origins[f"rule:{rule.id}.{key}"] = path
    if update.get("enabled", rule.enabled) is False:
        update["examples"] = (
            ExamplesSpec()
        )  # a rule switched off flags nothing, so its examples cannot hold
    data = rule.model_dump(by_alias=True, exclude={"examples"})
    data.update({k: v for k, v in update.items() if k != "examples"})
    data["examples"] = update.get("examples", rule.examples)
    try:
        return RuleSpec.model_validate(data)
    except ValidationError as exc:
        issues.pydantic(exc, at)
        return rule


def _phrases(
    rule: RuleSpec, change: RuleOverrideSpec, parent: str, issues: Collector, at: KeyPath
) -> tuple[str, ...]:
    if (change.phrases_add or change.phrases_remove) and rule.kind not in ("phrase", "require"):
        issues.add(
            at, f"rule {rule.id!r} is a {rule.kind} rule: it has no phrases to add or remove"
        )
        return rule.phrases
    phrases = list(rule.phrases)
    for index, phrase in enumerate(change.phrases_remove):
        match = next((p for p in phrases if p.casefold() == phrase.casefold()), None)
        if match is None:
            # An error, not a no-op: a phrase renamed upstream must be noticed by the child's owner.
            issues.add(
                (*at, "phrases-", index), f"rule {rule.id!r} in {parent!r} has no phrase {phrase!r}"
            )
        else:
            phrases.remove(match)
    have = {p.casefold() for p in phrases}
    phrases += [p for p in change.phrases_add if p.casefold() not in have]
    return tuple(phrases)


def _locator(child: OverrideSpec, parent_ids: list[str]) -> Any:
    """Map a path in the merged spec to the place in the child file that caused it."""

    def locate(path: KeyPath) -> KeyPath:
        head = path[0] if path else None
        if head == "rules" and len(path) > 1 and isinstance(path[1], int):
            index = path[1]
            if index >= len(parent_ids):
                return ("rules", index - len(parent_ids), *path[2:])
            rule_id = parent_ids[index]
            return ("overrides", rule_id, *path[2:]) if rule_id in child.overrides else ("extends",)
        if head == "office_hours" and child.office_hours is None:
            return ("extends",)
        if head == "templates" and (len(path) < 2 or path[1] not in child.templates):
            return ("extends",)
        if head in INHERITED:
            return ("extends",)
        return path

    return locate


def _example_issues(policy: Policy, child: OverrideSpec, inherited: int, issues: Collector) -> None:
    for result in run_examples(policy):
        if result.ok:
            continue
        key = "flag" if result.expect == "flag" else "pass"
        own = result.rule_index >= inherited or (
            child.overrides.get(result.rule) is not None
            and child.overrides[result.rule].examples is not None
        )
        if own:
            issues.add(
                ("rules", result.rule_index, "examples", key, result.index),
                f"example {result.detail}",
            )
        else:
            issues.add(
                ("rules", result.rule_index),
                f"inherited example {key}[{result.index}] of rule {result.rule!r} "
                "no longer holds here: "
                f"{result.detail}; if that is intended, give `overrides.{result.rule}` "
                "its own `examples`",
            )
