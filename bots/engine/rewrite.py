"""The suggested rewrite: the writer's reply, mended, rendered from templates.

Keeps the greeting, facts, paragraphs and sign-off. Opens with validation fitted to the
client's mood when the draft doesn't already; swaps each overpromise for an honest
commitment with a time computed from office hours; cuts boundary-surrendering clauses
(keeping the facts around them); closes with the working-hours limit when one is at stake.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from bots.engine.checks import require
from bots.engine.clauses import struck, without
from bots.engine.context import Context
from bots.engine.layout import layout
from bots.engine.model import Finding
from bots.engine.policy.compiled import SENTENCE_KINDS
from bots.engine.text import Analysed
from bots.engine.timewords import when

_SENTENCE_LEVEL = SENTENCE_KINDS


_PT_WORDS = {
    "Mon": "seg",
    "Tue": "ter",
    "Wed": "qua",
    "Thu": "qui",
    "Fri": "sex",
    "Sat": "sáb",
    "Sun": "dom",
    "local time": "horário local",
}


class Values(Mapping[str, Any]):
    """The values every rule text and template may use, each worked out on first use.

    Most findings only quote their excerpt, while office hours, the next business start and
    the next update are date arithmetic in the author's zone: only a text that uses one pays.
    """

    __slots__ = ("_ctx", "_known")

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._known: dict[str, Any] = {
            "mood": ctx.mood.mood,
            "excerpt": "",
            "rule": "",
            "reason": "",
        }

    def __getitem__(self, key: str) -> Any:
        known = self._known
        if key not in known:
            known[key] = _COMPUTED[key](self._ctx)
        return known[key]

    def __iter__(self) -> Iterator[str]:
        return iter(_VALUE_NAMES)

    def __len__(self) -> int:
        return len(_VALUE_NAMES)


class FindingValues(Mapping[str, Any]):
    """A check's `Values` with one finding's excerpt, rule id and (forecast rules) reason."""

    __slots__ = ("_base", "_excerpt", "_reason", "_rule")

    def __init__(self, base: Values, excerpt: str, rule: str, reason: str = "") -> None:
        self._base = base
        self._excerpt = excerpt
        self._rule = rule
        self._reason = reason

    def __getitem__(self, key: str) -> Any:
        if key == "excerpt":
            return self._excerpt
        if key == "rule":
            return self._rule
        if key == "reason":
            return self._reason
        return self._base[key]

    def __iter__(self) -> Iterator[str]:
        return iter(_VALUE_NAMES)

    def __len__(self) -> int:
        return len(_VALUE_NAMES)


def _describe(ctx: Context) -> str:
    """Office hours in the policy's language, e.g. "seg–sex 09:00–18:00 (horário local)"."""
    text = ctx.policy.hours.describe(_zone_label(ctx))
    if ctx.policy.language != "pt":
        return text
    for en, pt in _PT_WORDS.items():
        text = text.replace(en, pt)
    return text


def _next_business_start(ctx: Context) -> str:
    start = ctx.policy.hours.next_start(ctx.sent_at, ctx.draft.timezone)
    return when(start, ctx.sent_at, ctx.policy.language)


def _zone_label(ctx: Context) -> str | None:
    """Name the zone hours were judged in: the author's, their local offset, or the policy's."""
    if ctx.draft.timezone:
        return ctx.draft.timezone
    return (
        "local time" if ctx.sent_at.tzinfo is not None and ctx.draft.sent_at is not None else None
    )


def render_rewrite(
    ctx: Context, findings: tuple[Finding, ...], values: Mapping[str, Any] | None = None
) -> str:
    """The whole suggested reply, as plain text with blank lines between its parts.

    `values` are the check's `Values` when the caller has them already.
    """
    parts = layout(ctx.text)
    values = values if values is not None else Values(ctx)
    local = [f for f in findings if _kind(ctx, f.rule) in _SENTENCE_LEVEL]
    paragraphs: list[list[str]] = []
    first: list[tuple[int, int] | None] = []  # where the opening sentences came from
    seen: set[str] = set()
    for paragraph in parts.paragraphs:
        sentences = []
        for start, end in paragraph:
            for sentence in _mend(ctx, start, end, local):
                if sentence in seen:
                    continue
                seen.add(sentence)
                sentences.append(sentence)
                first.append((start, end) if sentence == ctx.text.text[start:end] else None)
        if sentences:
            paragraphs.append(sentences)
    body = [" ".join(sentences) for sentences in paragraphs]
    if not body:  # everything was a problem: still say what happens next
        body = [
            ctx.policy.named["next_update.j2"]
            .render(next_update=values["next_update"], excerpt="")
            .strip()
        ]
    if body:
        body[0] = body[0][:1].upper() + body[0][1:]  # the greeting no longer starts the line
    text = ctx.policy.named["rewrite.j2"].render(
        greeting=parts.greeting,
        opening=_opening(ctx, findings, first[:2]),
        body=body,
        closing=_closing(ctx, findings, values, " ".join(body)),
        signoff=parts.signoff,
        mood=ctx.mood.mood,
        office_hours=values["office_hours"],
    )
    return _collapse_blank_lines(text).strip()


