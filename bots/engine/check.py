"""`check()`: the one entry point of the engine. Pure: no clock, no I/O, no platform."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from bots.engine.checks import KINDS
from bots.engine.context import Context, Hit, Trace
from bots.engine.matcher import first_match
from bots.engine.model import Draft, Finding, Report
from bots.engine.mood import read_mood
from bots.engine.policy.compiled import Policy, Rule
from bots.engine.rewrite import FindingValues, Values, prune, render_rewrite
from bots.engine.text import Analysed, normalise_input
from bots.engine.validate import validate_text


def check(draft: Draft, policy: Policy, *, now: dt.datetime, trace: Trace | None = None) -> Report:
    """Check `draft` against `policy` as of `now` (used when the draft has no sent_at)."""
    trace = trace or Trace()
    limit = policy.spec.limits.max_draft_chars
    text = normalise_input(draft.text)
    validate_text(text, limit)
    client = normalise_input(draft.client_message) if draft.client_message else None
    if client:
        validate_text(client, limit, "client message")
    draft = dataclasses.replace(draft, text=text, client_message=client)
    ctx, findings, shadow, values = _findings(draft, policy, now, trace)
    rewrite = _settle(ctx, findings, values) if _needs_rewrite(findings) else None
    return Report(findings, rewrite, ctx.after_hours, ctx.mood, policy.ref, shadow)


def _scan(
    draft: Draft, policy: Policy, now: dt.datetime, trace: Trace
) -> tuple[Context, tuple[Finding, ...], tuple[Finding, ...]]:
    """`check` up to the findings (active and shadow)."""
    ctx, active, shadow, _ = _findings(draft, policy, now, trace)
    return ctx, active, shadow


def _findings(
    draft: Draft, policy: Policy, now: dt.datetime, trace: Trace
) -> tuple[Context, tuple[Finding, ...], tuple[Finding, ...], Values]:
    ctx = _context(draft, policy, now, trace)
    active: list[Finding] = []
    shadow: list[Finding] = []
    base = Values(ctx)
    for rule in _runnable(policy, ctx):
        for finding in _run(rule, ctx, base):
            (shadow if rule.spec.mode == "shadow" else active).append(finding)
    active.sort(key=lambda f: (f.start, f.end, f.rule))
    return ctx, tuple(active), tuple(shadow), base


def _settle(ctx: Context, findings: tuple[Finding, ...], values: Values) -> str:
    """Render the rewrite, then re-check it; drop any sentence that still trips a rule.

    The rewrite must pass the policy that suggested it. Templates and clause cuts nearly
    always get there; this loop is the safety net for odd drafts.
    """
    rewrite = render_rewrite(ctx, findings, values)
    for _ in range(3):
        spans = _problem_spans(ctx, rewrite)
        if not spans:
            break
        rewrite = prune(rewrite, spans)
    return rewrite


def _problem_spans(ctx: Context, rewrite: str) -> list[tuple[int, int]]:
    """Spans of the active, non-info sentence-level findings `_scan` would report for `rewrite`.

    Only the spans matter here, so no message, why or suggestion is rendered: rendering them
    made re-checking the rewrite cost as much as the check itself. The rewrite answers the
    same client at the same moment, so the mood and office hours already read are reused;
    and unless a phrase or pattern rule fires on it, only the `forecast` rules read it.
    """
    policy = ctx.policy
    analysed = Analysed.of(rewrite)  # folded and encoded once, for the MatchSet and the checks
    fired = policy.matchset.run(analysed.offsets, keys=policy.blockers)
    indexes = sorted([*(policy.positions[key] for key in fired), *policy.unmatched_blockers])
    rules = [policy.rules[i] for i in indexes if _unmet(policy.rules[i], ctx) is None]
    if not rules:
        return []
    ctx = dataclasses.replace(
        ctx,
        draft=dataclasses.replace(ctx.draft, text=rewrite),
        text=analysed,
        fired=fired,
        trace=Trace(),
    )
    spans: list[tuple[int, int]] = []
    for rule in rules:
        spans.extend((hit.start, hit.end) for hit in KINDS[rule.kind](rule, ctx))
    return spans


def _context(draft: Draft, policy: Policy, now: dt.datetime, trace: Trace) -> Context:
    analysed = Analysed.of(draft.text)
    sent_at = draft.sent_at or now
    return Context(
        draft=draft,
        text=analysed,
        policy=policy,
        mood=read_mood(draft.client_message, policy.mood),
        fired=policy.matchset.run(analysed.offsets),
        sent_at=sent_at,
        after_hours=not policy.hours.is_open(sent_at, draft.timezone),
        trace=trace,
    )


def _runnable(policy: Policy, ctx: Context) -> Sequence[Rule]:
    """Every rule when explaining; otherwise only those that can find something in this draft.

    A phrase or pattern rule the MatchSet did not fire finds nothing, and skipping it keeps
    the cost flat as policies grow (hundreds of rules, a handful firing per draft).
    """
    if ctx.trace.enabled:
        return policy.rules
    fired = (policy.positions[key] for key in ctx.fired if key in policy.positions)
    return [policy.rules[i] for i in sorted({*policy.unconditional, *fired})]


def _run(rule: Rule, ctx: Context, values: Values | None = None) -> list[Finding]:
    if not rule.spec.enabled:
        ctx.trace.add(rule.id, "skipped", "switched off in the policy (enabled: false)")
        return []
    reason = _unmet(rule, ctx)
    if reason:
        ctx.trace.add(rule.id, "skipped", reason)
        return []
    values = values if values is not None else Values(ctx)
    return [_finding(rule, ctx, hit, values) for hit in KINDS[rule.kind](rule, ctx)]


def _unmet(rule: Rule, ctx: Context) -> str | None:
    when = rule.when
    if when.moods is not None and ctx.mood.mood not in when.moods:
        moods = ", ".join(sorted(when.moods))
        return f"only runs when the client is {moods}; client is {ctx.mood.mood}"
    if when.after_hours is not None and when.after_hours != ctx.after_hours:
        return "only runs " + ("after hours" if when.after_hours else "inside office hours")
    if when.client is not None and not (
        ctx.draft.client_message and first_match(when.client, ctx.draft.client_message)
    ):
        return "only runs when the client's message mentions one of its client_phrases"
    return None


def _finding(rule: Rule, ctx: Context, hit: Hit, base: Values) -> Finding:
    start, end = hit.start, hit.end
    excerpt = ctx.text.text[start:end]
    values = FindingValues(base, excerpt, rule.id, hit.reason_text())
    suggestion = rule.suggestion.render(values).strip() if rule.suggestion else None
    return Finding(
        rule=rule.id,
        category=rule.category,
        severity=rule.severity,
        start=start,
        end=end,
        excerpt=excerpt,
        message=rule.message.render(values).strip(),
        why=rule.why.render(values).strip(),
        suggestion=suggestion or None,
    )


def _needs_rewrite(findings: tuple[Finding, ...]) -> bool:
    return any(f.severity != "info" for f in findings)
