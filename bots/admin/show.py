"""`nudge policy show`: the effective policy for a team/channel, and where each piece came from."""

from __future__ import annotations

from typing import Any

from bots.engine import Policy, PolicySet
from bots.engine.policy.cascade import RULE_FIELDS, base_origins
from bots.engine.templating import TEMPLATE_VARIABLES


def effective(
    policies: PolicySet,
    *,
    language: str | None = None,
    team: str | None = None,
    channel: str | None = None,
) -> dict[str, Any]:
    """The policy a draft from `team`/`channel` in `language` gets, with provenance per piece."""
    base = policies.for_language(language)
    policy = policies.scoped(base.language, team, channel) or base
    scope = policies.scopes.get(policy.name)
    origins = dict(scope.origins) if scope else base_origins(policy)
    own = policy.source
    return {
        "policy": policy.name,
        "version": policy.version,
        "language": policy.language,
        "chain": list(scope.chain) if scope else [policy.name],
        "applies_to": {"teams": list(scope.teams), "channels": list(scope.channels)}
        if scope
        else None,
        "selected_for": {"team": team, "channel": channel, "language": language},
        "admins": list(policy.spec.admins),
        "office_hours": {
            "value": policy.hours.describe(),
            "from": origins.get("office_hours", own),
        },
        "templates": _templates(policy, origins),
        "rules": [_rule(policy, i, origins) for i in range(len(policy.rules))],
    }


def _templates(policy: Policy, origins: dict[str, str]) -> list[dict[str, str]]:
    return [
        {
            "name": name,
            "from": origins.get(f"template:{name}", f"templates/ (bundled, {policy.language})"),
        }
        for name in sorted(TEMPLATE_VARIABLES)
    ]


def _rule(policy: Policy, index: int, origins: dict[str, str]) -> dict[str, Any]:
    spec = policy.rules[index].spec
    home = origins.get(f"rule:{spec.id}", policy.source)
    out: dict[str, Any] = {
        "id": spec.id,
        "category": spec.category,
        "kind": spec.kind,
        "from": home,
    }
    for key in ("enabled", "severity", "mode"):
        out[key] = {"value": getattr(spec, key), "from": origins.get(f"rule:{spec.id}.{key}", home)}
    out["phrases"] = [
        {"phrase": p, "from": origins.get(f"rule:{spec.id}.phrase:{p}", home)} for p in spec.phrases
    ]
    prefix = f"rule:{spec.id}.removed:"
    out["removed_phrases"] = [
        {"phrase": key[len(prefix) :], "from": where}
        for key, where in origins.items()
        if key.startswith(prefix)
    ]
    out["overridden"] = {
        k: origins[f"rule:{spec.id}.{k}"] for k in RULE_FIELDS if f"rule:{spec.id}.{k}" in origins
    }
    return out


def render_text(view: dict[str, Any]) -> str:
    """The effective policy for a terminal: inherited pieces plain, local changes marked `*`."""
    chain = " → ".join(view["chain"])
    lines = [
        f"policy {view['policy']} {view['version']} ({view['language']}): {chain}",
        f"office hours: {view['office_hours']['value']}    [{view['office_hours']['from']}]",
    ]
    if view["applies_to"]:
        applies = view["applies_to"]
        lines.append(
            f"applies to: teams {applies['teams'] or '-'}; channels {applies['channels'] or '-'}"
        )
    lines.append("templates:")
    lines += [f"  {t['name']:<16} [{t['from']}]" for t in view["templates"]]
    lines.append("rules:")
    for rule in view["rules"]:
        lines += _rule_lines(rule)
    return "\n".join(lines) + "\n"


def _rule_lines(rule: dict[str, Any]) -> list[str]:
    state = "on " if rule["enabled"]["value"] else "off"
    mark = "*" if rule["overridden"] or rule["removed_phrases"] else " "
    head = (
        f" {mark}{state} {rule['id']:<32} {rule['severity']['value']:<7} "
        f"{rule['mode']['value']:<6} "
        f"[{rule['from']}]"
    )
    lines = [head]
    for key, where in rule["overridden"].items():
        value = f"= {rule[key]['value']}" if key in ("enabled", "severity", "mode") else "replaced"
        lines.append(f"      {key} {value}  [{where}]")
    for phrase in rule["phrases"]:
        if phrase["from"] != rule["from"]:
            lines.append(f"      + “{phrase['phrase']}”  [{phrase['from']}]")
    for phrase in rule["removed_phrases"]:
        lines.append(f"      - “{phrase['phrase']}”  [{phrase['from']}]")
    return lines
