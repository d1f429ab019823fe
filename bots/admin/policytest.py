"""`nudge policy test` text output an admin can act on: where, what happened, what to change."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from bots.engine import Policy, PolicySet
from bots.engine.policy.locate import example_location

FIX_FLAG = (
    "no phrase or pattern of this rule matched (or an `unless` exception / `when` condition "
    "stopped it). Add a phrase or pattern that matches, or move the draft to `pass` if it is fine."
)
FIX_PASS = (
    "this draft should be left alone. Narrow the phrase or pattern, add a cue to `unless_phrases`, "
    "or move the draft to `flag` if flagging it is right."
)
FIX_REWRITE = (
    "Nudge's own rewrite would be flagged again: change the rule's `suggestion` or template."
)


def _wrap(text: str, indent: str = "    ") -> str:
    return textwrap.fill(
        text, width=100, initial_indent=indent, subsequent_indent=indent + "          "
    )


def render(
    policies: PolicySet,
    rows: Sequence[tuple[Policy, Any, bool, list[str]]],
    untested: Sequence[tuple[str, str]],
) -> str:
    """One block per failure, then warnings, then a count line."""
    out: list[str] = []
    failed = [row for row in rows if not row[2]]
    for policy, result, _, problems in failed:
        file, line, inherited = example_location(
            policies, policy.name, result.rule, result.expect, result.index
        )
        head = f"FAIL {policy.name} {result.rule} {result.expect}[{result.index}]"
        out.append(f"{head}  at {file}:{line}")
        out.append(_wrap(f"draft:    {result.draft}"))
        out.append(_wrap(f"expected: {'a finding' if result.expect == 'flag' else 'no finding'}"))
        out.append(_wrap(f"got:      {result.detail}"))
        if not result.ok:
            out.append(_wrap(f"fix:      {FIX_FLAG if result.expect == 'flag' else FIX_PASS}"))
        for problem in problems:
            out.append(_wrap(f"rewrite:  still flagged by {problem}. {FIX_REWRITE}"))
        if inherited and policy.name in policies.scopes:
            out.append(_wrap(
                f"note:     inherited from {file}. If it fails for the parent too, fix it there; "
                f"otherwise {policy.source} causes it: give `overrides.{result.rule}` its own "
                "`examples`, or undo that change"
            ))  # fmt: skip
        out.append(_wrap(
            f"see:      nudge policy explain --policy {policies.directory} FILE  (FILE holds the "
            "draft) shows what each rule decided and why"
        ))  # fmt: skip
    for name, rule in untested:
        out.append(f"WARN {name} {rule}: add at least one `flag` and one `pass` example")
    out.append(f"{len(rows) - len(failed)} passed, {len(failed)} failed")
    return "\n".join(out) + "\n"
