"""The rewrite invariant: checking Nudge's own rewrite yields no warning- or error-level finding.

Run over every example of every rule of both policies, every labelled corpus draft in
tests/corpus/, and the shared dev corpus when it is present.
"""

from __future__ import annotations

import pytest

from bots.engine import check, load_policy_dir
from bots.engine.policy.examples import reference_now
from bots.evaluation import Case
from tests.conftest import POLICIES, SHARED, TEMPLATES
from tests.detection.invariant import (
    case_problems,
    cases,
    corpus_files,
    example_drafts,
    example_problems,
)

_POLICIES = load_policy_dir(POLICIES, TEMPLATES, examples=False)
_EXAMPLES = [
    (policy, name, draft) for policy in _POLICIES for name, draft in example_drafts(policy)
]
_CORPUS = [(path.name, case) for path in corpus_files() for case in cases(path)]
_DEV = SHARED / "corpus" / "dev_drafts.jsonl"


@pytest.mark.parametrize(
    ("policy", "name", "draft"), _EXAMPLES, ids=[name for _, name, _ in _EXAMPLES]
)
def test_rewrite_of_every_policy_example_passes_its_policy(policy, name, draft):
    assert example_problems(policy, draft) == []


@pytest.mark.parametrize(("file", "case"), _CORPUS, ids=[f"{f}:{c.id}" for f, c in _CORPUS])
def test_rewrite_of_every_corpus_draft_passes_its_policy(file, case: Case):
    assert case_problems(_POLICIES, case) == []


def test_rewrite_of_every_dev_corpus_draft_passes_its_policy():
    if not _DEV.exists():
        pytest.skip(f"the shared dev corpus is not at {_DEV}")
    failures = {
        case.id: problems for case in cases(_DEV) if (problems := case_problems(_POLICIES, case))
    }
    assert failures == {}


def test_corpora_are_present_and_cover_both_languages():
    languages = {case.lang for _, case in _CORPUS}
    assert {"en", "pt"} <= languages
    assert len([1 for name, _ in _CORPUS if name.endswith("_tuning.jsonl")]) >= 160


def test_every_flagged_example_gets_a_rewrite_that_differs():
    for policy, name, draft in _EXAMPLES:
        if not name.split(":")[2].startswith("flag"):
            continue
        report = check(draft, policy, now=reference_now(policy))
        if any(f.severity != "info" for f in report.findings):
            assert report.rewrite and report.rewrite != draft.text, name
