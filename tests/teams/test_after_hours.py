"""After hours on Teams over real HTTP: client messages, late replies and "Remind me at".

The server's own worker runs on the wall clock; every moment here is in 2030 so it finds
nothing due, and the tests drive a second Worker with an injected clock instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bots.reminders.worker import Worker
from bots.store.db import Database
from bots.store.models import Reminder
from bots.teams import TEAMS
from tests.conftest import POLICIES
from tests.teams.conftest import (
    FakeConnector,
    TeamsServer,
    fixture,
    make_settings,
    serve_teams,
)
from tests.teams.test_extension_http import actions, dialog_card

HOME = "00000000-0000-0000-0000-000000000008"  # the tenant in message_channel_mention.json
CLIENT_TENANT = "99999999-0000-0000-0000-000000000001"
CHANNEL = "19:00000000000000000000000000000002@thread.tacv2"
OWNER = "00000000-0000-0000-0000-000000000005"  # aadObjectId in message_personal.json
NIGHT = dt.datetime(2030, 1, 9, 22, 0, tzinfo=dt.UTC)  # Wednesday 22:00 in London (the policy's)
LATE = dt.datetime(2030, 1, 9, 23, 0, tzinfo=dt.UTC)
MORNING = dt.datetime(2030, 1, 10, 9, 0, tzinfo=dt.UTC)  # Thursday 09:00 London: next start
DRAFT = "Thanks, I'll look at the figures and get back to you."


@pytest.fixture(scope="module")
def policy_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled policies plus a Teams client channel owned by OWNER."""
    folder = tmp_path_factory.mktemp("policies")
    for source in POLICIES.rglob("*.yaml"):
        target = folder / source.relative_to(POLICIES)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    default = folder / "default.yaml"
    default.write_text(
        default.read_text(encoding="utf-8")
        + "\nclient_channels:\n"
        + f'  - platform: teams\n    channel: "{CHANNEL}"\n    name: "Acme support"\n'
        + f'    owners: ["{OWNER}"]\n',
        encoding="utf-8",
    )
    return folder


@asynccontextmanager
async def serve(
    tmp_path: Path, connector: FakeConnector, policy_dir: Path, clock: dt.datetime
) -> AsyncIterator[TeamsServer]:
    settings = make_settings(tmp_path, policy_dir=policy_dir, microsoft_app_tenant_id=HOME)
    async with serve_teams(settings, connector, clock) as server:
        yield server


@pytest.fixture
async def night(
    tmp_path: Path, connector: FakeConnector, policy_dir: Path
) -> AsyncIterator[TeamsServer]:
    async with serve(tmp_path, connector, policy_dir, LATE) as server:
        yield server


@pytest.fixture
async def db(night: TeamsServer) -> AsyncIterator[Database]:
    database = Database(night.db_url)
    yield database
    await database.dispose()


def client_message(server: TeamsServer, at: dt.datetime, **changes: Any) -> dict[str, Any]:
    """A client (another tenant) writing in the client channel, not mentioning the bot."""
    activity = server.activity("message_channel_mention", text="Where is my order?", entities=[])
    activity["from"] = {**activity["from"], "aadObjectId": "client-1", "tenantId": CLIENT_TENANT}
    activity["timestamp"] = at.isoformat().replace("+00:00", "Z")
    activity["localTimestamp"] = at.isoformat()
    activity.update(changes)
    return activity


async def rows(db: Database) -> list[Reminder]:
    async with db.session() as session:
        return list((await session.scalars(select(Reminder).order_by(Reminder.id))).all())


def utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


async def owner_says_hello(server: TeamsServer) -> dict[str, Any]:
    """The owner talks to the bot 1:1 once, so a conversation reference exists."""
    activity = server.activity("message_personal", text="help")
    status, _ = await server.post(activity)
    assert status == 201
    server.connector.received.clear()
    return activity


