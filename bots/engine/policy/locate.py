"""Where in which file a rule's example is written, for messages an admin can act on."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from bots.engine.policy.registry import PolicySet
from bots.engine.policy.yamlpos import Path as KeyPath
from bots.engine.policy.yamlpos import YamlSyntaxError, load_with_positions, position_of


@lru_cache(maxsize=64)
def _parsed(file: str, stamp: float) -> tuple[object, dict[KeyPath, tuple[int, int]]]:
    data, positions = load_with_positions(Path(file).read_text(encoding="utf-8"))
    return data, positions


def example_location(
    policies: PolicySet, policy: str, rule_id: str, expect: str, index: int
) -> tuple[str, int, bool]:
    """(file, line, inherited): where example `expect[index]` of `rule_id` as `policy` sees it."""
    key = "flag" if expect == "flag" else "pass"
    scope = policies.scopes.get(policy)
    current = policies.get(policy)
    file = current.source if current else ""
    if scope is not None:
        own = f"rule:{rule_id}.examples" in scope.origins
        file = scope.origins.get(f"rule:{rule_id}.examples") or scope.origins.get(
            f"rule:{rule_id}", file
        )
        inherited = not own and file != (current.source if current else "")
    else:
        inherited = False
    try:
        data, positions = _parsed(file, Path(file).stat().st_mtime)
    except (OSError, YamlSyntaxError):
        return file, 1, inherited
    return file, _line(data, positions, rule_id, key, index), inherited


def _line(
    data: object, positions: dict[KeyPath, tuple[int, int]], rule_id: str, key: str, index: int
) -> int:
    if (
        isinstance(data, dict)
        and isinstance(data.get("overrides"), dict)
        and rule_id in data["overrides"]
    ):
        found = positions.get(("overrides", rule_id, "examples", key, index))
        if found:
            return found[0]
    rules = data.get("rules") if isinstance(data, dict) else None
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        if isinstance(rule, dict) and rule.get("id") == rule_id:
            return position_of(positions, ("rules", i, "examples", key, index))[0]
    return 1
