"""Strict, sandboxed Jinja: templates from `templates/<language>/`, overridable by a policy."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes
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
        # A policy's templates never change under it: reloading builds a new environment. Without
        # this, every `{% include %}` stats the template file again on every render.
        auto_reload=False,
    )
    env.filters["sentence_case"] = _sentence_case
    return env


def check_source(
    env: jinja2.Environment, source: str, allowed: Iterable[str], what: str
) -> jinja2.Template:
    """Compile `source`, refusing syntax errors and variables outside `allowed`."""
    return env.from_string(_checked(env, source, allowed, what))  # compiled from the parse


def _checked(
    env: jinja2.Environment, source: str, allowed: Iterable[str], what: str
) -> jinja2.nodes.Template:
    """The parsed template, or TemplateProblem for a syntax error or a variable not allowed."""
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
    return parsed


def check_named(env: jinja2.Environment, name: str) -> jinja2.Template:
    """Load the named template (override or bundled) and check its variables."""
    assert env.loader is not None
    try:
        source, _, _ = env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        raise TemplateProblem(f"template {name!r} not found in the policy or templates/") from None
    _checked(env, source, TEMPLATE_VARIABLES.get(name, frozenset()), f"template {name!r}")
    return env.get_template(name)  # compiled once, and cached for `{% include %}`


class RuleText:
    """A rule's message, why or suggestion, ready to render for each finding.

    Most are text with `{{ name }}` holes (or an include of such a template). Those are rendered
    by joining strings, which is what Jinja's generated code does for them, without building a
    Jinja context per finding; anything else is rendered by Jinja.
    """

    __slots__ = ("_parts", "_static", "template")

    def __init__(self, template: jinja2.Template, parts: tuple[tuple[str, bool], ...] | None):
        self.template = template
        self._parts = parts
        #: The text itself when it has no holes at all (most `why`s): nothing to join per finding.
        static = parts is not None and not any(name for _, name in parts)
        self._static = "".join(p for p, _ in parts) if parts is not None and static else None

    def render(self, values: Mapping[str, Any]) -> str:
        if self._static is not None:
            return self._static
        if self._parts is None:
            return self.template.render(values)
        return "".join(str(values[p]) if name else p for p, name in self._parts)


def rule_text(env: jinja2.Environment, source: str, allowed: Iterable[str], what: str) -> RuleText:
    """`check_source`, plus the plain-substitution form when it renders exactly like Jinja."""
    allowed = frozenset(allowed)
    template = check_source(env, source, allowed, what)
    parts = _plain(env, env.parse(source).body, depth=0)
    if parts is not None and not _agrees(template, parts, allowed):
        parts = None
    return RuleText(template, parts)


def _agrees(
    template: jinja2.Template, parts: tuple[tuple[str, bool], ...], allowed: frozenset[str]
) -> bool:
    """Trust the shortcut only when it renders like Jinja, given distinct values for each name."""
    probe = {name: f"<{name}:{i}>" for i, name in enumerate(sorted(allowed))}
    try:
        return RuleText(template, parts).render(probe) == template.render(probe)
    except (KeyError, jinja2.TemplateError):
        return False


def _plain(
    env: jinja2.Environment, body: list[nodes.Node], depth: int
) -> tuple[tuple[str, bool], ...] | None:
    """(text, is_name) pieces when `body` is only text, `{{ name }}` and constant includes."""
    parts: list[tuple[str, bool]] = []
    for node in body:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if isinstance(child, nodes.TemplateData):
                    parts.append((child.data, False))
                elif isinstance(child, nodes.Name) and child.ctx == "load":
                    parts.append((child.name, True))
                else:
                    return None
        elif _simple_include(node) and depth < 3 and env.loader is not None:
            try:
                source, _, _ = env.loader.get_source(env, node.template.value)  # type: ignore[attr-defined]
            except jinja2.TemplateNotFound:
                return None
            included = _plain(env, env.parse(source).body, depth + 1)
            if included is None:
                return None
            parts += included
        else:
            return None
    return tuple(parts)


def _simple_include(node: nodes.Node) -> bool:
    return (
        isinstance(node, nodes.Include)
        and isinstance(node.template, nodes.Const)
        and isinstance(node.template.value, str)
        and node.with_context
        and not node.ignore_missing
    )


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]
