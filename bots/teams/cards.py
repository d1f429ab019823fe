"""Adaptive Cards rendered from Jinja templates in templates/teams/ (wording lives there)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from bots.engine import Report

CARD_VERSION = "1.5"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
MAX_INPUT = 20000

# Characters Adaptive Card markdown acts on; a backslash makes each literal. Parentheses stay
# (a link needs its escaped brackets), so ordinary prose keeps reading naturally.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]~])")
_MD_BULLET = re.compile(r"^(\s*)([-+#>])", re.MULTILINE)
_MD_NUMBERED = re.compile(r"^(\s*)(\d+)\.(\s)", re.MULTILINE)


class CardError(ValueError):
    """A template produced something that is not a valid Adaptive Card (a bug, never user input)."""


def escape_markdown(text: object) -> str:
    """User text shown literally in a TextBlock: markdown syntax and list markers neutralised."""
    escaped = _MD_SPECIAL.sub(r"\\\1", str(text))
    escaped = _MD_BULLET.sub(r"\1\\\2", escaped)
    return _MD_NUMBERED.sub(r"\1\2\\.\3", escaped)


class CardRenderer:
    """Renders the card templates; each result is parsed back and checked before use."""

    def __init__(self, template_dir: Path) -> None:
        self.env = SandboxedEnvironment(
            loader=FileSystemLoader(str(template_dir / "teams")),
            undefined=StrictUndefined,
            autoescape=False,
        )
        self.env.filters["md"] = escape_markdown

    def language(self, locale: str | None) -> str:
        """The card language for a locale or language code (`pt-BR` -> `pt`); English if unknown."""
        base = (locale or "en").replace("_", "-").split("-")[0].lower()
        return base if base in self.languages else "en"

    @functools.cached_property
    def languages(self) -> frozenset[str]:
        """The languages with a wording file in templates/teams/lang/."""
        names = self.env.list_templates(filter_func=lambda n: n.startswith("lang/"))
        return frozenset(Path(n).stem for n in names)

    def word(self, lang: str, name: str) -> str:
        """One piece of wording from templates/teams/lang/<lang>.j2."""
        return str(getattr(self.env.get_template(f"lang/{self.language(lang)}.j2").module, name))

    def render(self, name: str, lang: str = "en", **values: Any) -> dict[str, Any]:
        """Render `name`.json.j2 into a card dict (raises CardError if the result is not a card)."""
        template = self.env.get_template(f"{name}.json.j2")
        text = template.render(version=CARD_VERSION, lang=self.language(lang), **values)
        try:
            card = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CardError(f"template {name} rendered invalid JSON: {exc}") from None
        validate_card(card)
        return card

    def form(
        self, draft: str = "", client_message: str = "", error: str | None = None, lang: str = "en"
    ) -> dict[str, Any]:
        """The "Check draft" form, prefilled."""
        return self.render(
            "form",
            lang,
            draft=draft,
            client_message=client_message,
            error=error,
            max_length=MAX_INPUT,
        )

    def report(
        self,
        report: Report,
        summary: str,
        *,
        interactive: bool = False,
        draft: str = "",
        client_message: str = "",
        dismissed: Iterable[str] = (),
        late: Late | None = None,
    ) -> dict[str, Any]:
        """Findings, reasons and the rewrite; `interactive` adds the dialog's buttons and state;
        `late` adds the late-reply nudge and its "Remind me at" button."""
        return self.render(
            "report",
            report.policy.language,
            summary=summary,
            findings=[f.to_dict() for f in report.findings],
            rewrite=report.rewrite,
            after_hours=report.after_hours,
            policy_name=report.policy.name,
            policy_version=report.policy.version,
            interactive=interactive,
            draft=draft,
            client_message=client_message,
            dismissed=sorted(set(dismissed)),
            late=late,
        )

    def inserted(self, rewrite: str) -> dict[str, Any]:
        """The card the compose box receives from "Insert rewrite"."""
        return self.render("inserted", rewrite=rewrite)

    def help(self, bot_name: str = "Nudge", lang: str = "en") -> dict[str, Any]:
        """What the bot does and its commands."""
        return self.render("help", lang, bot_name=bot_name)

    def hours(
        self, hours: str, open_now: bool, next_start: dt.datetime, lang: str = "en"
    ) -> dict[str, Any]:
        """The office hours, and whether they are open now (else the next start)."""
        return self.render(
            "hours",
            lang,
            hours=hours,
            open=open_now,
            next_weekday=next_start.weekday(),
            next_time=f"{next_start:%H:%M}",
        )

    def reminder_set(self, at: dt.datetime, lang: str = "en") -> dict[str, Any]:
        """The confirmation after "Remind me at …" was pressed."""
        return self.render("reminder_set", lang, day=at.weekday(), time=f"{at:%H:%M}")

    def notice(self, text: str) -> dict[str, Any]:
        """A reminder's text as a card, when the caller sent no card of its own."""
        return self.render("notice", text=text)


@dataclass(frozen=True, slots=True)
class Late:
    """A late reply on a result card: the nudge text, when to remind, and the button's data."""

    text: str
    remind_at: dt.datetime
    data: dict[str, Any]

    @property
    def day(self) -> int:
        """Weekday of the reminder in the person's zone (0 = Monday), for the wording's days."""
        return self.remind_at.weekday()

    @property
    def time(self) -> str:
        """`09:00` in the person's zone (the reminders module gives `remind_at` in it)."""
        return f"{self.remind_at:%H:%M}"


def attachment(card: dict[str, Any]) -> dict[str, Any]:
    """Wrap a card as a Bot Framework attachment."""
    return {"contentType": CARD_CONTENT_TYPE, "content": card}


def validate_card(card: Any) -> None:
    """The structural checks Teams relies on: type, version, a body list, typed elements."""
    if not isinstance(card, dict) or card.get("type") != "AdaptiveCard":
        raise CardError("not an AdaptiveCard")
    if card.get("version") != CARD_VERSION:
        raise CardError(f"card version must be {CARD_VERSION}")
    body = card.get("body")
    if not isinstance(body, list) or not body:
        raise CardError("card body must be a non-empty list")
    for element in _walk(body):
        if not isinstance(element, dict) or not isinstance(element.get("type"), str):
            raise CardError("every card element needs a type")
    for action in card.get("actions", []):
        if not isinstance(action, dict) or not str(action.get("type", "")).startswith("Action."):
            raise CardError("every card action needs an Action.* type")


def _walk(elements: list[Any]) -> Iterable[Any]:
    for element in elements:
        yield element
        if isinstance(element, dict):
            yield from _walk(element.get("items", []))
            yield from _walk(element.get("actions", []))
