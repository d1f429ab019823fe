"""Block Kit rendering as pure functions: limits respected, text escaped, values round-trip."""

from __future__ import annotations

import json

import pytest

from bots.engine import ClientMood, Finding, PolicyRef, Report
from bots.slack.blocks import report_blocks, summary, why_blocks
from bots.slack.payloads import (
    draft_value,
    feedback_value,
    from_command,
    from_view,
    read_draft_value,
    read_feedback_value,
)
from bots.slack.text import BUTTON_VALUE, SECTION_TEXT, escape, split
from bots.slack.views import check_modal
from tests.slack.fake_slack import fixture


def finding(i: int, excerpt: str = "guarantee") -> Finding:
    return Finding(
        f"rule.{i}", "overpromise", "warning", 0, 9, excerpt, f"message {i}", "why " * 400
    )


def report(n: int, rewrite: str | None = "Fine.", excerpt: str = "guarantee") -> Report:
    return Report(
        tuple(finding(i, excerpt) for i in range(n)),
        rewrite,
        False,
        ClientMood("angry", "Reads as angry."),
        PolicyRef("default", "1.0.0+abc"),
    )


def all_text_objects(blocks: list[dict]) -> list[dict]:
    found: list[dict] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text"):
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return found


def test_escape_follows_slack_rules() -> None:
    assert escape("a & <!channel> > b") == "a &amp; &lt;!channel&gt; &gt; b"


def test_split_keeps_every_character() -> None:
    text = ("line\n" * 2000) + "x" * 5000
    pieces = split(text, 1000)
    assert all(len(p) <= 1000 for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")


def test_many_findings_stay_within_fifty_blocks_with_a_note() -> None:
    blocks = report_blocks(report(80), "draft")
    assert len(blocks) == 50
    assert "more finding(s) not shown" in json.dumps(blocks)
    assert blocks[-1]["type"] == "context" and blocks[-2]["type"] == "actions"


def test_long_texts_are_cut_to_the_section_limit() -> None:
    blocks = report_blocks(report(3, rewrite="word " * 3000, excerpt="x" * 5000), "d")
    for obj in all_text_objects(blocks):
        assert len(obj["text"]) <= SECTION_TEXT
    rewrite = [
        b["text"]["text"] for b in blocks if b.get("text", {}).get("text", "").startswith("```")
    ]
    assert len(rewrite) >= 5  # split, not dropped
    assert all(len(b["text"]["text"]) <= SECTION_TEXT for b in blocks if b["type"] == "section")
    assert len(why_blocks(report(200))) <= 50


def test_modal_respects_view_limits() -> None:
    view = check_modal("d" * 10_000, "c" * 5000, channel_id="C1", report=report(150))
    assert len(view["blocks"]) <= 100
    assert len(view["title"]["text"]) <= 24 and len(view["submit"]["text"]) <= 24
    inputs = [b["element"] for b in view["blocks"] if b["type"] == "input"]
    assert all(len(e.get("initial_value", "")) <= 3000 for e in inputs)
    assert "Long text was cut" in json.dumps(view)
    assert "Long text was cut" in json.dumps(check_modal("short", cut=True))
    assert "Long text was cut" not in json.dumps(check_modal("short"))
    assert all(len(o["text"]) <= 3000 for o in all_text_objects(view["blocks"]))


@pytest.mark.parametrize("client", [None, "they are upset"])
def test_draft_value_round_trips_within_the_button_limit(client: str | None) -> None:
    assert read_draft_value(draft_value("short draft", client)) == ("short draft", client, False)
    long = draft_value("é" * 5000, client)
    assert len(long) <= BUTTON_VALUE
    text, _, cut = read_draft_value(long)
    assert cut and text and "é" * 100 in text


def test_feedback_value_round_trips() -> None:
    assert read_feedback_value(feedback_value("a.b", "1+x")) == ("a.b", "1+x")
    with pytest.raises(ValueError):
        read_feedback_value('["no"]')


def test_summary_counts_and_mood() -> None:
    assert summary(report(0)) == "Nothing to nudge: this reply reads well."
    assert (
        summary(report(2))
        == "Nudge found 2 things to look at: 2 warnings. The client sounds angry."
    )


def test_recorded_payloads_translate() -> None:
    command = from_command(fixture("slash_command") | {"text": "hello"})
    assert (command.text, command.user_id, command.team_id, command.channel_id) == (
        "hello",
        "U0000000001",
        "T0000000001",
        "C0000000001",
    )
    view = from_view(fixture("view_submission"))  # someone else's modal: no draft fields
    assert view.text == "" and view.client_message is None and view.user_id == "U0000000001"
