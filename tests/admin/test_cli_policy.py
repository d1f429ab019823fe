"""`nudge policy show` and `nudge policy diff` as an admin runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bots.cli import main as nudge

LABELS_NONE = {"overpromise": False, "boundary": False, "missing_validation": False}
LABELS_OVER = {"overpromise": True, "boundary": False, "missing_validation": False}


def case(id_: str, draft: str, labels: dict[str, bool] | None) -> str:
    row: dict[str, object] = {"id": id_, "lang": "en", "draft": draft, "client_message": None,
                              "sent_at": "2026-01-07T10:00:00+00:00"}  # fmt: skip
    if labels is not None:
        row.update(labels=labels, after_hours=False)
    return json.dumps(row)


def test_show_prints_the_effective_policy_and_where_each_piece_came_from(capsys):
    assert nudge(["policy", "show", "--team", "T0LEGAL"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("policy legal ")
    assert "default → legal" in out
    assert "Mon–Fri 08:30–19:00" in out and "teams/legal.yaml]" in out.splitlines()[1]
    guarantee = out[out.index("overpromise.guarantee") :].splitlines()
    assert guarantee[0].startswith("overpromise.guarantee") and "error" in guarantee[0]
    assert "default.yaml]" in guarantee[0]
    assert guarantee[1].strip().startswith("severity = error") and "legal.yaml]" in guarantee[1]
    assert any("- “full stop”" in line for line in guarantee[:6])


def test_show_json_names_the_file_behind_every_override(capsys):
    assert nudge(["policy", "show", "--team", "T0LEGAL", "--format", "json"]) == 0
    view = json.loads(capsys.readouterr().out)
    assert view["chain"] == ["default", "legal"]
    rules = {r["id"]: r for r in view["rules"]}
    guarantee = rules["overpromise.guarantee"]
    assert guarantee["from"].endswith("policies/default.yaml")
    assert guarantee["severity"]["from"].endswith("teams/legal.yaml")
    assert guarantee["enabled"]["from"].endswith("policies/default.yaml")
    added = {p["phrase"]: p["from"] for p in guarantee["phrases"]}
    assert added["open and shut"].endswith("legal.yaml") and added["guarantee"].endswith(
        "default.yaml"
    )
    assert rules["overpromise.court_outcome"]["mode"]["value"] == "shadow"
    assert nudge(["policy", "show", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["policy"] == "default"


def test_diff_lists_drafts_per_rule_and_the_change_in_precision_and_recall(
    tmp_path, policy_dir, capsys
):
    new = tmp_path / "new"
    shutil.copytree(policy_dir, new)
    default = new / "default.yaml"
    text = default.read_text(encoding="utf-8")
    default.write_text(text.replace('      - "you have my word"\n', "", 1), encoding="utf-8")
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join([
        case("word", "You have my word on this.", LABELS_OVER),
        case("plain", "Thanks, I'll send the minutes by 5pm today.", LABELS_NONE),
        case("unlabelled", "You have my word, it'll be fine.", None),
        "{not json",
    ]) + "\n", encoding="utf-8")  # fmt: skip
    code = nudge(
        ["policy", "diff", str(policy_dir), str(new), "--corpus", str(corpus), "--format", "json"]
    )
    captured = capsys.readouterr()
    assert code == 1, captured.err
    result = json.loads(captured.out)
    assert result["cases"] == 3 and result["labelled"] == 2
    assert result["rules"] == {
        "overpromise.guarantee": {"appeared": [], "disappeared": ["word", "unlabelled"]}
    }
    recall = result["metrics"]["overpromise"]["recall"]
    assert (recall["old"], recall["new"], recall["change"]) == (1.0, 0.0, -1.0)
    assert "line 4" in captured.err
    assert nudge(["policy", "diff", str(policy_dir), str(new), "--corpus", str(corpus)]) == 1
    out = capsys.readouterr().out
    assert "overpromise.guarantee: +0 -2" in out and "no longer:   word, unlabelled" in out
    assert "overpromise    1.00 → 1.00 (+0.00)    1.00 → 0.00 (-1.00)" in out


def test_diff_of_identical_folders_changes_nothing(tmp_path, policy_dir, capsys):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(case("a", "I guarantee it.", LABELS_OVER) + "\n", encoding="utf-8")
    assert nudge(["policy", "diff", str(policy_dir), str(policy_dir), "--corpus", str(corpus)]) == 0
    assert "no rule flags a different set of drafts" in capsys.readouterr().out


def test_diff_reports_a_broken_new_policy_like_validate(tmp_path, policy_dir, capsys):
    new = tmp_path / "new"
    shutil.copytree(policy_dir, new)
    (new / "teams" / "legal.yaml").write_text(
        "schema: 1\nname: legal\nversion: '2'\nextends: defualt\n"
    )
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(case("a", "I guarantee it.", LABELS_OVER) + "\n", encoding="utf-8")
    assert nudge(["policy", "diff", str(policy_dir), str(new), "--corpus", str(corpus)]) == 2
    assert "no policy is named 'defualt'" in capsys.readouterr().err


def test_diff_of_a_missing_corpus_is_a_usage_error(policy_dir, capsys):
    assert (
        nudge(["policy", "diff", str(policy_dir), str(policy_dir), "--corpus", "/nonexistent"]) == 2
    )
    assert "cannot read corpus" in capsys.readouterr().err


def test_policy_files_in_subfolders_are_found(policy_dir: Path):
    from bots.engine.policy.registry import policy_files

    names = [p.relative_to(policy_dir).as_posix() for p in policy_files(policy_dir)]
    assert "default.yaml" in names and "teams/legal.yaml" in names


def test_policy_test_says_where_the_failing_example_is_and_what_to_change(policy_dir, capsys):
    default = policy_dir / "default.yaml"
    lines = default.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [line for line in lines if line != '      - "you have my word"\n']
    default.write_text("".join(lines), encoding="utf-8")
    example_line = next(
        n for n, line in enumerate(lines, 1) if "You have my word that the shipment" in line
    )
    assert nudge(["policy", "test", "--policy", str(policy_dir)]) == 1
    out = capsys.readouterr().out
    assert f"FAIL default overpromise.guarantee flag[1]  at {default}:{example_line}" in out
    assert "fix:      no phrase or pattern of this rule matched" in out
    assert "FAIL legal overpromise.guarantee flag[1]" in out and "inherited from" in out
    assert nudge(["policy", "test", "--policy", str(policy_dir), "--format", "json"]) == 1
    failures = json.loads(capsys.readouterr().out)["failures"]
    assert {(f["policy"], f["line"]) for f in failures} == {
        ("default", example_line),
        ("legal", example_line),
    }
