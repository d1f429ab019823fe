"""Helpers shared by the detection tests: corpora, and the rewrite invariant."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from bots.engine import Draft, Policy, PolicySet, check
from bots.engine.policy.examples import reference_now
from bots.engine.policy.invariants import recheck_rewrite
from bots.evaluation import Case, read_corpus

CORPUS_DIR = Path(__file__).resolve().parents[1] / "corpus"


def corpus_files() -> list[Path]:
    return sorted(CORPUS_DIR.glob("*.jsonl"))


def cases(path: Path) -> Iterator[Case]:
    with path.open(encoding="utf-8") as handle:
        for item in read_corpus(handle):
            assert isinstance(item, Case), f"{path.name}: bad line {item}"
            yield item


def case_problems(policies: PolicySet, case: Case) -> list[str]:
    """Warning/error findings on the rewrite of one corpus draft (empty: the invariant holds)."""
    policy = policies.for_language(case.lang)
    draft = Draft(case.draft, case.client_message, case.sent_at, locale=case.lang)
    report = check(draft, policy, now=case.sent_at)
    return recheck_rewrite(policy, draft, report, case.sent_at)


def example_drafts(policy: Policy) -> Iterator[tuple[str, Draft]]:
    for rule in policy.rules:
        for expect, items in (
            ("flag", rule.spec.examples.flag),
            ("pass", rule.spec.examples.pass_),
        ):
            for index, ex in enumerate(items):
                yield (
                    f"{policy.name}:{rule.id}:{expect}[{index}]",
                    Draft(ex.draft, ex.client, ex.at),
                )


def example_problems(policy: Policy, draft: Draft) -> list[str]:
    now = reference_now(policy)
    return recheck_rewrite(policy, draft, check(draft, policy, now=now), now)


def load_jsonl(path: Path) -> list[dict[str, object]]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