async def test_a_night_client_message_writes_reminders_before_the_response_and_they_arrive(
    night: TeamsServer, db: Database
) -> None:
    personal = await owner_says_hello(night)
    status, _ = await night.post(client_message(night, NIGHT))
    assert status == 201
    assert night.connector.received == []  # silent in the channel
    found = await rows(db)
    assert [(r.kind, r.user_id, r.status) for r in found] == [
        ("after_hours_note", OWNER, "pending"),
        ("answer_client", OWNER, "pending"),
    ]
    assert utc(found[0].due_at) == NIGHT and utc(found[1].due_at) == MORNING
    assert "Where is my order" not in str([r.payload for r in found])  # no client text stored

    now = [NIGHT]
    assert night.app is not None
    worker = Worker(db, {"teams": night.app[TEAMS].notifier}, clock=lambda: now[0])
    assert await worker.run_once() == 1
    [note] = night.connector.received
    assert note["conversation"] == personal["conversation"]["id"]
    assert note["body"]["summary"] == found[0].payload["text"]
    now[0] = MORNING - dt.timedelta(minutes=1)
    assert await worker.run_once() == 0
    now[0] = MORNING
    assert await worker.run_once() == 1
    reminder = night.connector.received[-1]
    assert reminder["conversation"] == personal["conversation"]["id"]
    assert reminder["body"]["summary"] == found[1].payload["text"]
    assert [r.status for r in await rows(db)] == ["sent", "sent"]


async def test_the_same_activity_twice_writes_no_duplicates(
    night: TeamsServer, db: Database
) -> None:
    activity = client_message(night, NIGHT)
    assert (await night.post(activity))[0] == 201
    assert (await night.post(activity))[0] == 201
    assert len(await rows(db)) == 2


async def test_inside_office_hours_there_is_no_note(night: TeamsServer, db: Database) -> None:
    status, _ = await night.post(
        client_message(night, dt.datetime(2030, 1, 9, 10, 0, tzinfo=dt.UTC))
    )
    assert status == 201
    assert await rows(db) == []


async def test_a_team_member_in_the_channel_is_not_a_client(
    night: TeamsServer, db: Database
) -> None:
    activity = client_message(night, NIGHT)
    activity["from"] = fixture("message_channel_mention")["from"]  # our tenant
    assert (await night.post(activity))[0] == 201
    assert await rows(db) == []


async def test_another_channel_is_not_a_client_channel(night: TeamsServer, db: Database) -> None:
    activity = client_message(night, NIGHT)
    activity["conversation"] = {**activity["conversation"], "id": "19:other@thread.tacv2"}
    activity["channelData"] = {
        **activity["channelData"],
        "channel": {"id": "19:other@thread.tacv2"},
    }
    assert (await night.post(activity))[0] == 201
    assert await rows(db) == []


async def test_a_mentioned_client_message_is_answered_and_still_reminds(
    night: TeamsServer, db: Database
) -> None:
    mention = fixture("message_channel_mention")["entities"]
    activity = client_message(night, NIGHT, entities=mention, text="<at>ridotest</at> help")
    assert (await night.post(activity))[0] == 201
    assert len(night.connector.received) == 1  # answered as today
    assert len(await rows(db)) == 2


def late_check(server: TeamsServer, **changes: Any) -> dict[str, Any]:
    return server.activity(
        "message_personal", text=f"check {DRAFT}", localTimezone="Europe/London", **changes
    )


def remind_button(card: dict[str, Any]) -> dict[str, Any]:
    found = actions(card) + [a for e in card["body"] for a in e.get("actions", [])]
    [button] = [a for a in found if a.get("data", {}).get("nudge") == "remind_later"]
    return button


