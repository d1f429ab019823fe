"""Proactive delivery through saved references, and what the connector's refusals do to them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bots.reminders.notify import DeliveryError, Notice, Notifier
from bots.store.db import Database
from bots.store.models import ConversationRef
from bots.teams import TEAMS
from bots.teams.notifier import TeamsNotifier
from tests.teams.conftest import TeamsServer

USER = "00000000-0000-0000-0000-000000000005"  # aadObjectId in message_personal.json


def notifier(teams: TeamsServer) -> TeamsNotifier:
    assert teams.app is not None
    return teams.app[TEAMS].notifier


def notice(**changes: object) -> Notice:
    values: dict[str, object] = {
        "platform": "teams",
        "user_id": USER,
        "channel_id": None,
        "text": "A client wrote after hours. I'll remind you at 09:00.",
        "idempotency_key": "r-1",
    }
    values.update(changes)
    return Notice(**values)  # type: ignore[arg-type]


async def refs(db: Database) -> list[ConversationRef]:
    async with db.session() as session:
        return list((await session.scalars(select(ConversationRef))).all())


async def test_the_notifier_meets_the_protocol(teams: TeamsServer) -> None:
    sender: Notifier = notifier(teams)
    assert sender.platform == "teams"


async def test_a_proactive_message_reaches_the_saved_conversation(teams: TeamsServer) -> None:
    activity = teams.activity("message_personal", text="help")
    await teams.post(activity)
    teams.connector.received.clear()
    await notifier(teams).send(notice())
    [sent] = teams.connector.received
    assert sent["conversation"] == activity["conversation"]["id"]
    body = sent["body"]
    assert body["type"] == "message"
    assert body["summary"] == notice().text
    card = body["attachments"][0]["content"]
    assert card["type"] == "AdaptiveCard" and card["body"][0]["text"].startswith(
        "A client wrote after hours"
    )


async def test_a_card_given_by_the_caller_is_sent_as_is(teams: TeamsServer) -> None:
    await teams.post(teams.activity("message_personal", text="help"))
    teams.connector.received.clear()
    card = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [{"type": "TextBlock", "text": "custom"}],
    }
    await notifier(teams).send(notice(card=card))
    assert teams.connector.received[0]["body"]["attachments"][0]["content"] == card


async def test_the_personal_chat_is_preferred_over_a_channel(teams: TeamsServer) -> None:
    channel = teams.activity("message_channel_mention", text="<at>ridotest</at> help")
    channel["from"]["aadObjectId"] = USER
    personal = teams.activity("message_personal", text="help")
    await teams.post(personal)
    await teams.post(channel)  # newer, but a channel: a reminder is private
    teams.connector.received.clear()
    await notifier(teams).send(notice())
    assert teams.connector.received[0]["conversation"] == personal["conversation"]["id"]


@pytest.mark.parametrize("status", [403, 404])
async def test_403_drops_the_reference_and_is_not_retryable(
    teams: TeamsServer, db: Database, status: int
) -> None:
    activity = teams.activity("message_personal", text="help")
    await teams.post(activity)
    assert len(await refs(db)) == 1
    teams.connector.refuse[activity["conversation"]["id"]] = status
    with pytest.raises(DeliveryError) as caught:
        await notifier(teams).send(notice())
    assert caught.value.retryable is False
    assert await refs(db) == []
    with pytest.raises(DeliveryError) as again:  # nothing left to try: fails fast, no request
        await notifier(teams).send(notice())
    assert again.value.retryable is False
    assert len(teams.connector.received) == 2  # the help reply and the one refused attempt


@pytest.mark.parametrize(("status", "retry_after"), [(429, 7.0), (502, None)])
async def test_throttling_and_server_errors_are_retryable(
    teams: TeamsServer, db: Database, status: int, retry_after: float | None
) -> None:
    activity = teams.activity("message_personal", text="help")
    await teams.post(activity)
    teams.connector.refuse[activity["conversation"]["id"]] = status
    with pytest.raises(DeliveryError) as caught:
        await notifier(teams).send(notice())
    assert caught.value.retryable is True
    assert caught.value.retry_after == retry_after
    assert len(await refs(db)) == 1  # kept for the retry


async def test_no_saved_reference_is_a_permanent_failure(teams: TeamsServer) -> None:
    with pytest.raises(DeliveryError) as caught:
        await notifier(teams).send(notice(user_id="someone-who-never-talked-to-us"))
    assert caught.value.retryable is False
    assert teams.connector.received == []


async def test_a_notice_for_a_given_conversation_goes_there(teams: TeamsServer) -> None:
    channel = teams.activity("message_channel_mention", text="<at>ridotest</at> help")
    channel["from"]["aadObjectId"] = USER
    await teams.post(teams.activity("message_personal", text="help"))
    await teams.post(channel)
    teams.connector.received.clear()
    await notifier(teams).send(notice(channel_id=channel["conversation"]["id"]))
    [sent] = teams.connector.received
    assert sent["conversation"] == channel["conversation"]["id"]


async def test_a_private_notice_never_falls_back_to_a_channel(teams: TeamsServer) -> None:
    channel = teams.activity("message_channel_mention", text="<at>ridotest</at> help")
    channel["from"]["aadObjectId"] = USER
    await teams.post(channel)
    teams.connector.received.clear()
    with pytest.raises(DeliveryError) as caught:
        await notifier(teams).send(notice())
    assert caught.value.retryable is False
    assert teams.connector.received == []
