"""Large policies (hundreds of rules) compile and find exactly what each rule's expression finds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bench.synthetic import write_policy
from bots.engine import Draft, check, load_policy_dir
from tests.conftest import POLICIES, TEMPLATES

NOW = dt.datetime(2026, 1, 7, 10, 0, tzinfo=dt.UTC)


def test_a_500_rule_policy_loads_and_every_rule_still_fires(tmp_path: Path) -> None:
    hits = write_policy(POLICIES / "default.yaml", tmp_path, 500)
    # examples=True: every synthetic rule's flag and pass examples are checked at load.
    policy = load_policy_dir(tmp_path, TEMPLATES).default
    assert len(policy.rules) == 500
    report = check(Draft(" ".join(hits[:40])), policy, now=NOW)
    fired = {f.rule for f in report.findings}
    assert {r.id for r in policy.rules[:40]} <= fired


def test_the_prefilter_does_not_loosen_word_boundaries(tmp_path: Path) -> None:
    write_policy(POLICIES / "default.yaml", tmp_path, 200)
    policy = load_policy_dir(tmp_path, TEMPLATES, examples=False).default
    phrase = policy.rules[0].spec.phrases[0]
    assert check(Draft(f"We now offer {phrase}."), policy, now=NOW).findings
    # The Set (without boundaries) fires on this; the exact expression must still say no.
    glued = check(Draft(f"We now offer x{phrase}y."), policy, now=NOW)
    assert not [f for f in glued.findings if f.rule == policy.rules[0].id]


def test_an_expression_too_big_for_the_lean_budget_still_compiles_as_before() -> None:
    from bots.engine import matcher

    big = r"[\p{L}]{300}"  # over the 4 MiB per-expression budget, within RE2's default 8 MiB
    regex = matcher.compile_pattern(big)
    assert regex.search(("é" * 300).encode()) is not None
