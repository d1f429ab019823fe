"""The "Check draft" message extension over real HTTP, read as Teams reads it: the HTTP body."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter
from sqlalchemy import select

from bots.store.db import Database
from bots.store.models import RuleFeedback
from bots.teams import TEAMS
from tests.teams.conftest import TeamsServer, fixture, start

DRAFT = "I guarantee it ships Friday. Call me any time, even at midnight."
CLIENT = "This is the third time you have missed the date. I am furious."


def submit(teams: TeamsServer, data: dict[str, Any], context: str = "compose") -> dict[str, Any]:
    """A full submitAction: the docs' shortened example inside the compose fetchTask envelope."""
    activity = teams.activity("invoke_fetchtask_compose")
    value = fixture("invoke_submitaction")["value"]
    value.update(commandId="checkDraft", commandContext=context, data=data)
    activity.update(name="composeExtension/submitAction", value=value)
    return activity


def dialog_card(body: dict[str, Any]) -> dict[str, Any]:
    task = body["task"]
    assert task["type"] == "continue"
    card = task["value"]["card"]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    return card["content"]


def actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(card.get("actions", []))
    for element in card["body"]:
        for item in element.get("items", []):
            found += item.get("actions", [])
    return found


async def test_fetch_task_from_compose_answers_with_the_form(teams: TeamsServer) -> None:
    status, body = await teams.post(teams.activity("invoke_fetchtask_compose"))
    assert status == 200
    card = dialog_card(body)
    inputs = {e["id"]: e for e in card["body"] if e["type"] == "Input.Text"}
    assert set(inputs) == {"client_message", "draft"}
    assert inputs["client_message"]["value"] == ""
    assert card["actions"][0]["data"] == {"nudge": "check"}
    assert teams.connector.received == []  # an invoke is answered in the HTTP body, not by a post


async def test_fetch_task_from_a_message_prefills_the_client_message(teams: TeamsServer) -> None:
    activity = fixture("invoke_fetchtask_message")
    envelope = teams.activity("invoke_fetchtask_compose")
    # The docs' message-context example has no envelope; take it from the compose example.
    activity.update({k: envelope[k] for k in ("channelId", "serviceUrl", "recipient", "timestamp")})
    status, body = await teams.post(activity)
    assert status == 200
    inputs = {e["id"]: e for e in dialog_card(body)["body"] if e["type"] == "Input.Text"}
    assert inputs["client_message"]["value"] == "- Hi"  # the <at> mention of the webhook is dropped
    assert inputs["draft"]["value"] == ""


async def test_stock_cloud_adapter_turns_every_extension_invoke_into_a_500(
    teams: TeamsServer,
) -> None:
    """The known botbuilder 4.17.1 + msrest 0.7.1 bug that NudgeCloudAdapter works around."""
    assert teams.app is not None
    running = teams.app[TEAMS]
    stock = CloudAdapter(running.adapter.bot_framework_authentication)

    async def messages(request: web.Request) -> web.Response:
        try:
            return await stock.process(request, running.bot)
        except AttributeError as exc:  # aiohttp would answer this with a bare 500
            return web.json_response({"error": str(exc)}, status=500)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    runner, url = await start(app)
    try:
        plain = TeamsServer(url, teams.connector, teams.db_url, teams.session)
        status, body = await plain.post(teams.activity("invoke_fetchtask_compose"))
    finally:
        await runner.cleanup()
    assert status == 500
    assert "is_xml_model" in body["error"]
    status, body = await teams.post(teams.activity("invoke_fetchtask_compose"))
    assert status == 200 and body["task"]["type"] == "continue"


