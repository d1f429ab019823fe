"""`nudge check`: the JSON contract of DESIGN.md, exit codes like a linter, clear errors."""

from __future__ import annotations

import json

import pytest

FINDING_KEYS = {
    "rule",
    "category",
    "severity",
    "start",
    "end",
    "excerpt",
    "message",
    "why",
    "suggestion",
}
AT_WORK = "2026-03-04T10:00:00-05:00"


def test_json_shape_and_exit_1_on_findings(nudge):
    draft = "Hi Lee,\nI guarantee the fix ships tomorrow. Call me any time.\nThanks, Ana"
    result = nudge(
        "check",
        "-",
        "--at",
        AT_WORK,
        "--format",
        "json",
        "--client-message",
        "We're furious, this is the second outage.",
        stdin=draft,
    )
    assert result.code == 1, result.err
    report = json.loads(result.out)
    assert set(report) == {"findings", "rewrite", "after_hours", "client", "policy"}
    assert report["findings"] and all(set(f) == FINDING_KEYS for f in report["findings"])
    for f in report["findings"]:
        assert draft[f["start"] : f["end"]] == f["excerpt"]
    assert {f["category"] for f in report["findings"]} >= {"overpromise", "boundary", "validation"}
    assert isinstance(report["rewrite"], str) and "Thanks, Ana" in report["rewrite"]
    assert report["after_hours"] is False
    assert report["client"]["mood"] == "angry"
    assert set(report["policy"]) == {"name", "version"}


def test_exit_0_and_null_rewrite_when_clean(nudge):
    result = nudge(
        "check", "--at", AT_WORK, "--format", "json", stdin="I'll send the minutes by 5pm today."
    )
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["findings"] == [] and report["rewrite"] is None


def test_after_hours_is_judged_in_the_offset_of_at(nudge):
    result = nudge(
        "check", "--at", "2026-03-04T22:10:00-05:00", "--format", "json", stdin="Noted, thanks."
    )
    report = json.loads(result.out)
    assert report["after_hours"] is True
    assert [f["rule"] for f in report["findings"]] == ["after_hours.sending_late"]


def test_client_message_from_file(nudge, tmp_path):
    client = tmp_path / "client.txt"
    client.write_text("I'm really worried about the filing deadline.", encoding="utf-8")
    result = nudge(
        "check",
        "--at",
        AT_WORK,
        "--format",
        "json",
        "--client-message",
        f"@{client}",
        stdin="The filing goes out Thursday.",
    )
    assert json.loads(result.out)["client"]["mood"] == "anxious"
    assert result.code == 1


def test_text_format_reads_like_a_linter(nudge):
    result = nudge("check", "--at", AT_WORK, stdin="Line one.\nI guarantee it.")
    assert result.code == 1
    assert "2:3" in result.out and "overpromise.guarantee" in result.out and "why:" in result.out
    assert "suggested rewrite" in result.out


@pytest.mark.parametrize(
    ("stdin", "args", "needle"),
    [
        (b"", (), "empty"),
        (b"\xff\xfe not utf8", (), "not valid UTF-8"),
        (b"hello\x00there", (), "NUL"),
        (b"x" * 20_001, (), "limit is 20,000"),
        (b"fine", ("--at", "yesterday"), "ISO-8601"),
        (b"fine", ("--policy", "/nonexistent"), "policy directory not found"),
    ],
)
def test_bad_input_exit_2_with_a_message_and_no_traceback(nudge, stdin, args, needle):
    result = nudge("check", "-", *args, stdin=stdin)
    assert result.code == 2
    assert needle in result.err
    assert "Traceback" not in result.err and result.out == ""


def test_missing_file_is_a_usage_error(nudge, tmp_path):
    result = nudge("check", str(tmp_path / "nope.txt"))
    assert result.code == 2 and "not found" in result.err


def test_no_command_prints_help_and_exits_2(nudge):
    result = nudge()
    assert result.code == 2 and "check" in result.err


def test_explain_shows_every_rule_and_what_suppressed_a_match(nudge):
    result = nudge(
        "policy",
        "explain",
        "--at",
        AT_WORK,
        "--format",
        "json",
        "--client-message",
        "Could you confirm the date?",
        stdin="I can't guarantee Friday, but I'll update you at noon.",
    )
    data = json.loads(result.out)
    assert result.code == 0
    rules_seen = {e["rule"] for e in data["events"]}
    assert "overpromise.guarantee" in rules_seen and "validation.acknowledge_first" in rules_seen
    suppressed = [e for e in data["events"] if e["what"] == "suppressed"]
    assert any(
        "negated" in e["detail"] and e["rule"] == "overpromise.guarantee" for e in suppressed
    )
    skipped = [e for e in data["events"] if e["rule"] == "validation.acknowledge_first"]
    assert skipped[0]["what"] == "skipped" and "calm" in skipped[0]["detail"]


def test_explain_text_output(nudge):
    result = nudge("policy", "explain", "--at", AT_WORK, stdin="Call me any time.")
    assert result.code == 1
    assert "boundary.always_available" in result.out and "matched" in result.out
    assert "client mood: calm" in result.out
