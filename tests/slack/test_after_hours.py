"""After-hours reminders on Slack, end to end over loopback HTTP: signed events and commands in,
reminder rows in the real SQLite file, deliveries seen by the fake Slack."""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from bots.reminders.prefs import set_prefs
from bots.reminders.worker import Worker
from bots.slack.after_hours import REMIND_LATER
from bots.slack.mount import DEPS
from bots.slack.notifier import SlackNotifier
from bots.store.db import Database
from bots.store.models import Reminder
from tests.conftest import POLICIES
from tests.slack.conftest import TOKEN, Slack, slack_settings, start
from tests.slack.fake_slack import FakeSlack, fixture

UTC = dt.UTC
#: Wednesday 6 January 2027 (the future, so the server's own wall-clock worker leaves rows alone).
WED_22 = dt.datetime(2027, 1, 6, 22, 0, tzinfo=UTC)  # London is on UTC in January
WED_23 = dt.datetime(2027, 1, 6, 23, 0, tzinfo=UTC)
WED_10 = dt.datetime(2027, 1, 6, 10, 0, tzinfo=UTC)
THU_09 = dt.datetime(2027, 1, 7, 9, 0, tzinfo=UTC)
OWNER, CLIENT, CHANNEL = "U0000000001", "U0000000003", "C0000000003"
HOME, OUTSIDE = "T0000000002", "T0000000099"
DRAFT = "Thanks for flagging this, we'll look into it tomorrow."


@pytest.fixture
def clock() -> Callable[[], dt.datetime]:
    """The server's clock: 23:00 London, after hours (the event's own ts is 22:00)."""
    return lambda: WED_23


def db_of(slack: Slack) -> Database:
    db = slack.app[DEPS].db
    assert db is not None
    return db


def client_event(
    moment: dt.datetime = WED_22, event_id: str = "Ev0000000002", **changes: Any
) -> dict[str, Any]:
    """The recorded Slack Connect message event, written by someone from another workspace."""
    payload = fixture("event_message_shared_channel")
    ts = f"{moment.timestamp():.6f}"
    payload["event"] |= {"ts": ts, "event_ts": ts, "team": OUTSIDE, "user": CLIENT}
    payload["event"] |= changes
    payload["event_id"] = event_id
    return payload


async def shared_channel(slack: Slack, *members: str) -> None:
    """Slack says the channel is shared with another organisation; OWNER opted in."""
    slack.fake.script(
        "conversations.info", fixture("api_conversations_info_ext_shared"), always=True
    )
    slack.fake.script(
        "conversations.members",
        {"ok": True, "members": list(members or (OWNER, CLIENT))},
        always=True,
    )
    await set_prefs(db_of(slack), "slack", OWNER, opted_in=True)


async def rows(slack: Slack) -> list[Reminder]:
    async with db_of(slack).session() as session:
        found = await session.scalars(select(Reminder).order_by(Reminder.due_at, Reminder.kind))
        return list(found)


async def test_client_message_after_hours_is_stored_before_the_200(slack: Slack) -> None:
    await shared_channel(slack)
    resp = await slack.event(client_event())
    assert resp.status == 200
    found = await rows(slack)  # right after the 200: the listener ran before the response
    assert [(r.kind, r.user_id, r.channel_id) for r in found] == [
        ("after_hours_note", OWNER, CHANNEL),
        ("answer_client", OWNER, CHANNEL),
    ]
    note, answer = found
    assert note.due_at.replace(tzinfo=UTC) == WED_22  # Slack's ts, not the server's 23:00
    assert answer.due_at.replace(tzinfo=UTC) == THU_09
    assert "22:00" in note.payload["text"] and "#shared-channel" in note.payload["text"]
    assert DRAFT not in json.dumps(note.payload)
    (members,) = slack.fake.of("conversations.members")
    assert members.params["channel"] == CHANNEL


async def test_the_worker_delivers_the_note_now_and_the_reminder_at_nine(slack: Slack) -> None:
    await shared_channel(slack)
    assert (await slack.event(client_event())).status == 200
    now = [WED_22 + dt.timedelta(seconds=5)]
    notifier = SlackNotifier(AsyncWebClient(token=TOKEN, base_url=slack.fake.api_url))
    worker = Worker(db_of(slack), {"slack": notifier}, clock=lambda: now[0])
    assert await worker.run_once() == 1
    (note,) = await slack.fake.wait("chat.postMessage")
    assert note.params["channel"] == OWNER
    assert "outside your office hours" in note.params["text"]
    now[0] = THU_09 - dt.timedelta(minutes=1)
    assert await worker.run_once() == 0  # the reminder waits for the business start
    now[0] = THU_09 + dt.timedelta(seconds=1)
    assert await worker.run_once() == 1
    _, reminder = await slack.fake.wait("chat.postMessage", 2)
    assert reminder.params["channel"] == OWNER
    assert "Office hours have started" in reminder.params["text"]
    assert {r.status for r in await rows(slack)} == {"sent"}