def _mend(ctx: Context, start: int, end: int, local: list[Finding]) -> list[str]:
    """One sentence mended: itself, its facts less the flagged clause, a replacement, or nothing."""
    sentence = ctx.text.text[start:end]
    hits = [f for f in local if f.start < end and f.end > start]
    if not hits:
        return [sentence]
    if all(_strikes(ctx, f) for f in hits):
        cut = struck(sentence, [(f.start - start, f.end - start) for f in hits])
        if cut:
            return [cut]
    replacement = next((f.suggestion for f in hits if f.suggestion and not _drops(ctx, f)), None)
    if any(f.category == "overpromise" for f in hits):
        return [replacement] if replacement else []
    rest = without(sentence, [(f.start - start, f.end - start) for f in hits])
    return [s for s in (rest, replacement) if s]


def _opening(
    ctx: Context, findings: tuple[Finding, ...], early: list[tuple[int, int] | None]
) -> str:
    """Validation first, unless the client is calm or the draft's own acknowledgement stays."""
    wanted = any(f.category == "validation" for f in findings) or ctx.mood.mood != "calm"
    if not wanted or _acknowledged(ctx, [span for span in early if span]):
        return ""
    return ctx.policy.named["opening.j2"].render(mood=ctx.mood.mood, concern="").strip()


def _acknowledged(ctx: Context, early: list[tuple[int, int]]) -> bool:
    """A kept sentence, still among the first two, satisfied a validation requirement."""
    policy = ctx.policy
    for rule in (policy.rules[i] for i in policy.unconditional):  # not all rules: stay flat
        if rule.kind != "require" or rule.category != "validation":
            continue
        for hit_start, hit_end in require.counted(rule, ctx):
            if any(s <= hit_start and hit_end <= e for s, e in early):
                return True
    return False


def _closing(
    ctx: Context, findings: tuple[Finding, ...], values: Mapping[str, Any], body: str
) -> list[str]:
    named = ctx.policy.named
    closing = []
    if ctx.mood.mood == "abusive":
        closing.append(named["abuse.j2"].render(mood=ctx.mood.mood).strip())
    # Hours are at stake when a boundary was given away (not when the writer ran themselves
    # down), or when a client's message is being answered after hours.
    boundary = any(f.category == "boundary" and not _drops(ctx, f) for f in findings)
    late = any(f.category == "after_hours" for f in findings) and bool(ctx.draft.client_message)
    at_stake = boundary or late
    if at_stake and values["office_hours"] not in body:
        closing.append(
            named["hours.j2"]
            .render(
                office_hours=values["office_hours"],
                next_business_start=values["next_business_start"],
                after_hours=ctx.after_hours,
                mood=ctx.mood.mood,
            )
            .strip()
        )
    return [line for line in closing if line]


def prune(text: str, spans: list[tuple[int, int]]) -> str:
    """Drop the sentences of a rewrite that still contain a problem (a last-resort safety net)."""
    analysed = Analysed.of(text)
    doomed = {
        s
        for s in analysed.sentences
        if any(s.start <= a < s.end or s.start < b <= s.end for a, b in spans)
    }
    out = text
    for sentence in sorted(doomed, key=lambda s: s.start, reverse=True):
        out = out[: sentence.start] + out[sentence.end :]
    out = re.sub(r"[ \t]{2,}", " ", out)
    out = re.sub(r"[ \t]+\n", "\n", out)
    return _collapse_blank_lines(out).strip()


_BLANK_LINES = re.compile(r"\n{3,}")


def _collapse_blank_lines(text: str) -> str:
    """Runs of blank lines as one. `re` tries the expression at every character (~140 instructions
    each), so it runs only when there is such a run, which `in` finds in C."""
    return _BLANK_LINES.sub("\n\n", text) if "\n\n\n" in text else text


def _kind(ctx: Context, rule_id: str) -> str:
    rule = ctx.policy.rule(rule_id)
    return rule.kind if rule else ""


def _drops(ctx: Context, finding: Finding) -> bool:
    rule = ctx.policy.rule(finding.rule)
    return bool(rule and rule.drop)


def _strikes(ctx: Context, finding: Finding) -> bool:
    rule = ctx.policy.rule(finding.rule)
    return bool(rule and rule.strike)


def _next_update(ctx: Context) -> str:
    """When the client will next hear: before close today if there is time left, else the
    next working morning (three hours after opening, so there is time to find out)."""
    hours = ctx.policy.hours
    zone = ctx.draft.timezone
    local = hours.local(ctx.sent_at, zone)
    end_today = local.replace(hour=hours.end.hour, minute=hours.end.minute, second=0, microsecond=0)
    open_now = hours.is_open(ctx.sent_at, zone)
    if open_now and end_today - local >= dt.timedelta(hours=2):
        return when(end_today - dt.timedelta(minutes=30), ctx.sent_at, ctx.policy.language)
    after = end_today + dt.timedelta(minutes=1) if open_now else local
    start = hours.next_start(after, zone)
    latest = start.replace(hour=hours.end.hour, minute=hours.end.minute) - dt.timedelta(minutes=30)
    return when(min(start + dt.timedelta(hours=3), latest), ctx.sent_at, ctx.policy.language)


#: In the order `variables` has always listed them (Jinja sees them in this order).
_VALUE_NAMES = (
    "mood",
    "office_hours",
    "next_business_start",
    "next_update",
    "excerpt",
    "rule",
    "reason",
)
_COMPUTED: dict[str, Callable[[Context], str]] = {
    "office_hours": _describe,
    "next_business_start": _next_business_start,
    "next_update": _next_update,
}
