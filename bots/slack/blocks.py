"""Report -> Block Kit, as pure functions. Every piece of user or policy text is escaped here."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bots.engine import Finding, Report
from bots.engine.model import SEVERITIES
from bots.slack.payloads import draft_value, feedback_value
from bots.slack.text import (
    MESSAGE_BLOCKS,
    SECTION_TEXT,
    code_safe,
    context,
    escape,
    plain,
    section,
    split,
    truncate,
)

Block = dict[str, Any]

EDIT, WHY, NOT_APPLICABLE = "nudge_edit", "nudge_why", "nudge_not_applicable"
_MARK = {"error": ":x:", "warning": ":warning:", "info": ":information_source:"}
_NOUN = {
    "error": ("problem", "problems"),
    "warning": ("warning", "warnings"),
    "info": ("note", "notes"),
}


def summary(report: Report) -> str:
    """One plain line that sums a report up (also the notification fallback text)."""
    if not report.findings:
        return "Nothing to nudge: this reply reads well."
    counts = Counter(f.severity for f in report.findings)
    parts = [f"{n} {_NOUN[s][n != 1]}" for s in reversed(SEVERITIES) if (n := counts[s])]
    mood = "" if report.client.mood == "calm" else f" The client sounds {report.client.mood}."
    n = len(report.findings)
    return (
        f"Nudge found {n} {'thing' if n == 1 else 'things'} to look at: {', '.join(parts)}.{mood}"
    )


def finding_block(finding: Finding, policy_version: str, *, feedback: bool = True) -> Block:
    """One finding: what, where in the draft, and a "Not applicable" button."""
    excerpt = truncate(" ".join(finding.excerpt.split()), 500)
    text = (
        f"{_MARK[finding.severity]} *{escape(finding.message)}*\n"
        f">{escape(excerpt)}\n_{finding.category.replace('_', ' ')} · {escape(finding.rule)}_"
    )
    block: Block = section(text)
    if feedback:
        block["accessory"] = {
            "type": "button",
            "action_id": NOT_APPLICABLE,
            "text": plain("Not applicable"),
            "value": feedback_value(finding.rule, policy_version),
        }
    return block


def rewrite_blocks(rewrite: str) -> list[Block]:
    """The suggested rewrite in code blocks (easy to copy), split to respect section limits."""
    pieces = split(code_safe(rewrite), SECTION_TEXT - 8)
    return [section("*Suggested rewrite*")] + [section(f"```{piece}```") for piece in pieces]


def _fit(blocks: list[Block], findings: list[Block], tail: list[Block], limit: int) -> list[Block]:
    room = limit - len(blocks) - len(tail)
    if len(findings) <= room:
        return blocks + findings + tail
    shown = findings[: room - 1]
    note = context(f"…and {len(findings) - len(shown)} more finding(s) not shown here.")
    return blocks + shown + [note] + tail


def report_blocks(
    report: Report, draft: str, client_message: str | None = None, *, limit: int = MESSAGE_BLOCKS
) -> list[Block]:
    """The ephemeral /nudge report: summary, findings, rewrite, buttons; at most `limit` blocks."""
    head = [section(f"*{escape(summary(report))}*")]
    findings = [finding_block(f, report.policy.version) for f in report.findings]
    tail: list[Block] = rewrite_blocks(report.rewrite) if report.rewrite else []
    value = draft_value(draft, client_message)
    buttons = [
        {"type": "button", "action_id": EDIT, "text": plain("Edit"), "value": value},
    ]
    if report.findings:
        buttons.append({"type": "button", "action_id": WHY, "text": plain("Why?"), "value": value})
    tail += [
        {"type": "actions", "block_id": "nudge_actions", "elements": buttons},
        context(f"Policy {escape(report.policy.name)} {escape(report.policy.version)}"),
    ]
    return _fit(head, findings, tail, limit)


def why_blocks(report: Report, *, limit: int = MESSAGE_BLOCKS) -> list[Block]:
    """Every finding's reason in full, with the client's mood and any suggestion."""
    head = [section(f"*Why Nudge flagged this*\n{escape(report.client.reason)}")]
    reasons = []
    for f in report.findings:
        text = f"{_MARK[f.severity]} *{escape(f.message)}*\n{escape(f.why)}"
        if f.suggestion:
            text += f"\n_Try:_ {escape(f.suggestion)}"
        reasons.append(section(text))
    if not reasons:
        reasons.append(section(escape(summary(report))))
    return _fit(head, reasons, [], limit)


def modal_report_blocks(report: Report, *, limit: int) -> list[Block]:
    """The report shown inside the modal after a check: reasons in full, no Edit/Why buttons."""
    head: list[Block] = [{"type": "divider"}, section(f"*{escape(summary(report))}*")]
    findings = []
    for f in report.findings:
        block = finding_block(f, report.policy.version)
        block["text"]["text"] = truncate(f"{block['text']['text']}\n{escape(f.why)}", SECTION_TEXT)
        findings.append(block)
    tail = rewrite_blocks(report.rewrite) if report.rewrite else []
    return _fit(head, findings, tail, limit)


def notice_blocks(text: str) -> list[Block]:
    """A short message (already plain text) as blocks."""
    return [section(escape(text))]
