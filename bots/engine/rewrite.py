"""The suggested rewrite: the writer's reply with each problem sentence replaced, from templates.

Keeps the greeting, facts and sign-off; opens with validation when it was missing; swaps
overpromises for honest commitments and surrendered boundaries for kind, firm limits.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from bots.engine.context import Context
from bots.engine.model import Finding
from bots.engine.text import GREETING

_SIGNOFF = re.compile(
    r"^(?:best|thanks|thank you|many thanks|regards|kind regards|warm regards|best regards|cheers|"
    r"sincerely|warmly|all the best|talk soon|speak soon|abra[çc]os?|um abra[çc]o|atenciosamente|"
    r"obrigad[oa]|att|cordialmente|at[ée] logo)\b",
    re.IGNORECASE,
)
_SENTENCE_LEVEL = frozenset({"phrase", "pattern"})
_DAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "pt": ("segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado", "domingo"),
}


@dataclass(frozen=True, slots=True)
class Parts:
    greeting: str
    body: list[tuple[int, int]]
    signoff: str


def variables(ctx: Context, **extra: Any) -> dict[str, Any]:
    """The values every rule text and template may use."""
    hours = ctx.policy.hours
    start = hours.next_start(ctx.sent_at, ctx.draft.timezone)
    return {
        "mood": ctx.mood.mood,
        "office_hours": hours.describe(_zone_label(ctx)),
        "next_business_start": _when(start, ctx.policy.language, ctx.sent_at),
        "next_update": _next_update(ctx),
        "excerpt": "",
        "rule": "",
        **extra,
    }


def _zone_label(ctx: Context) -> str | None:
    """Name the zone hours were judged in: the author's, their local offset, or the policy's."""
    if ctx.draft.timezone:
        return ctx.draft.timezone
    return "local time" if ctx.sent_at.tzinfo is not None and ctx.draft.sent_at is not None else None


def render_rewrite(ctx: Context, findings: tuple[Finding, ...]) -> str:
    parts = _split(ctx)
    values = variables(ctx)
    body = _body(ctx, parts, findings)
    categories = {f.category for f in findings}
    named = ctx.policy.named
    opening = named["opening.j2"].render(mood=ctx.mood.mood, concern="").strip() if "validation" in categories else ""
    closing = []
    if ctx.mood.mood == "abusive":
        closing.append(named["abuse.j2"].render(mood=ctx.mood.mood).strip())
    if "boundary" in categories or "after_hours" in categories:
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
    text = named["rewrite.j2"].render(
        greeting=parts.greeting,
        opening=opening,
        body=body,
        closing=[c for c in closing if c],
        signoff=parts.signoff,
        mood=ctx.mood.mood,
        office_hours=values["office_hours"],
    )
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _split(ctx: Context) -> Parts:
    text = ctx.text.text
    greeting_match = GREETING.match(text)
    greeting_end = greeting_match.end(1) if greeting_match else 0
    greeting = greeting_match.group(1).strip() if greeting_match else ""
    spans: list[tuple[int, int]] = []
    for sentence in ctx.text.sentences:
        start = max(sentence.start, greeting_end)
        chunk = text[start : sentence.end].strip()
        if chunk:
            offset = text.index(chunk, start)
            spans.append((offset, offset + len(chunk)))
    signoff_at = _signoff_start(text, spans)
    signoff = text[spans[signoff_at][0] :].strip() if signoff_at is not None else ""
    body = spans[:signoff_at] if signoff_at is not None else spans
    return Parts(greeting, body, signoff)


def _signoff_start(text: str, spans: list[tuple[int, int]]) -> int | None:
    for index in range(max(len(spans) - 2, 0), len(spans)):
        chunk = text[spans[index][0] : spans[index][1]]
        if _SIGNOFF.match(chunk):
            return index
    if spans:
        last = text[spans[-1][0] : spans[-1][1]]
        if len(last.split()) <= 4 and not last.rstrip().endswith((".", "!", "?", ":")) and len(spans) > 1:
            return len(spans) - 1
    return None


def _body(ctx: Context, parts: Parts, findings: tuple[Finding, ...]) -> list[str]:
    local = [f for f in findings if _kind(ctx, f.rule) in _SENTENCE_LEVEL]
    out: list[str] = []
    for start, end in parts.body:
        hits = [f for f in local if f.start < end and f.end > start]
        sentence = ctx.text.text[start:end]
        if hits:
            replacement = next((f.suggestion for f in hits if f.suggestion and not _drops(ctx, f)), None)
            if replacement is None or any(_drops(ctx, f) for f in hits):
                continue
            sentence = replacement
        if sentence not in out:
            out.append(sentence)
    return out


def _kind(ctx: Context, rule_id: str) -> str:
    rule = ctx.policy.rule(rule_id)
    return rule.kind if rule else ""


def _drops(ctx: Context, finding: Finding) -> bool:
    rule = ctx.policy.rule(finding.rule)
    return bool(rule and rule.drop)


def _when(moment: dt.datetime, language: str, now: dt.datetime) -> str:
    days = _DAYS.get(language, _DAYS["en"])
    local_now = now.astimezone(moment.tzinfo) if moment.tzinfo and now.tzinfo else now
    if moment.date() == local_now.date():
        return f"hoje às {moment:%H:%M}" if language == "pt" else f"today at {moment:%H:%M}"
    if moment.date() == local_now.date() + dt.timedelta(days=1):
        return f"amanhã às {moment:%H:%M}" if language == "pt" else f"tomorrow at {moment:%H:%M}"
    day = days[moment.weekday()]
    return f"{day} às {moment:%H:%M}" if language == "pt" else f"{day} at {moment:%H:%M}"


def _next_update(ctx: Context) -> str:
    """When the client will next hear: end of today if there is time left, else next morning."""
    hours = ctx.policy.hours
    local = hours.local(ctx.sent_at, ctx.draft.timezone)
    end_today = local.replace(hour=hours.end.hour, minute=hours.end.minute, second=0, microsecond=0)
    if hours.is_open(ctx.sent_at, ctx.draft.timezone) and end_today - local >= dt.timedelta(hours=2):
        return _when(end_today, ctx.policy.language, ctx.sent_at)
    start = hours.next_start(ctx.sent_at, ctx.draft.timezone)
    return _when(start + dt.timedelta(hours=3), ctx.policy.language, ctx.sent_at)