async def test_a_late_check_offers_remind_me_and_pressing_it_schedules_the_morning(
    night: TeamsServer, db: Database
) -> None:
    status, _ = await night.post(late_check(night))
    assert status == 201
    [reply] = night.connector.received
    card = reply["body"]["attachments"][0]["content"]
    [late] = [e for e in card["body"] if e.get("id") == "late-reply"]
    assert "23:00" in late["text"]
    # Shown on the card, so no second (1:1) delivery of the same nudge is queued.
    assert [r for r in await rows(db) if r.kind == "late_reply_nudge"] == []
    button = remind_button(card)
    assert button["type"] == "Action.Submit"
    assert button["title"] == "Remind me at Thursday 09:00"

    night.connector.received.clear()
    press = night.activity("message_personal", text=None, value=button["data"])
    assert (await night.post(press))[0] == 201
    [confirm] = night.connector.received
    confirmation = confirm["body"]["attachments"][0]["content"]
    assert "Thursday 09:00" in confirmation["body"][0]["text"]
    [later] = [r for r in await rows(db) if r.kind == "reply_reminder"]
    assert (later.user_id, utc(later.due_at)) == (OWNER, MORNING)
    assert (await night.post(press))[0] == 201  # pressed twice: still one reminder
    assert len([r for r in await rows(db) if r.kind == "reply_reminder"]) == 1


async def test_a_check_inside_office_hours_offers_nothing(
    tmp_path: Path, connector: FakeConnector, policy_dir: Path
) -> None:
    async with serve(tmp_path, connector, policy_dir, MORNING) as server:
        await server.post(late_check(server))
        [reply] = connector.received
        card = reply["body"]["attachments"][0]["content"]
        assert not [e for e in card["body"] if e.get("id") in ("late-reply", "remind-later")]
        database = Database(server.db_url)
        try:
            assert await rows(database) == []
        finally:
            await database.dispose()


def extension_submit(server: TeamsServer, data: dict[str, Any]) -> dict[str, Any]:
    activity = server.activity("invoke_fetchtask_compose", localTimezone="Europe/London")
    value = fixture("invoke_submitaction")["value"]
    value.update(commandId="checkDraft", commandContext="compose", data=data)
    activity.update(name="composeExtension/submitAction", value=value)
    return activity


async def test_the_extension_dialog_offers_remind_me_late_and_confirms(
    night: TeamsServer, db: Database
) -> None:
    status, body = await night.post(extension_submit(night, {"nudge": "check", "draft": DRAFT}))
    assert status == 200
    card = dialog_card(body)
    assert [e for e in card["body"] if e.get("id") == "late-reply"]
    button = remind_button(card)
    status, body = await night.post(extension_submit(night, button["data"]))
    assert status == 200
    confirmation = dialog_card(body)
    assert confirmation["body"][0]["id"] == "reminder-set"
    [later] = [r for r in await rows(db) if r.kind == "reply_reminder"]
    assert utc(later.due_at) == MORNING


async def test_a_forged_remind_button_without_ids_writes_nothing(
    night: TeamsServer, db: Database
) -> None:
    press = night.activity("message_personal", text=None, value={"nudge": "remind_later"})
    assert (await night.post(press))[0] == 201
    assert night.connector.received == []
    assert await rows(db) == []


async def test_a_late_check_uses_the_zone_teams_reports_for_the_offer(
    tmp_path: Path, connector: FakeConnector, policy_dir: Path
) -> None:
    """15:00 in London is open, but midnight in Tokyo where the writer is: the offer follows
    the writer's zone (remembered in their preferences), not the policy's."""
    afternoon = dt.datetime(2030, 1, 9, 15, 0, tzinfo=dt.UTC)
    async with serve(tmp_path, connector, policy_dir, afternoon) as server:
        activity = server.activity(
            "message_personal", text=f"check {DRAFT}", localTimezone="Asia/Tokyo"
        )
        await server.post(activity)
        [reply] = connector.received
        button = remind_button(reply["body"]["attachments"][0]["content"])
        assert button["title"] == "Remind me at Thursday 09:00"
        tokyo_nine = dt.datetime(2030, 1, 10, 0, 0, tzinfo=dt.UTC)  # 09:00 in Tokyo
        assert dt.datetime.fromisoformat(button["data"]["remind_at"]) == tokyo_nine


async def test_no_client_text_reaches_the_logs(
    night: TeamsServer, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    await night.post(client_message(night, NIGHT))
    await night.post(late_check(night))
    # the client message's note and reminder; the late check's nudge is on its card, not queued
    assert len(await rows(db)) == 2
    assert "Where is my order" not in caplog.text and "look at the figures" not in caplog.text
