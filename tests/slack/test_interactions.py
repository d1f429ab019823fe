"""Buttons, the modal round trip and the shortcuts, replayed from recorded payloads."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bots.slack.payloads import draft_value, feedback_value
from bots.store.db import Database
from bots.store.models import RuleFeedback
from tests.slack.conftest import Slack
from tests.slack.fake_slack import fixture
from tests.slack.test_command import RISKY

CLIENT = "This is ridiculous, I'm furious that it's late again."


def button(slack: Slack, action_id: str, value: str) -> dict[str, Any]:
    """The recorded block_actions payload, clicking one of our buttons."""
    payload = fixture("block_actions_button")
    payload["actions"][0] |= {"action_id": action_id, "value": value}
    payload["response_url"] = slack.fake.response_url("action")
    return payload


def submission(draft: str, client: str | None) -> dict[str, Any]:
    """The recorded view_submission, as if our modal had been filled in."""
    payload = fixture("view_submission")
    payload["view"] |= {
        "callback_id": "nudge_check",
        "private_metadata": json.dumps({"ch": "C0000000002"}),
        "state": {
            "values": {
                "draft": {"text": {"type": "plain_text_input", "value": draft}},
                "client": {"text": {"type": "plain_text_input", "value": client}},
            }
        },
    }
    return payload


def input_values(view: dict[str, Any]) -> dict[str, str | None]:
    return {
        b["block_id"]: b["element"].get("initial_value")
        for b in view["blocks"]
        if b["type"] == "input"
    }


async def test_edit_opens_the_modal_prefilled(slack: Slack) -> None:
    resp = await slack.interact(button(slack, "nudge_edit", draft_value(RISKY, CLIENT)))
    assert resp.status == 200
    (call,) = await slack.fake.wait("views.open")
    assert call.params["trigger_id"] == fixture("block_actions_button")["trigger_id"]
    assert input_values(call.params["view"]) == {"draft": RISKY, "client": CLIENT}


async def test_why_sends_the_reasons_in_full(slack: Slack) -> None:
    await slack.interact(button(slack, "nudge_why", draft_value(RISKY, None)))
    (call,) = await slack.fake.wait("response_url")
    assert call.path.endswith("/action")
    assert call.params["replace_original"] is False and call.params["response_type"] == "ephemeral"
    text = json.dumps(call.params["blocks"], ensure_ascii=False)
    assert "Guarantees feel reassuring today" in text  # the rule's `why`, in full
    assert "Unlimited availability trains clients" in text


async def test_not_applicable_records_feedback(slack: Slack, tmp_path) -> None:  # type: ignore[no-untyped-def]
    value = feedback_value("overpromise.guarantee", "1.0.0+abc")
    assert (await slack.interact(button(slack, "nudge_not_applicable", value))).status == 200
    (call,) = await slack.fake.wait("response_url")
    assert "overpromise.guarantee" in call.params["text"]
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'nudge.sqlite3'}")
    async with db.session() as session:
        rows = (await session.execute(select(RuleFeedback))).scalars().all()
    await db.dispose()
    assert [(r.platform, r.user_id, r.rule_id, r.signal, r.policy_version) for r in rows] == [
        ("slack", "U0000000001", "overpromise.guarantee", "not_applicable", "1.0.0+abc")
    ]


async def test_modal_submission_rechecks_inside_the_modal(slack: Slack) -> None:
    resp = await slack.interact(submission(RISKY, CLIENT))
    assert resp.status == 200
    answer = json.loads(await resp.text())
    assert answer["response_action"] == "update"
    view = answer["view"]
    assert input_values(view) == {"draft": RISKY, "client": CLIENT}
    rendered = json.dumps(view["blocks"], ensure_ascii=False)
    assert "validation.acknowledge_first" in rendered  # the client's anger was taken into account
    assert "The client sounds angry" in rendered
    assert json.loads(view["private_metadata"]) == {"ch": "C0000000002"}


async def test_modal_submission_of_an_empty_draft_shows_an_input_error(slack: Slack) -> None:
    answer = json.loads(await (await slack.interact(submission("   ", None))).text())
    assert answer["response_action"] == "errors" and "empty" in answer["errors"]["draft"]


async def test_message_shortcut_opens_the_modal_with_the_client_message(slack: Slack) -> None:
    payload = fixture("message_shortcut") | {"callback_id": "nudge_check_reply"}
    payload["response_url"] = slack.fake.response_url("shortcut")
    payload["message"]["text"] = CLIENT
    assert (await slack.interact(payload)).status == 200
    (call,) = await slack.fake.wait("views.open")
    assert input_values(call.params["view"]) == {"draft": None, "client": CLIENT}
    assert json.loads(call.params["view"]["private_metadata"]) == {"ch": "C0000000002"}


async def test_global_shortcut_opens_an_empty_modal(slack: Slack) -> None:
    payload = fixture("global_shortcut") | {"callback_id": "nudge_check_draft"}
    assert (await slack.interact(payload)).status == 200
    (call,) = await slack.fake.wait("views.open")
    assert call.params["trigger_id"] == payload["trigger_id"]
    assert call.params["view"]["callback_id"] == "nudge_check"


async def test_not_applicable_inside_the_modal_updates_the_modal(slack: Slack) -> None:
    checked = json.loads(await (await slack.interact(submission(RISKY, None))).text())["view"]
    button_block = next(b for b in checked["blocks"] if "accessory" in b)
    value = button_block["accessory"]["value"]
    payload = fixture("block_actions_button")
    payload.pop("response_url")
    payload.pop("message")
    payload["container"] = {"type": "view", "view_id": "V0000000001"}
    payload["view"] = checked | {"id": "V0000000001", "hash": "1615311191.RKSmr8cX", "state": {}}
    payload["actions"][0] |= {"action_id": "nudge_not_applicable", "value": value}
    assert (await slack.interact(payload)).status == 200
    (call,) = await slack.fake.wait("views.update")
    assert call.params["view_id"] == "V0000000001" and call.params["hash"] == "1615311191.RKSmr8cX"
    updated = call.params["view"]
    assert "id" not in updated and "state" not in updated
    marked = [
        b for b in updated["blocks"] if "Marked not applicable" in b.get("text", {}).get("text", "")
    ]
    assert len(marked) == 1 and "accessory" not in marked[0]
    assert len(updated["blocks"]) == len(checked["blocks"])
    assert slack.fake.of("response_url") == []
