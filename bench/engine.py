"""Engine benchmark: per-draft latency by draft length and policy size, and proselint beside it."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import corpus, rivals, synthetic
from bench.timing import Stats, measure
from bots.engine import Draft, Policy, Trace, check, load_policy_dir
from bots.engine.check import _scan  # scan() is check() up to the findings
from bots.engine.text import normalise_input
from bots.engine.validate import validate_text

ROOT = Path(__file__).resolve().parents[1]
SIZES = (50, 200, 1000, 5000)
RULE_COUNTS = (50, 200, 500)
#: A Wednesday morning in London: inside office hours, so only the content rules fire.
NOW = dt.datetime(2026, 1, 7, 10, 0, tzinfo=dt.UTC)
UPSET_CLIENT = corpus.CLIENT_MESSAGES[0]


def scan(policy: Policy) -> Callable[[Draft], object]:
    """What `check` does up to the findings: normalise, analyse, match, run every rule.

    Mirrors bots.engine.check.check minus the client's mood and the rewrite, so the two
    costs can be reported apart (the targets name both).
    """

    def run(draft: Draft) -> object:
        text = normalise_input(draft.text)
        validate_text(text, policy.spec.limits.max_draft_chars)
        _, findings, _ = _scan(Draft(text), policy, NOW, Trace())
        return list(findings)

    return run


def full(policy: Policy) -> Callable[[Draft], object]:
    """The whole `check`: findings, the client's mood and the suggested rewrite."""
    return lambda draft: check(draft, policy, now=NOW)


def policies(workdir: Path, quick: bool) -> list[tuple[str, Policy, list[str]]]:
    """The default policy and synthetic ones, with the sentences that hit their rules."""
    out: list[tuple[str, Policy, list[str]]] = []
    synthetic.write_policy(ROOT / "policies" / "default.yaml", workdir / "default", None)
    default = load_policy_dir(workdir / "default", ROOT / "templates").default
    out.append((f"default ({len(default.rules)})", default, []))
    for count in RULE_COUNTS[:1] if quick else RULE_COUNTS:
        directory = workdir / f"rules-{count}"
        hits = synthetic.write_policy(ROOT / "policies" / "default.yaml", directory, count)
        policy = load_policy_dir(directory, ROOT / "templates", examples=False).default
        out.append((str(count), policy, hits))
    return out


def run(quick: bool = False, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Every size × policy × stage, plus proselint on the same drafts."""
    budget = 0.15 if quick else 0.6
    sizes = SIZES[:2] if quick else SIZES
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="nudge-bench-") as tmp:
        for label, policy, hits in policies(Path(tmp), quick):
            for words in sizes:
                texts = corpus.make_drafts(words, 12, extra_hits=hits)
                drafts = [Draft(t) for t in texts]
                upset = [Draft(t, client_message=UPSET_CLIENT) for t in texts]
                found = sum(len(check(d, policy, now=NOW).findings) for d in drafts) / len(drafts)
                for stage, fn, inputs in (
                    ("scan", scan(policy), drafts),
                    ("full", full(policy), upset),
                ):
                    stats = measure(fn, inputs, budget)
                    rows.append(_row(label, len(policy.rules), words, stage, stats, found))
                    log(
                        f"  engine {label:>13} rules {words:>5} words {stage:<4} "
                        f"p50 {stats.p50_us:9.1f} µs"
                    )
    return {"rows": rows, "proselint": _proselint(sizes, budget, log)}


def _row(
    label: str, rules: int, words: int, stage: str, stats: Stats, found: float
) -> dict[str, Any]:
    return {
        "policy": label,
        "rules": rules,
        "words": words,
        "stage": stage,
        "findings_per_draft": round(found, 1),
        **stats.to_dict(),
    }


def _proselint(sizes: tuple[int, ...], budget: float, log: Callable[[str], None]) -> dict[str, Any]:
    linter = rivals.proselint_linter()
    if linter is None:
        log("  proselint is not installed (pip install -e '.[bench]'): skipped")
        return {"installed": False, "rows": []}
    version, lint = linter
    rows = []
    for words in sizes:
        texts = corpus.make_drafts(words, 12)
        stats = measure(lint, texts, budget, min_samples=20)
        rows.append({"words": words, **stats.to_dict()})
        log(f"  proselint {version} {words:>5} words p50 {stats.p50_us:9.1f} µs")
    return {"installed": True, "version": version, "rows": rows}