async def test_inside_office_hours_no_note(slack: Slack) -> None:
    await shared_channel(slack)
    assert (await slack.event(client_event(WED_10))).status == 200
    assert await rows(slack) == []
    assert slack.fake.of("conversations.info")  # it was a client message, just in hours


async def test_a_retried_event_adds_nothing(slack: Slack) -> None:
    await shared_channel(slack)
    assert (await slack.event(client_event())).status == 200
    assert (await slack.event(client_event(), retry=1)).status == 200
    # The same message delivered under another event id (as another replica would take it):
    # the reminders are keyed by the message's ts, so nothing doubles either.
    assert (await slack.event(client_event(event_id="Ev0000000777"), retry=2)).status == 200
    assert len(await rows(slack)) == 2


async def test_the_shared_flag_is_cached_per_channel(slack: Slack) -> None:
    await shared_channel(slack)
    later = WED_22 + dt.timedelta(minutes=5)
    assert (await slack.event(client_event())).status == 200
    assert (await slack.event(client_event(later, event_id="Ev0000000003"))).status == 200
    assert len(slack.fake.of("conversations.info")) == 1
    assert len(await rows(slack)) == 4


@pytest.mark.parametrize(
    "changes",
    [
        {"team": HOME},  # a colleague, not the client
        {"bot_id": "B0000000001"},  # a bot
        {"subtype": "message_changed"},  # an edit
        {"subtype": "channel_join"},
    ],
)
async def test_not_a_client_message(slack: Slack, changes: dict[str, Any]) -> None:
    await shared_channel(slack)
    assert (await slack.event(client_event(**changes))).status == 200
    assert await rows(slack) == []


async def test_an_internal_channel_is_not_a_client_channel(slack: Slack) -> None:
    slack.fake.script("conversations.info", fixture("api_conversations_info"), always=True)
    await set_prefs(db_of(slack), "slack", OWNER, opted_in=True)
    assert (await slack.event(client_event())).status == 200
    assert await rows(slack) == []
    assert not slack.fake.of("conversations.members")


async def test_members_who_did_not_opt_in_get_nothing(slack: Slack) -> None:
    await shared_channel(slack, "U0000000042", CLIENT)  # OWNER is not in this channel
    assert (await slack.event(client_event())).status == 200
    assert await rows(slack) == []


def london_user() -> dict[str, Any]:
    info = fixture("api_users_info")
    info["user"]["tz"] = "Europe/London"
    return info


async def late_command(slack: Slack) -> dict[str, Any]:
    slack.fake.script("users.info", london_user(), always=True)
    resp = await slack.command(DRAFT)
    assert resp.status == 200
    return json.loads(await resp.text())


