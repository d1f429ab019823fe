"""A directory of policies (one per file), and which one serves a given draft."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bots.engine.language import choose_language
from bots.engine.policy.compiled import Policy
from bots.engine.policy.examples import run_examples
from bots.engine.policy.loader import PolicyError, PolicyIssue, dotted, load_policy_file
from bots.engine.policy.yamlpos import load_with_positions, position_of


@dataclass(frozen=True, slots=True)
class PolicySet:
    """Every policy of a directory, by name; immutable, replaced whole on reload."""

    policies: tuple[Policy, ...]
    directory: str

    def __iter__(self) -> Iterator[Policy]:
        return iter(self.policies)

    @property
    def default(self) -> Policy:
        return next((p for p in self.policies if p.name == "default"), self.policies[0])

    def get(self, name: str) -> Policy | None:
        return next((p for p in self.policies if p.name == name), None)

    def for_language(self, language: str | None) -> Policy:
        if language:
            base = language.split("-")[0].split("_")[0].lower()
            match = [p for p in self.policies if p.language == base]
            if match:
                return next((p for p in match if p.name == "default"), match[0])
        return self.default

    def select(
        self,
        text: str,
        locale: str | None = None,
        team_id: str | None = None,
        channel_id: str | None = None,
    ) -> Policy:
        """The policy for a draft: the language forced for its team or channel by the default
        policy (`team_languages`), else the user's locale, else the language of the text."""
        forced = self.default.spec.team_languages
        language = forced.get(channel_id or "") or forced.get(team_id or "")
        return self.for_language(choose_language(text, locale, language))

    @property
    def version(self) -> str:
        return ",".join(f"{p.name}@{p.version}" for p in self.policies)


def policy_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.y*ml") if p.suffix in {".yaml", ".yml"})


def load_policy_dir(directory: Path, template_root: Path | None = None, examples: bool = True) -> PolicySet:
    """Load every policy file of `directory`; raise PolicyError listing every problem in all of them."""
    if not directory.is_dir():
        raise PolicyError([PolicyIssue(str(directory), 1, 1, "", "policy directory not found")])
    files = policy_files(directory)
    if not files:
        raise PolicyError([PolicyIssue(str(directory), 1, 1, "", "no *.yaml policy files in directory")])
    issues: list[PolicyIssue] = []
    policies: list[Policy] = []
    for path in files:
        try:
            policy = load_policy_file(path, template_root)
        except PolicyError as exc:
            issues.extend(exc.issues)
            continue
        if examples:
            issues.extend(example_issues(policy, path))
        policies.append(policy)
    names = [p.name for p in policies]
    for name in {n for n in names if names.count(n) > 1}:
        issues.append(PolicyIssue(str(directory), 1, 1, "name", f"two policy files are named {name!r}"))
    if issues:
        raise PolicyError(issues)
    return PolicySet(tuple(policies), str(directory))


def example_issues(policy: Policy, path: Path) -> list[PolicyIssue]:
    """Examples that do not behave as declared, as issues located at the example."""
    failed = [r for r in run_examples(policy) if not r.ok]
    if not failed:
        return []
    _, positions = load_with_positions(path.read_text(encoding="utf-8"))
    out = []
    for result in failed:
        key = "flag" if result.expect == "flag" else "pass"
        where = ("rules", result.rule_index, "examples", key, result.index)
        line, column = position_of(positions, where)
        out.append(PolicyIssue(str(path), line, column, dotted(where), f"example {result.detail}"))
    return out
