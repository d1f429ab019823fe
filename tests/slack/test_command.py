"""/nudge over real HTTP: the acknowledgement carries the report; Slack calls go to the fake."""

from __future__ import annotations

import json

from tests.slack.conftest import Slack

RISKY = (
    "I guarantee it will be done by tomorrow, no problem at all. "
    "I'm always available, even weekends."
)
FINE = "Thanks for flagging this. I'll look into it and send you an update by Friday at 12:00."


def texts(blocks: list[dict]) -> str:
    """All the text of a list of blocks, to search in."""
    return json.dumps(blocks, ensure_ascii=False)


async def test_command_with_findings_answers_an_ephemeral_report(slack: Slack) -> None:
    resp = await slack.command(RISKY)
    assert resp.status == 200
    body = json.loads(await resp.text())
    assert body["response_type"] == "ephemeral"
    assert body["text"].startswith("Nudge found")
    blocks = body["blocks"]
    rendered = texts(blocks)
    assert "overpromise.guarantee" in rendered and "boundary.always_available" in rendered
    assert "&gt;guarantee" not in rendered  # the excerpt is quoted with mrkdwn's > not escaped
    assert any(b["type"] == "section" and b["text"]["text"].startswith("```") for b in blocks)
    actions = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert actions == ["nudge_edit", "nudge_why"]
    na = [
        b["accessory"]
        for b in blocks
        if b.get("accessory", {}).get("action_id") == "nudge_not_applicable"
    ]
    assert len(na) == 2
    # users.info was asked, with the locale, for the person who ran the command
    info = slack.fake.of("users.info")
    assert (
        info
        and info[0].params["user"] == "U0000000001"
        and info[0].params["include_locale"] in ("1", "true")
    )


async def test_command_with_nothing_to_nudge(slack: Slack) -> None:
    body = json.loads(await (await slack.command(FINE)).text())
    assert body["text"] == "Nothing to nudge: this reply reads well."
    assert not [b for b in body["blocks"] if "accessory" in b]
    actions = [
        e["action_id"] for b in body["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert actions == ["nudge_edit"]


async def test_users_timezone_decides_after_hours(slack: Slack) -> None:
    # 18:00 UTC is 10:00 in Los Angeles (the user's zone from users.info): not after hours.
    body = json.loads(await (await slack.command(FINE)).text())
    assert "after_hours" not in texts(body["blocks"])


async def test_hidden_timezone_falls_back_to_the_policy_zone(slack: Slack) -> None:
    from tests.slack.fake_slack import fixture

    slack.fake.script("users.info", fixture("api_users_info_stranger"), always=True)
    body = json.loads(await (await slack.command(FINE)).text())
    # 18:00 in London (the policy's zone) is outside 09:00–18:00.
    assert "after_hours.sending_late" in texts(body["blocks"])


async def test_users_info_is_cached(slack: Slack) -> None:
    await slack.command(FINE)
    await slack.command(RISKY)
    assert len(slack.fake.of("users.info")) == 1


async def test_help_and_hours(slack: Slack) -> None:
    help_body = json.loads(await (await slack.command("help")).text())
    assert "/nudge" in help_body["text"] and help_body["response_type"] == "ephemeral"
    hours = json.loads(await (await slack.command("hours")).text())
    assert "Mon–Fri 09:00–18:00" in hours["text"]
    assert "America/Los_Angeles" in hours["text"] and "Wed 10:00" in hours["text"]


async def test_empty_command_opens_the_modal(slack: Slack) -> None:
    resp = await slack.command("")
    assert resp.status == 200
    (call,) = await slack.fake.wait("views.open")
    assert call.params["trigger_id"].startswith("0000000000000.")
    view = call.params["view"]
    assert view["callback_id"] == "nudge_check" and view["type"] == "modal"
    assert call.headers["Authorization"] == "Bearer xoxb-0000-test"


async def test_too_long_draft_gets_a_clear_answer(slack: Slack) -> None:
    body = json.loads(await (await slack.command("word " * 5000)).text())
    assert body["text"].startswith("Nudge can't check that:") and "limit" in body["text"]
