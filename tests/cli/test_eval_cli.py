"""`nudge eval`: metrics per category, misses, malformed lines reported by number."""

from __future__ import annotations

import json

from tests.conftest import SHARED, need

CATEGORY_KEYS = {"tp", "fp", "fn", "tn", "precision", "recall", "f1"}


def case(
    i: int,
    draft: str,
    *,
    over=False,
    boundary=False,
    validation=False,
    late=False,
    client="Could you send the update?",
) -> str:
    return json.dumps(
        {
            "id": f"c{i}",
            "lang": "en",
            "domain": "test",
            "client_message": client,
            "draft": draft,
            "sent_at": "2026-03-04T22:00:00+00:00" if late else "2026-03-04T10:00:00+00:00",
            "labels": {"overpromise": over, "boundary": boundary, "missing_validation": validation},
            "after_hours": late,
            "rationale": "test",
        }
    )


def test_eval_json_shape_counts_and_misses(nudge, tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        "\n".join(
            [
                case(1, "I guarantee it ships Friday.", over=True),
                case(2, "I'll send the notes by 5pm today."),
                case(3, "Call me any time, day or night.", boundary=True, late=True),
                case(4, "Here are the numbers.", over=True),  # a miss: labelled but nothing to find
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = nudge("eval", str(corpus), "--format", "json", "--by-rule")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["cases"] == 4
    assert set(data["categories"]) == {"overpromise", "boundary", "validation", "after_hours"}
    assert all(set(v) == CATEGORY_KEYS for v in data["categories"].values())
    over = data["categories"]["overpromise"]
    assert (over["tp"], over["fp"], over["fn"], over["tn"]) == (1, 0, 1, 2)
    assert over["precision"] == 1.0 and over["recall"] == 0.5
    assert data["categories"]["after_hours"]["tp"] == 1
    assert {"id": "c4", "category": "overpromise", "expected": True, "got": False} in data["misses"]
    assert data["rules"]["overpromise.guarantee"]["tp"] == 1


def test_malformed_lines_are_reported_and_the_rest_evaluated(nudge, tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        "\n".join(
            [
                case(1, "I guarantee it.", over=True),
                "{not json",
                json.dumps({"id": "x"}),
                case(2, "Thanks, noted."),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = nudge("eval", str(corpus), "--format", "json")
    assert result.code == 0
    assert json.loads(result.out)["cases"] == 2
    assert "line 2: not JSON" in result.err
    assert "line 3: not a corpus case: missing key" in result.err


def test_eval_text_table(nudge, tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(case(1, "I guarantee it.", over=True) + "\n", encoding="utf-8")
    result = nudge("eval", str(corpus), "--by-rule")
    assert "precision" in result.out and "overpromise.guarantee" in result.out


def test_eval_unreadable_corpus_is_exit_2(nudge, tmp_path):
    assert nudge("eval", str(tmp_path / "missing.jsonl")).code == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"\xff\xfe\n")
    result = nudge("eval", str(bad))
    assert result.code == 2 and "UTF-8" in result.err


def test_eval_on_the_dev_corpus_runs_every_case(nudge):
    corpus = SHARED / "corpus" / "dev_drafts.jsonl"
    need(corpus.exists(), f"the shared dev corpus is not at {corpus}")
    result = nudge("eval", str(corpus), "--format", "json")
    data = json.loads(result.out)
    assert data["cases"] == 100 and result.err == ""
    assert data["categories"]["after_hours"]["f1"] == 1.0
