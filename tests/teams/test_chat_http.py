"""Chat over real HTTP: the CloudAdapter in the real server, replies to a fake Bot Connector."""

from __future__ import annotations

from tests.teams.conftest import TeamsServer

OVERPROMISE = "I guarantee it ships Friday. Call me any time, even at midnight."


async def test_check_in_personal_chat_answers_with_a_result_card(teams: TeamsServer) -> None:
    activity = teams.activity("message_personal", text=f"check {OVERPROMISE}")
    status, _ = await teams.post(activity)
    assert status == 201
    [reply] = teams.connector.received
    assert reply["conversation"] == activity["conversation"]["id"]
    card = reply["body"]["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["type"] == "AdaptiveCard"
    ids = [e.get("id") for e in card["content"]["body"]]
    assert any(i and i.startswith("finding-") for i in ids)
    assert "rewrite" in ids
