"""Quality floors: precision and recall per category on the tuning sets and the dev corpus.

The floors sit a little below what was measured when the rules were tuned, so a change that
makes detection worse fails here. Held-back corpora are measured, never tuned on, and have
no floor in this file.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bots.evaluation import Evaluation, evaluate, read_corpus
from tests.conftest import SHARED
from tests.detection.invariant import CORPUS_DIR

#: (precision, recall) floors per category.
FLOORS: dict[str, dict[str, tuple[float, float]]] = {
    "en_tuning": {"overpromise": (0.95, 0.95), "boundary": (0.95, 0.9), "validation": (0.95, 0.95)},
    "pt_tuning": {"overpromise": (0.93, 0.93), "boundary": (0.9, 0.9), "validation": (0.9, 0.9)},
    # Written to probe validation: upset clients in plain words, and pleasantries that only
    # look like acknowledgement.
    "en_validation_tuning": {"validation": (0.95, 0.85)},
    "en_validation_tuning2": {"validation": (0.95, 0.9)},
    # Written as the third held-back set and measured blind (validation 0.97/0.69), then read.
    "en_tuning3": {"overpromise": (0.9, 0.9), "boundary": (0.9, 0.9), "validation": (0.95, 0.9)},
    # The fourth held-back set (measured blind: 0.84/0.86, 0.83/0.76, 0.88/0.57), then read.
    "en_tuning4": {"overpromise": (0.85, 0.9), "boundary": (0.8, 0.9), "validation": (0.95, 0.8)},
    # The fifth held-back set (measured blind: 0.88/0.86, 0.87/0.85, 0.90/0.70), then read.
    "en_tuning5": {"overpromise": (0.85, 0.85), "boundary": (0.85, 0.85), "validation": (0.9, 0.8)},
    # The sixth held-back set (measured blind: 0.93/0.89, 0.80/0.85, 0.84/0.60), then read.
    "en_tuning6": {"overpromise": (0.9, 0.85), "boundary": (0.85, 0.8), "validation": (0.8, 0.75)},
    # The seventh held-back set (measured blind: 0.91/0.89, 0.84/0.93, 0.95/0.77), then read.
    "en_tuning7": {"overpromise": (0.88, 0.85), "boundary": (0.9, 0.95), "validation": (0.9, 0.75)},
    # The eighth held-back set (measured blind: 0.91/0.91, 0.93/0.98, 0.95/0.70), then read.
    "en_tuning8": {"overpromise": (0.88, 0.88), "boundary": (0.9, 0.95), "validation": (0.9, 0.75)},
    # The ninth held-back set (measured blind: 0.98/0.89, 0.97/0.92, 0.95/0.73), then read.
    "en_tuning9": {"overpromise": (0.95, 0.85), "boundary": (0.95, 0.9), "validation": (0.95, 0.9)},
    # The eleventh held-back set (measured blind: 0.81/0.89, 0.97/0.84, 0.93/0.82), then read.
    "en_tuning11": {"overpromise": (0.85, 0.85), "boundary": (0.95, 0.8), "validation": (0.9, 0.8)},
    # The twelfth held-back set (measured blind: 0.88/0.84, 0.91/0.82, 0.85/0.66), then read.
    "en_tuning12": {"overpromise": (0.93, 0.9), "boundary": (0.9, 0.9), "validation": (0.85, 0.85)},
    # The thirteenth held-back set (measured blind: 0.91/0.85, 0.86/0.79, 0.94/0.69), then read.
    "en_tuning13": {"overpromise": (0.9, 0.9), "boundary": (0.9, 0.9), "validation": (0.95, 0.9)},
    # The fourteenth held-back set (measured blind: 0.91/0.81, 0.85/0.89, 0.93/0.52), then read.
    "en_tuning14": {
        "overpromise": (0.9, 0.9),
        "boundary": (0.95, 0.95),
        "validation": (0.95, 0.85),
    },
    # The sixteenth held-back set (measured blind: 0.89/0.85, 0.95/0.88, 0.90/0.54), then read.
    "en_tuning16": {
        "overpromise": (0.85, 0.85),
        "boundary": (0.9, 0.85),
        "validation": (0.95, 0.8),
    },
    # Set 21, written to be read (upset clients without feeling words; blind first run:
    # 0.79/0.74, 0.91/0.83, 0.77/0.65).
    "en_tuning21": {
        "overpromise": (0.85, 0.95),
        "boundary": (0.93, 0.95),
        "validation": (0.93, 0.95),
    },
    # Set 22, read (rarer professions, many registers; blind first run: 0.90/0.86, 0.98/0.91,
    # 0.84/0.96).
    "en_tuning22": {
        "overpromise": (0.9, 0.95),
        "boundary": (0.95, 0.95),
        "validation": (0.9, 0.95),
    },
    # Set 25, read (two thirds of upset clients acknowledged in paraphrase; blind first run:
    # 0.88/0.95, 0.97/0.90, 0.68/0.78).
    "en_tuning25": {
        "overpromise": (0.93, 0.93),
        "boundary": (0.95, 0.9),
        "validation": (0.93, 0.95),
    },
    # The eighteenth held-back set (measured blind: 0.91/0.83, 0.93/0.84, 0.90/0.69), then read.
    "en_tuning18": {
        "overpromise": (0.9, 0.9),
        "boundary": (0.9, 0.85),
        "validation": (0.95, 0.93),
    },
    # The seventeenth held-back set (measured blind: 0.88/0.88, 0.95/0.83, 0.85/0.55), then read.
    "en_tuning17": {
        "overpromise": (0.9, 0.85),
        "boundary": (0.9, 0.8),
        "validation": (0.9, 0.9),
    },
    # The fifteenth held-back set (measured blind: 0.90/0.79, 0.91/0.91, 0.87/0.63), then read.
    "en_tuning15": {
        "overpromise": (0.95, 0.95),
        "boundary": (0.93, 0.95),
        "validation": (0.95, 0.9),
    },
    # PT held-back set 3 (blind: 0.96/0.69, 0.94/0.81, 1.00/0.40), then read.
    "pt_tuning3": {"overpromise": (0.9, 0.9), "boundary": (0.9, 0.9), "validation": (0.95, 0.9)},
    # PT held-back set 4 (blind: 0.90/0.76, 0.77/0.97, 0.75/0.45), then read.
    "pt_tuning4": {
        "overpromise": (0.88, 0.88),
        "boundary": (0.95, 0.95),
        "validation": (0.95, 0.85),
    },
    # PT held-back set 5 (blind: 0.84/0.77, 0.88/0.85, 0.86/0.35), then read.
    "pt_tuning5": {
        "overpromise": (0.95, 0.88),
        "boundary": (0.93, 0.85),
        "validation": (0.95, 0.8),
    },
    # PT held-back set 6 (blind: 0.71/0.67, 0.90/0.84, 0.80/0.48), then read.
    "pt_tuning6": {
        "overpromise": (0.9, 0.9),
        "boundary": (0.85, 0.95),
        "validation": (0.95, 0.8),
    },
    # PT set 9, written to be read (mostly upset clients; blind first run: 0.80/0.94,
    # 0.85/0.90, 0.75/0.73).
    "pt_tuning9": {
        "overpromise": (0.85, 0.95),
        "boundary": (0.93, 0.9),
        "validation": (0.95, 0.93),
    },
    # PT set 10, written to be read (upset clients without feeling words; blind first run:
    # 0.85/0.92, 0.97/0.91, 0.85/0.83).
    "pt_tuning10": {
        "overpromise": (0.93, 0.95),
        "boundary": (0.93, 0.9),
        "validation": (0.95, 0.95),
    },
    # PT set 11, read (professions rare in the other sets; blind first run: 0.94/0.89,
    # 0.94/0.97, 0.93/0.75).
    "pt_tuning11": {
        "overpromise": (0.95, 0.9),
        "boundary": (0.95, 0.88),
        "validation": (0.95, 0.9),
    },
    # PT set 14, read (two thirds of upset clients acknowledged in paraphrase; blind first run:
    # 0.92/0.95, 0.94/0.79, 0.66/0.74).
    "pt_tuning14": {
        "overpromise": (0.93, 0.95),
        "boundary": (0.9, 0.9),
        "validation": (0.95, 0.85),
    },
    "dev_en": {"overpromise": (0.93, 0.95), "boundary": (0.95, 0.95), "validation": (0.93, 0.93)},
    "dev_pt": {"overpromise": (0.8, 0.75), "boundary": (0.8, 0.75), "validation": (0.8, 0.75)},
}
_DEV = SHARED / "corpus" / "dev_drafts.jsonl"


def _evaluate(lines: list[str], policies) -> Evaluation:  # type: ignore[no-untyped-def]
    return evaluate(read_corpus(io.StringIO("\n".join(lines))), policies)


def _lines(path: Path, lang: str | None = None) -> list[str]:
    rows = path.read_text(encoding="utf-8").splitlines()
    return [row for row in rows if row.strip() and (lang is None or f'"lang": "{lang}"' in row)]


def _assert_floors(result: Evaluation, name: str) -> None:
    assert not result.bad_lines
    for category, (precision, recall) in FLOORS[name].items():
        scores = result.categories[category].to_dict()
        assert scores["precision"] >= precision, f"{name} {category} precision {scores}"
        assert scores["recall"] >= recall, f"{name} {category} recall {scores}"
    assert result.categories["after_hours"].to_dict()["f1"] == 1.0


@pytest.mark.parametrize(
    "name",
    [
        "en_tuning",
        "pt_tuning",
        "en_validation_tuning",
        "en_validation_tuning2",
        "en_tuning3",
        "en_tuning4",
        "en_tuning5",
        "en_tuning6",
        "en_tuning7",
        "en_tuning8",
        "en_tuning9",
        "en_tuning11",
        "en_tuning12",
        "en_tuning13",
        "en_tuning14",
        "en_tuning15",
        "en_tuning16",
        "en_tuning17",
        "en_tuning18",
        "en_tuning21",
        "en_tuning22",
        "en_tuning25",
        "pt_tuning3",
        "pt_tuning4",
        "pt_tuning5",
        "pt_tuning6",
        "pt_tuning9",
        "pt_tuning10",
        "pt_tuning11",
        "pt_tuning14",
    ],
)
def test_tuning_sets_meet_their_floors(policies, name):
    lines = _lines(CORPUS_DIR / f"{name}.jsonl")
    result = _evaluate(lines, policies)
    assert result.cases == len(lines)
    _assert_floors(result, name)


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_dev_corpus_meets_its_floors(policies, lang):
    if not _DEV.exists():
        pytest.skip(f"the shared dev corpus is not at {_DEV}")
    _assert_floors(_evaluate(_lines(_DEV, lang), policies), f"dev_{lang}")


def test_tuning_sets_have_hard_negatives_in_every_category():
    for name in ("en_tuning", "pt_tuning"):
        rows = _lines(CORPUS_DIR / f"{name}.jsonl")
        clean = [
            row
            for row in rows
            if '"overpromise": false, "boundary": false, "missing_validation": false' in row
        ]
        assert len(clean) >= len(rows) // 4, name


def test_per_rule_precision_is_reported(policies):
    result = _evaluate(_lines(CORPUS_DIR / "en_tuning.jsonl"), policies)
    rules = result.to_dict(by_rule=True)["rules"]
    assert {
        "overpromise.guarantee",
        "boundary.always_available",
        "validation.acknowledge_first",
    } <= set(rules)
    for counts in rules.values():
        assert counts["tp"] + counts["fp"] >= 1
        assert 0.0 <= counts["precision"] <= 1.0
