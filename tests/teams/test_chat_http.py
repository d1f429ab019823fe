"""Chat over real HTTP: the CloudAdapter in the real server, replies to a fake Bot Connector."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import aiohttp
from sqlalchemy import select

from bots.store.db import Database
from bots.store.models import ConversationRef, RuleFeedback
from tests.conftest import POLICIES
from tests.teams.conftest import (
    FakeConnector,
    TeamsServer,
    make_settings,
    run_server,
    serve_teams,
)

OVERPROMISE = "I guarantee it ships Friday. Call me any time, even at midnight."


def card_of(reply: dict) -> dict:
    [attachment] = reply["body"]["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    return attachment["content"]


def finding_ids(card: dict) -> list[str]:
    return [e["id"] for e in card["body"] if str(e.get("id", "")).startswith("finding-")]


async def test_check_in_personal_chat_answers_with_a_result_card(teams: TeamsServer) -> None:
    activity = teams.activity("message_personal", text=f"check {OVERPROMISE}")
    status, _ = await teams.post(activity)
    assert status == 201
    [reply] = teams.connector.received
    assert reply["conversation"] == activity["conversation"]["id"]
    card = card_of(reply)
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert finding_ids(card)
    assert any(e.get("id") == "rewrite" for e in card["body"])
    assert reply["body"]["replyToId"] == activity["id"]
    assert reply["body"]["conversation"]["id"] == activity["conversation"]["id"]


async def test_a_pasted_draft_is_checked_without_the_command_word(teams: TeamsServer) -> None:
    await teams.post(teams.activity("message_personal", text=OVERPROMISE))
    [reply] = teams.connector.received
    assert finding_ids(card_of(reply))


async def test_mention_in_a_channel_is_stripped_and_the_draft_checked(teams: TeamsServer) -> None:
    activity = teams.activity(
        "message_channel_mention", text=f"<at>ridotest</at> check {OVERPROMISE}"
    )
    status, _ = await teams.post(activity)
    assert status == 201
    [reply] = teams.connector.received
    # A thread reply: the conversation id carries ;messageid=, and the reply goes to that thread.
    assert reply["conversation"] == activity["conversation"]["id"]
    assert reply["reply_to"] == activity["id"]
    card = card_of(reply)
    assert finding_ids(card)
    assert not any("ridotest" in e.get("text", "") for e in card["body"])


async def test_a_channel_message_without_a_mention_gets_no_answer(teams: TeamsServer) -> None:
    activity = teams.activity("message_channel_mention", text=OVERPROMISE, entities=[])
    status, _ = await teams.post(activity)
    assert status == 201
    assert teams.connector.received == []


async def test_help_and_hours(teams: TeamsServer) -> None:
    await teams.post(teams.activity("message_personal", text="help"))
    await teams.post(teams.activity("message_personal", text="hours"))
    help_card, hours_card = (card_of(r) for r in teams.connector.received)
    assert help_card["body"][1]["type"] == "FactSet"
    assert [f["title"] for f in help_card["body"][1]["facts"]] == ["check <draft>", "hours", "help"]
    assert hours_card["body"][0]["text"] == "Office hours"
    assert "within office hours" in hours_card["body"][2]["text"]  # Wednesday 10:00 in London


async def test_locale_from_the_activity_chooses_the_policy_language(
    tmp_path: Path, connector: FakeConnector
) -> None:
    # A second, Portuguese-language policy beside the default, so the choice is visible.
    policies = tmp_path / "policies"
    policies.mkdir()
    text = (POLICIES / "default.yaml").read_text(encoding="utf-8")
    (policies / "default.yaml").write_text(text, encoding="utf-8")
    pt = (POLICIES / "pt-BR.yaml").read_text(encoding="utf-8")
    (policies / "pt.yaml").write_text(pt.replace("name: default-pt", "name: portugues", 1))
    settings = make_settings(tmp_path, policy_dir=policies)
    drafts = {"pt-BR": "Garanto que tudo fica pronto até sexta.", "en-GB": OVERPROMISE}
    async with serve_teams(settings, connector) as teams:
        for locale, draft in drafts.items():
            activity = teams.activity("message_personal", text=f"check {draft}", locale=locale)
            activity["entities"][0]["locale"] = locale
            await teams.post(activity)
    lines = [card_of(r)["body"][-1]["text"] for r in connector.received]
    assert lines[0].startswith("Política portugues") and lines[1].startswith("Policy default")
    # The card's own wording follows the policy's language too.
    pt_texts = [
        i.get("text", "")
        for e in card_of(connector.received[0])["body"]
        for i in e.get("items", [])
    ]
    assert any(t.startswith("Por quê: ") for t in pt_texts)


async def test_help_speaks_the_users_language(teams: TeamsServer) -> None:
    activity = teams.activity("message_personal", text="help", locale="pt-BR")
    await teams.post(activity)
    activity = teams.activity("message_personal", text="help", locale="fr-FR")  # no French: English
    await teams.post(activity)
    pt, fr = (card_of(r) for r in teams.connector.received)
    assert pt["body"][0]["text"].startswith("O Nudge lê")
    assert fr["body"][0]["text"].startswith("Nudge reads")


async def test_after_hours_uses_the_senders_time_zone(teams: TeamsServer) -> None:
    # 10:00 UTC is 02:00 in Los Angeles: outside office hours for that writer.
    activity = teams.activity(
        "message_personal", text=f"check {OVERPROMISE}", localTimezone="America/Los_Angeles"
    )
    activity["entities"][0]["timezone"] = "America/Los_Angeles"
    await teams.post(activity)
    [reply] = teams.connector.received
    texts = [e.get("text", "") for e in card_of(reply)["body"]]
    assert "You are writing outside your office hours." in texts


async def test_an_empty_check_answers_with_help(teams: TeamsServer) -> None:
    await teams.post(teams.activity("message_personal", text="check"))
    [reply] = teams.connector.received
    assert card_of(reply)["body"][1]["type"] == "FactSet"


async def test_not_applicable_from_a_chat_card_records_feedback(
    teams: TeamsServer, db: Database
) -> None:
    await teams.post(teams.activity("message_personal", text=OVERPROMISE))
    card = card_of(teams.connector.received[0])
    finding = next(e for e in card["body"] if str(e.get("id", "")).startswith("finding-"))
    data = finding["items"][-1]["actions"][0]["data"]
    # Action.Submit on a card in chat arrives as a message whose value is the data.
    await teams.post(teams.activity("message_personal", text=None, value=data))
    async with db.session() as session:
        rows = (await session.scalars(select(RuleFeedback))).all()
    assert [(r.rule_id, r.signal, r.user_id) for r in rows] == [
        (data["rule"], "not_applicable", "00000000-0000-0000-0000-000000000005")
    ]
    assert teams.connector.received[-1]["body"]["text"].startswith("Thanks")


async def test_talking_to_the_bot_saves_a_conversation_reference(
    teams: TeamsServer, db: Database
) -> None:
    activity = teams.activity("message_personal", text="help")
    await teams.post(activity)
    await teams.post(activity)  # a second turn refreshes, never duplicates
    async with db.session() as session:
        rows = (await session.scalars(select(ConversationRef))).all()
    assert len(rows) == 1
    row = rows[0]
    assert row.user_key == "00000000-0000-0000-0000-000000000005"
    assert row.conversation_id == activity["conversation"]["id"]
    assert row.service_url == teams.connector.url
    assert row.tenant_id == "00000000-0000-0000-0000-000000000006"
    assert row.reference["bot"]["id"] == activity["recipient"]["id"]


async def test_installing_in_a_personal_chat_says_hello_and_saves_the_reference(
    teams: TeamsServer, db: Database
) -> None:
    activity = teams.activity("conversation_update_added_personal")
    # The docs print placeholders; in real traffic the added bot is the recipient (as in the team
    # example), so make the two agree.
    activity["recipient"]["id"] = activity["membersAdded"][0]["id"]
    status, _ = await teams.post(activity)
    assert status == 201
    [hello] = teams.connector.received  # and no member look-ups went to the connector
    assert card_of(hello)["body"][1]["type"] == "FactSet"
    async with db.session() as session:
        [row] = (await session.scalars(select(ConversationRef))).all()
    assert row.conversation_id == activity["conversation"]["id"]


async def test_being_added_to_a_team_stays_quiet(teams: TeamsServer) -> None:
    status, _ = await teams.post(teams.activity("conversation_update_added"))
    assert status == 201
    assert teams.connector.received == []


async def test_group_chat_needs_the_mention_too(teams: TeamsServer) -> None:
    activity = teams.activity("message_personal", text=f"check {OVERPROMISE}")
    activity["conversation"]["conversationType"] = "groupChat"
    activity["conversation"]["isGroup"] = True
    await teams.post(activity)
    assert teams.connector.received == []  # not addressed to the bot
    bot = activity["recipient"]
    activity["text"] = f"<at>{bot['name']}</at> check {OVERPROMISE}"
    activity["entities"].append(
        {"type": "mention", "mentioned": bot, "text": f"<at>{bot['name']}</at>"}
    )
    await teams.post(activity)
    [reply] = teams.connector.received
    assert finding_ids(card_of(reply))


async def test_hours_outside_office_hours_names_the_next_start(
    tmp_path: Path, connector: FakeConnector
) -> None:
    saturday = dt.datetime(2026, 1, 10, 12, 0, tzinfo=dt.UTC)
    runner, url, _ = await run_server(make_settings(tmp_path), clock=saturday)
    try:
        async with aiohttp.ClientSession() as session:
            teams = TeamsServer(url, connector, "", session)
            await teams.post(teams.activity("message_personal", text="hours"))
    finally:
        await runner.cleanup()
    [reply] = connector.received
    status_line = card_of(reply)["body"][2]["text"]
    assert status_line == "It is outside office hours now; the next start is Monday 09:00."


async def test_feedback_about_an_unknown_rule_is_not_stored(
    teams: TeamsServer, db: Database
) -> None:
    data = {"nudge": "not_applicable", "rule": "made.up.rule", "policy_version": "x"}
    status, _ = await teams.post(teams.activity("message_personal", text=None, value=data))
    assert status == 201
    async with db.session() as session:
        assert (await session.scalars(select(RuleFeedback))).all() == []
    assert teams.connector.received == []