def remind_button(body: dict[str, Any]) -> dict[str, Any]:
    buttons = [
        e
        for b in body["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e.get("action_id") == REMIND_LATER
    ]
    assert len(buttons) == 1
    return buttons[0]


async def test_nudge_after_hours_offers_a_reminder(slack: Slack) -> None:
    body = await late_command(slack)
    button = remind_button(body)
    assert button["text"]["text"] == "Remind me at Thu 09:00"
    assert DRAFT not in button["value"]
    sections = [b["text"]["text"] for b in body["blocks"] if b["type"] == "section"]
    assert any("23:00" in text for text in sections)  # the late-reply nudge's local time
    assert await rows(slack) == []  # shown in the answer, so no second delivery is queued


async def test_nudge_in_office_hours_has_no_reminder_button(slack: Slack) -> None:
    slack.fake.script("users.info", fixture("api_users_info"), always=True)  # 15:00 in LA
    resp = await slack.command(DRAFT)
    body = json.loads(await resp.text())
    assert all(b["type"] != "actions" or REMIND_LATER not in json.dumps(b) for b in body["blocks"])
    assert await rows(slack) == []


async def test_remind_me_writes_the_reminder_and_confirms(slack: Slack) -> None:
    value = remind_button(await late_command(slack))["value"]
    payload = fixture("block_actions_button")
    payload["actions"][0] |= {"action_id": REMIND_LATER, "value": value}
    payload["response_url"] = slack.fake.response_url("later")
    payload["user"] |= {"id": OWNER}
    assert (await slack.interact(payload)).status == 200
    (confirmation,) = await slack.fake.wait("response_url")
    assert confirmation.params["text"] == "Done: Nudge will remind you at Thu 09:00."
    assert confirmation.params["response_type"] == "ephemeral"
    later = [r for r in await rows(slack) if r.kind == "reply_reminder"]
    assert [(r.user_id, r.due_at.replace(tzinfo=UTC)) for r in later] == [(OWNER, THU_09)]
    assert (await slack.interact(payload)).status == 200  # a double click
    await slack.fake.wait("response_url", 2)
    assert len([r for r in await rows(slack) if r.kind == "reply_reminder"]) == 1


async def test_a_malformed_remind_me_value_writes_nothing(slack: Slack) -> None:
    payload = fixture("block_actions_button")
    payload["actions"][0] |= {"action_id": REMIND_LATER, "value": "not json"}
    payload["response_url"] = slack.fake.response_url("bad")
    assert (await slack.interact(payload)).status == 200
    assert await rows(slack) == []


@pytest.fixture
async def listed(
    fake: FakeSlack, tmp_path: Path, clock: Callable[[], dt.datetime]
) -> AsyncIterator[Slack]:
    """The server with a policy that lists the channel and its owners (no Slack lookups needed)."""
    policies = tmp_path / "policies"
    shutil.copytree(POLICIES, policies)
    default = policies / "default.yaml"
    default.write_text(
        default.read_text()
        + "\nclient_channels:\n"
        + f"  - {{platform: slack, channel: {CHANNEL}, name: '#acme', owners: [{OWNER}]}}\n"
    )
    settings = slack_settings(fake, tmp_path, NUDGE_POLICY_DIR=policies)
    app, server = await start(settings, fake, clock)
    async with aiohttp.ClientSession() as session:
        yield Slack(str(server.make_url("")).rstrip("/"), fake, session, server, app)
    await server.close()


async def test_a_channel_the_policy_lists_goes_to_its_owners(listed: Slack) -> None:
    assert (await listed.event(client_event())).status == 200
    found = await rows(listed)
    assert [(r.kind, r.user_id) for r in found] == [
        ("after_hours_note", OWNER),
        ("answer_client", OWNER),
    ]
    assert "#acme" in found[0].payload["text"]
    assert not listed.fake.of("conversations.info")  # listed: no need to ask Slack
    assert not listed.fake.of("conversations.members")  # the policy names the owners


async def test_when_slack_cannot_say_nothing_is_written_and_it_asks_again(slack: Slack) -> None:
    await shared_channel(slack)
    slack.fake.script("conversations.info", {"ok": False, "error": "ratelimited"}, status=429)
    assert (await slack.event(client_event())).status == 200
    assert await rows(slack) == []
    later = WED_22 + dt.timedelta(minutes=1)
    assert (await slack.event(client_event(later, event_id="Ev0000000004"))).status == 200
    assert len(slack.fake.of("conversations.info")) == 2  # the failure was not cached
    assert len(await rows(slack)) == 2


@pytest.mark.parametrize("ts", ["not-a-time", "inf", "1e300", "nan"])
async def test_a_message_without_a_usable_ts_is_acknowledged(slack: Slack, ts: str) -> None:
    await shared_channel(slack)
    assert (await slack.event(client_event(ts=ts))).status == 200
    assert await rows(slack) == []
    assert not slack.fake.of("conversations.info")


async def test_the_client_message_text_is_never_logged_or_stored(
    slack: Slack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await shared_channel(slack)
    secret = "our invoice 4471 is wrong and I am furious"
    assert (await slack.event(client_event(text=secret))).status == 200
    found = await rows(slack)
    assert len(found) == 2
    assert secret not in caplog.text
    assert all(secret not in json.dumps(r.payload) for r in found)


async def test_the_late_nudge_shown_in_the_answer_is_not_delivered_again(slack: Slack) -> None:
    await late_command(slack)
    notifier = SlackNotifier(AsyncWebClient(token=TOKEN, base_url=slack.fake.api_url))
    worker = Worker(db_of(slack), {"slack": notifier}, clock=lambda: WED_23)
    assert await worker.run_once() == 0
    assert not slack.fake.of("chat.postEphemeral") and not slack.fake.of("chat.postMessage")
