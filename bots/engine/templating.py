"""Strict, sandboxed Jinja: templates from `templates/<language>/`, overridable by a policy."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import jinja2
from jinja2 import meta
from jinja2.sandbox import SandboxedEnvironment

#: Variables each named template may use; checked when a policy loads.
TEMPLATE_VARIABLES: dict[str, frozenset[str]] = {
    "rewrite.j2": frozenset(
        {"greeting", "opening", "body", "closing", "signoff", "mood", "office_hours"}
    ),
    "opening.j2": frozenset({"mood", "concern"}),
    "hours.j2": frozenset({"office_hours", "next_business_start", "after_hours", "mood"}),
    "next_update.j2": frozenset({"next_update", "excerpt"}),
    "abuse.j2": frozenset({"mood"}),
    "summary.j2": frozenset({"findings", "mood", "after_hours"}),
}
#: Variables a rule's message, why and suggestion may use.
RULE_VARIABLES = frozenset(
    {"excerpt", "mood", "office_hours", "next_business_start", "next_update", "rule", "reason"}
)


class TemplateProblem(ValueError):
    """A template that does not parse, or uses a variable it will never be given."""


def default_template_root() -> Path:
    return Path(__file__).resolve().parents[2] / "templates"


def environment(
    language: str, overrides: Mapping[str, str], root: Path | None = None
) -> SandboxedEnvironment:
    """The one Jinja environment of a policy: its overrides first, then the bundled files."""
    base = root or default_template_root()
    loader = jinja2.ChoiceLoader(
        [
            jinja2.DictLoader(dict(overrides)),
            jinja2.FileSystemLoader([str(base / language), str(base / "common")]),
        ]
    )
    env = SandboxedEnvironment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["sentence_case"] = _sentence_case
    return env


def check_source(
    env: jinja2.Environment, source: str, allowed: Iterable[str], what: str
) -> jinja2.Template:
    """Compile `source`, refusing syntax errors and variables outside `allowed`."""
    try:
        parsed = env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(
            f"{what}: template syntax error on its line {exc.lineno}: {exc.message}"
        ) from None
    unknown = meta.find_undeclared_variables(parsed) - set(allowed)
    if unknown:
        names = ", ".join(sorted(unknown))
        raise TemplateProblem(
            f"{what}: uses undefined variable(s) {names}; available: {', '.join(sorted(allowed))}"
        )
    return env.from_string(source)


def check_named(env: jinja2.Environment, name: str) -> jinja2.Template:
    """Load the named template (override or bundled) and check its variables."""
    assert env.loader is not None
    try:
        source, _, _ = env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        raise TemplateProblem(f"template {name!r} not found in the policy or templates/") from None
    check_source(env, source, TEMPLATE_VARIABLES.get(name, frozenset()), f"template {name!r}")
    return env.get_template(name)


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]
