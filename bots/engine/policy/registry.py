"""A directory of policies (one per file), and which one serves a given draft."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bots.engine.language import choose_language
from bots.engine.policy.cascade import (
    OverrideFile,
    Scope,
    build_child,
    child_example_issues,
    parse_override,
)
from bots.engine.policy.compiled import Policy
from bots.engine.policy.examples import run_examples
from bots.engine.policy.loader import (
    Document,
    PolicyError,
    PolicyIssue,
    dotted,
    load_policy_document,
    parse_document,
)
from bots.engine.policy.memo import CompileMemo
from bots.engine.policy.verified import ExampleGate, VerifiedExamples
from bots.engine.policy.yamlpos import position_of


@dataclass(frozen=True, slots=True)
class PolicySet:
    """Every policy of a directory, by name; immutable, replaced whole on reload."""

    policies: tuple[Policy, ...]
    directory: str
    #: child policies (files with `extends:`) by name; base policies have no scope
    scopes: Mapping[str, Scope] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Policy]:
        return iter(self.policies)

    @property
    def bases(self) -> tuple[Policy, ...]:
        """Policies that extend nothing: what serves when no team or channel policy applies."""
        return tuple(p for p in self.policies if p.name not in self.scopes)

    @property
    def default(self) -> Policy:
        bases = self.bases
        return next((p for p in bases if p.name == "default"), bases[0])

    def get(self, name: str) -> Policy | None:
        return next((p for p in self.policies if p.name == name), None)

    def for_language(self, language: str | None) -> Policy:
        if language:
            base = language.split("-")[0].split("_")[0].lower()
            match = [p for p in self.bases if p.language == base]
            if match:
                return next((p for p in match if p.name == "default"), match[0])
        return self.default

    def select(
        self,
        text: str,
        locale: str | None = None,
        team: str | None = None,
        channel: str | None = None,
        *,
        team_id: str | None = None,
        channel_id: str | None = None,
    ) -> Policy:
        """The policy for a draft: the language forced for its team or channel by the default
        policy (`team_languages`), else the user's locale, else the text's language; then the
        most specific child policy for its channel, else its team.

        `team_id`/`channel_id` are accepted as names for `team`/`channel` (Draft's field names).
        """
        team, channel = team or team_id, channel or channel_id
        forced = self.default.spec.team_languages
        language = forced.get(channel or "") or forced.get(team or "")
        base = self.for_language(choose_language(text, locale, language))
        return self.scoped(base.language, team, channel) or base

    def scoped(self, language: str, team: str | None, channel: str | None) -> Policy | None:
        """The most specific child policy of `language` for this channel, else this team."""
        for key, value in (("channels", channel), ("teams", team)):
            if not value:
                continue
            hits = [
                s
                for s in self.scopes.values()
                if value in getattr(s, key) and (p := self.get(s.name)) and p.language == language
            ]
            if hits:
                best = max(hits, key=lambda s: (s.depth, s.name))
                return self.get(best.name)
        return None

    @property
    def version(self) -> str:
        return ",".join(f"{p.name}@{p.version}" for p in self.policies)


def policy_files(directory: Path) -> list[Path]:
    """Policy files of `directory` and its subfolders (teams/, channels/); hidden ones skipped."""
    found = [p for p in directory.rglob("*.y*ml") if p.suffix in {".yaml", ".yml"}]
    return sorted(
        p for p in found if not any(part.startswith(".") for part in p.relative_to(directory).parts)
    )


def load_policy_dir(
    directory: Path,
    template_root: Path | None = None,
    examples: bool = True,
    verified: VerifiedExamples | None = None,
) -> PolicySet:
    """Load every policy file of `directory`; raise PolicyError listing every problem found.

    With `examples`, every policy's examples run, except those `verified` says passed before
    (same content, templates and code); those that pass now are added to `verified`.
    """
    if not directory.is_dir():
        raise PolicyError([PolicyIssue(str(directory), 1, 1, "", "policy directory not found")])
    files = policy_files(directory)
    if not files:
        raise PolicyError(
            [PolicyIssue(str(directory), 1, 1, "", "no *.yaml policy files in directory")]
        )
    issues: list[PolicyIssue] = []
    policies: list[Policy] = []
    children: list[OverrideFile] = []
    failed: set[str] = set()
    memo = CompileMemo()  # children repeat their parent: compile each expression once
    gate = ExampleGate.for_load(verified, template_root) if examples else None
    for path in files:
        try:
            raw = path.read_bytes()
            document = parse_document(raw, str(path))
            child = parse_override(document)
            if child is not None:
                children.append(child)
                continue
            policy = load_policy_document(document, template_root, memo)
        except OSError as exc:
            issues.append(PolicyIssue(str(path), 1, 1, "", f"cannot read: {exc.strerror}"))
            continue
        except PolicyError as exc:
            issues.extend(exc.issues)
            failed.add(_declared_name(raw, path.stem))
            continue
        if gate is not None and gate.needed(policy):
            found = example_issues(policy, document)
            issues.extend(found)
            if not found:
                gate.passed(policy)
        policies.append(policy)
    scopes = _load_children(children, policies, failed, template_root, issues, gate, memo)
    names = [p.name for p in policies]
    for name in {n for n in names if names.count(n) > 1}:
        issues.append(
            PolicyIssue(str(directory), 1, 1, "name", f"two policy files are named {name!r}")
        )
    if issues:
        raise PolicyError(issues)
    return PolicySet(tuple(policies), str(directory), scopes)


def _declared_name(raw: bytes, fallback: str) -> str:
    """The `name:` of a file that failed to load, so its children are not reported as orphans."""
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError:
        return fallback
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) else fallback


def _load_children(
    children: list[OverrideFile],
    policies: list[Policy],
    failed: set[str],
    template_root: Path | None,
    issues: list[PolicyIssue],
    gate: ExampleGate | None,
    memo: CompileMemo,
) -> dict[str, Scope]:
    """Build child policies parents-first, appending them to `policies`; problems to `issues`."""
    ordered, problems = order_children(children, {p.name for p in policies} | failed)
    issues.extend(problems)
    scopes: dict[str, Scope] = {}
    for child in ordered:
        parent = next((p for p in policies if p.name == child.spec.extends), None)
        if parent is None:
            continue  # the parent itself failed to load; its issues are already listed
        try:
            policy, scope = build_child(
                child, parent, scopes.get(parent.name), template_root, False, memo
            )
        except PolicyError as exc:
            issues.extend(exc.issues)
            continue
        if gate is not None and gate.needed(policy):
            if found := child_example_issues(child, parent, policy):
                issues.extend(found)
                continue
            gate.passed(policy)
        policies.append(policy)
        scopes[scope.name] = scope
    return scopes


def example_issues(policy: Policy, document: Document) -> list[PolicyIssue]:
    """Examples that do not behave as declared, as issues located at the example."""
    failed = [r for r in run_examples(policy) if not r.ok]
    positions = document.positions
    out = []
    for result in failed:
        key = "flag" if result.expect == "flag" else "pass"
        where = ("rules", result.rule_index, "examples", key, result.index)
        line, column = position_of(positions, where)
        message = f"example {result.detail}"
        out.append(PolicyIssue(document.filename, line, column, dotted(where), message))
    return out


def order_children(
    files: list[OverrideFile], bases: set[str]
) -> tuple[list[OverrideFile], list[PolicyIssue]]:
    """Children parents-first; issues for unknown parents and cycles."""
    by_name = {f.spec.name: f for f in files}
    ordered: list[OverrideFile] = []
    placed = set(bases)
    pending = list(files)
    while pending:
        ready = [f for f in pending if f.spec.extends in placed]
        if not ready:
            break
        for f in ready:
            ordered.append(f)
            placed.add(f.spec.name)
            pending.remove(f)
    problems = []
    for f in pending:
        line, column = f.positions.get(("extends",), (1, 1))
        known = sorted(placed | set(by_name))
        reason = (
            "policies extend each other in a cycle"
            if f.spec.extends in by_name
            else f"no policy is named {f.spec.extends!r}; known: {', '.join(known)}"
        )
        problems.append(PolicyIssue(f.path, line, column, "extends", reason))
    return ordered, problems
