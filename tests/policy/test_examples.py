"""Every example of every rule in every bundled policy behaves as declared,
and Nudge's rewrite of every flagged example passes the policy that suggested it."""

from __future__ import annotations

import pytest

from bots.engine import load_policy_dir
from bots.engine.policy.examples import run_examples
from bots.engine.policy.invariants import rewrite_problems
from tests.conftest import POLICIES, TEMPLATES

_POLICIES = load_policy_dir(POLICIES, TEMPLATES, examples=False)
_CASES = [(policy, result) for policy in _POLICIES for result in run_examples(policy)]


@pytest.mark.parametrize(
    ("policy", "result"), _CASES, ids=[f"{p.name}:{r.rule}:{r.expect}{r.index}" for p, r in _CASES]
)
def test_example(policy, result):
    assert result.ok, f"{result.draft!r}: {result.detail}"
    assert rewrite_problems(policy, result) == []