async def test_submit_shows_findings_reasons_and_rewrite_in_the_dialog(teams: TeamsServer) -> None:
    status, body = await teams.post(
        submit(teams, {"nudge": "check", "draft": DRAFT, "client_message": CLIENT})
    )
    assert status == 200
    card = dialog_card(body)
    findings = [e for e in card["body"] if str(e.get("id", "")).startswith("finding-")]
    assert findings, "the overpromise should be flagged"
    texts = [item.get("text", "") for f in findings for item in f["items"]]
    assert any(t.startswith("Why: ") for t in texts)
    rewrite = next(e for e in card["body"] if e.get("id") == "rewrite")
    assert "guarantee" not in rewrite["text"].lower()
    titles = [a["title"] for a in actions(card)]
    assert "Insert rewrite" in titles and "Edit again" in titles
    assert titles.count("Not applicable") == len(findings)
    insert = next(a for a in card["actions"] if a["title"] == "Insert rewrite")
    assert insert["data"]["draft"] == DRAFT and insert["data"]["client_message"] == CLIENT


async def test_insert_puts_the_rewrite_into_the_compose_box(
    teams: TeamsServer, db: Database
) -> None:
    _, body = await teams.post(
        submit(teams, {"nudge": "check", "draft": DRAFT, "client_message": CLIENT})
    )
    card = dialog_card(body)
    insert = next(a for a in card["actions"] if a["title"] == "Insert rewrite")
    rewrite = next(e for e in card["body"] if e.get("id") == "rewrite")["text"]
    status, body = await teams.post(submit(teams, insert["data"]))
    assert status == 200
    result = body["composeExtension"]
    assert result["type"] == "result" and result["attachmentLayout"] == "list"
    [attachment] = result["attachments"]
    assert attachment["content"]["body"][0]["text"] == rewrite
    async with db.session() as session:
        signals = (await session.scalars(select(RuleFeedback.signal))).all()
    assert signals and set(signals) == {"used_rewrite"}


async def test_edit_again_reopens_the_form_with_both_texts(teams: TeamsServer) -> None:
    status, body = await teams.post(
        submit(
            teams,
            {"nudge": "edit", "draft": DRAFT, "client_message": CLIENT, "policy_version": "x"},
        )
    )
    assert status == 200
    inputs = {e["id"]: e["value"] for e in dialog_card(body)["body"] if e["type"] == "Input.Text"}
    assert inputs == {"draft": DRAFT, "client_message": CLIENT}


async def test_not_applicable_records_feedback_for_that_rule(
    teams: TeamsServer, db: Database
) -> None:
    _, body = await teams.post(
        submit(teams, {"nudge": "check", "draft": DRAFT, "client_message": CLIENT})
    )
    button = next(a for a in actions(dialog_card(body)) if a["title"] == "Not applicable")
    rule = button["data"]["rule"]
    status, body = await teams.post(submit(teams, button["data"]))
    assert status == 200
    card = dialog_card(body)
    finding = next(e for e in card["body"] if e.get("id") == f"finding-{rule}")
    assert not any(item["type"] == "ActionSet" for item in finding["items"])
    async with db.session() as session:
        rows = (await session.scalars(select(RuleFeedback))).all()
    assert [(r.platform, r.rule_id, r.signal) for r in rows] == [("teams", rule, "not_applicable")]
    assert rows[0].user_id == "00000000-0000-0000-0000-000000000015"  # the sender's aadObjectId


async def test_an_empty_draft_reopens_the_form_with_the_reason(teams: TeamsServer) -> None:
    status, body = await teams.post(
        submit(teams, {"nudge": "check", "draft": "   ", "client_message": CLIENT})
    )
    assert status == 200
    card = dialog_card(body)
    assert card["body"][-1]["color"] == "Attention"


async def test_the_dialog_speaks_the_users_language(teams: TeamsServer) -> None:
    status, body = await teams.post(teams.activity("invoke_fetchtask_compose", locale="pt-BR"))
    assert status == 200
    assert body["task"]["value"]["title"] == "Nudge: revisar rascunho"
    assert dialog_card(body)["actions"][0]["title"] == "Revisar"
