"""After-hours decisions on a real SQLite file, delivered by the real worker to a fake platform."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bots.engine import PolicyError, PolicySet
from bots.reminders.after_hours import on_client_message, on_late_reply, remind_me_later
from bots.reminders.channels import client_channel, is_outsider, is_shared_channel
from bots.reminders.prefs import Prefs, mute, set_prefs, snooze
from bots.reminders.worker import Worker, notice_for
from bots.store.db import Database
from bots.store.models import Reminder
from tests.conftest import ROOT
from tests.reminders.fakes import FakeClock, FakePlatform, HttpNotifier
from tests.reminders.policies import OWNED, policy

#: ../shared from the main checkout, ../../shared from a worktree under wt/.
FIXTURES = next(
    p / "shared" / "fixtures" for p in ROOT.parents if (p / "shared" / "fixtures").is_dir()
)
LONDON = ZoneInfo("Europe/London")
WED_10PM = dt.datetime(2026, 1, 7, 22, 0, tzinfo=LONDON)
THU_9AM = dt.datetime(2026, 1, 8, 9, 0, tzinfo=LONDON)


async def stored(db: Database) -> dict[str, Reminder]:
    async with db.session() as session:
        found = (await session.execute(select(Reminder))).scalars().all()
    return {r.idempotency_key: r for r in found}


def utc(row: Reminder) -> dt.datetime:
    return row.due_at.replace(tzinfo=dt.UTC) if row.due_at.tzinfo is None else row.due_at


async def test_client_writes_at_night_owners_get_a_note_now_and_a_reminder_at_nine(
    sqlite_db: Database, platform: FakePlatform, notifier: HttpNotifier
) -> None:
    p = policy(channels=OWNED)
    channel = client_channel(p, "slack", "C1")
    assert channel is not None
    outcome = await on_client_message(
        sqlite_db, p, channel, author_id="UCLIENT", message_id="1700.01", moment=WED_10PM
    )
    assert outcome.noted == ("UOWN1", "UOWN2") and outcome.reminded == ("UOWN1", "UOWN2")

    clock = FakeClock(WED_10PM.astimezone(dt.UTC))
    worker = Worker(sqlite_db, {"slack": notifier}, clock=clock)
    await worker.run_once()
    notes = list(platform.shown.values())
    assert {n["user_id"] for n in notes} == {"UOWN1", "UOWN2"}
    assert {n["channel_id"] for n in notes} == {None}  # a private 1:1 message, not the channel
    assert "A client wrote in #acme at 22:00" in notes[0]["text"]
    assert "remind you tomorrow at 09:00" in notes[0]["text"]
    assert "> Thanks for your message" in notes[0]["text"]  # the holding reply to copy

    clock.now = THU_9AM.astimezone(dt.UTC) - dt.timedelta(seconds=1)
    assert await worker.run_once() == 0
    clock.advance(seconds=1)
    assert await worker.run_once() == 2
    answers = [p for k, p in platform.shown.items() if k.endswith(":answer")]
    assert len(answers) == 2 and "now is a good moment to answer" in answers[0]["text"]


async def test_nothing_is_stored_of_the_client_message(sqlite_db: Database) -> None:
    p = policy(channels=OWNED)
    channel = client_channel(p, "slack", "C1")
    assert channel
    await on_client_message(
        sqlite_db, p, channel, author_id="UCLIENT", message_id="m1", moment=WED_10PM
    )
    rows = await stored(sqlite_db)
    assert set(rows["slack:C1:m1:UOWN1:note"].payload) == {
        "channel_name",
        "message_id",
        "text",
        "holding_reply",
        "expires_at",
    }


async def test_a_retried_event_writes_nothing_new(sqlite_db: Database) -> None:
    p = policy(channels=OWNED)
    channel = client_channel(p, "slack", "C1")
    assert channel
    args = {"author_id": "UCLIENT", "message_id": "m1", "moment": WED_10PM}
    first = await on_client_message(sqlite_db, p, channel, **args)
    again = await on_client_message(sqlite_db, p, channel, **args)
    assert len(first.noted) == 2 and again.noted == () and again.reminded == ()
    assert len(await stored(sqlite_db)) == 4


async def test_inside_office_hours_nobody_is_bothered(sqlite_db: Database) -> None:
    p = policy(channels=OWNED)
    channel = client_channel(p, "slack", "C1")
    assert channel
    moment = dt.datetime(2026, 1, 7, 11, 0, tzinfo=LONDON)
    outcome = await on_client_message(
        sqlite_db, p, channel, author_id="UCLIENT", message_id="m", moment=moment
    )
    assert outcome.skipped == {"UOWN1": "in office hours", "UOWN2": "in office hours"}
    assert await stored(sqlite_db) == {}


async def test_each_owner_is_judged_in_their_own_time_zone(sqlite_db: Database) -> None:
    p = policy(channels=OWNED)
    await set_prefs(sqlite_db, "slack", "UOWN2", timezone="America/New_York")
    channel = client_channel(p, "slack", "C1")
    assert channel
    moment = dt.datetime(2026, 1, 7, 19, 0, tzinfo=dt.UTC)  # 19:00 London, 14:00 New York
    outcome = await on_client_message(
        sqlite_db, p, channel, author_id="UCLIENT", message_id="m", moment=moment
    )
    assert outcome.noted == ("UOWN1",) and outcome.skipped == {"UOWN2": "in office hours"}


async def test_holidays_push_the_reminder_past_them(sqlite_db: Database) -> None:
    p = policy(channels=OWNED, holidays=("2026-12-25",))
    channel = client_channel(p, "slack", "C1")
    assert channel
    christmas_eve = dt.datetime(2026, 12, 24, 20, 0, tzinfo=LONDON)  # Thursday evening
    await on_client_message(
        sqlite_db, p, channel, author_id="UCLIENT", message_id="m", moment=christmas_eve
    )
    rows = await stored(sqlite_db)
    assert utc(rows["slack:C1:m:UOWN1:answer"]) == dt.datetime(2026, 12, 28, 9, 0, tzinfo=dt.UTC)
    assert "Monday at 09:00" in rows["slack:C1:m:UOWN1:note"].payload["text"]


async def test_shared_channel_without_listed_owners_reaches_opted_in_members(
    sqlite_db: Database,
) -> None:
    info = json.loads((FIXTURES / "slack/api_conversations_info_ext_shared.json").read_text())
    p = policy()
    channel = client_channel(p, "slack", "C0000000000", shared=is_shared_channel(info))
    assert channel is not None and channel.why == "shared" and channel.owners == ()
    await set_prefs(sqlite_db, "slack", "UYES", opted_in=True)
    await set_prefs(sqlite_db, "slack", "UNO", opted_in=False)
    outcome = await on_client_message(
        sqlite_db,
        p,
        channel,
        author_id="UEXT",
        message_id="m",
        moment=WED_10PM,
        members=("UYES", "UNO", "UEXT", "UNEVER"),
    )
    assert outcome.noted == ("UYES",)


def test_which_channels_are_client_channels() -> None:
    p = policy(channels=OWNED)
    assert client_channel(p, "slack", "C1") is not None
    assert client_channel(p, "teams", "C1") is None  # listed for Slack only
    assert client_channel(p, "slack", "C2") is None
    assert not is_shared_channel({"ok": True, "channel": {"is_shared": False}})
    assert is_outsider("TCLIENT", "TOURS") and not is_outsider("TOURS", "TOURS")
    assert not is_outsider(None, "TOURS")


def test_a_typo_in_client_channels_is_a_policy_error() -> None:
    with pytest.raises(PolicyError, match="owner"):
        policy(channels="[{platform: slack, channel: C1, owner: [U1]}]")


async def test_mute_skips_and_snooze_holds_the_note_but_keeps_the_reminder(
    sqlite_db: Database, platform: FakePlatform, notifier: HttpNotifier
) -> None:
    p = policy(channels=OWNED)
    channel = client_channel(p, "slack", "C1")
    assert channel
    await mute(sqlite_db, "slack", "UOWN1", "C1")
    until = dt.datetime(2026, 1, 8, 11, 0, tzinfo=LONDON)
    await snooze(sqlite_db, "slack", "UOWN2", until)
    outcome = await on_client_message(
        sqlite_db, p, channel, author_id="UCLIENT", message_id="m", moment=WED_10PM
    )
    assert outcome.skipped == {"UOWN1": "muted"}
    assert outcome.noted == () and outcome.reminded == ("UOWN2",)

    clock = FakeClock(THU_9AM.astimezone(dt.UTC))
    worker = Worker(sqlite_db, {"slack": notifier}, clock=clock)
    await worker.run_once()
    assert platform.posts == []  # still snoozed at 09:00: postponed, not attempted
    row = (await stored(sqlite_db))["slack:C1:m:UOWN2:answer"]
    assert (row.status, row.attempts, utc(row)) == ("pending", 0, until.astimezone(dt.UTC))
    clock.now = until.astimezone(dt.UTC)
    await worker.run_once()
    assert list(platform.shown) == ["slack:C1:m:UOWN2:answer"]


async def test_portuguese_policy_writes_portuguese_notes(sqlite_db: Database) -> None:
    p = policy(language="pt", timezone="America/Sao_Paulo", channels=OWNED)
    channel = client_channel(p, "slack", "C1")
    assert channel
    moment = dt.datetime(2026, 1, 9, 21, 0, tzinfo=ZoneInfo("America/Sao_Paulo"))  # Friday
    await on_client_message(
        sqlite_db, p, channel, author_id="UCLIENT", message_id="m", moment=moment
    )
    note = (await stored(sqlite_db))["slack:C1:m:UOWN1:note"].payload
    assert note["text"].startswith("Um cliente escreveu em #acme às 21:00")
    assert "segunda-feira às 09:00" in note["text"]
    assert note["holding_reply"].startswith("Obrigado pela mensagem")


async def test_late_reply_nudges_and_offers_a_reminder_once(sqlite_db: Database) -> None:
    p = policy()
    moment = dt.datetime(2026, 1, 7, 21, 30, tzinfo=LONDON)
    args = {"platform": "slack", "channel_id": "C9", "message_id": "m"}
    late = await on_late_reply(sqlite_db, p, author_id="UME", moment=moment, **args)
    assert late is not None and late.remind_at == THU_9AM
    assert late.text.startswith("It's 21:30 for you, outside your office hours")
    assert "reminder tomorrow at 09:00" in late.text
    nudge = (await stored(sqlite_db))["slack:C9:m:UME:late"]
    assert notice_for(nudge).channel_id == "C9"  # Slack whispers where the person is writing
    for _ in range(2):  # a double click is one reminder
        at = await remind_me_later(
            sqlite_db, p, channel_name="#acme", user_id="UME", moment=moment, **args
        )
    assert at == THU_9AM
    rows = await stored(sqlite_db)
    assert sorted(r.kind for r in rows.values()) == ["late_reply_nudge", "reply_reminder"]
    assert utc(rows["slack:C9:m:UME:later"]) == THU_9AM.astimezone(dt.UTC)

    noon = dt.datetime(2026, 1, 7, 12, 0, tzinfo=LONDON)
    assert await on_late_reply(sqlite_db, p, author_id="UME", moment=noon, **args) is None


async def test_a_late_nudge_the_adapter_shows_itself_is_not_queued(sqlite_db: Database) -> None:
    moment = dt.datetime(2026, 1, 7, 21, 30, tzinfo=LONDON)
    args = {"platform": "slack", "channel_id": "C9", "message_id": "m2", "author_id": "UME"}
    late = await on_late_reply(sqlite_db, policy(), moment=moment, shown=True, **args)
    assert late is not None and late.remind_at == THU_9AM
    assert await stored(sqlite_db) == {}


async def test_a_note_not_delivered_before_business_start_is_dropped_not_sent_late(
    sqlite_db: Database, platform: FakePlatform, notifier: HttpNotifier
) -> None:
    p = policy(channels="[{platform: slack, channel: C1, owners: [UOWN]}]")
    channel = client_channel(p, "slack", "C1")
    assert channel
    await on_client_message(
        sqlite_db, p, channel, author_id="UCLIENT", message_id="m", moment=WED_10PM
    )
    clock = FakeClock(THU_9AM.astimezone(dt.UTC))  # the worker was down all night
    await Worker(sqlite_db, {"slack": notifier}, clock=clock).run_once()
    assert list(platform.shown) == ["slack:C1:m:UOWN:answer"]
    note = (await stored(sqlite_db))["slack:C1:m:UOWN:note"]
    assert (note.status, note.last_error) == ("cancelled", "expired before it could be delivered")


async def test_each_owner_reads_the_note_in_their_own_language(sqlite_db: Database) -> None:
    team = policy(channels=OWNED)  # English, London hours
    languages = PolicySet((team, policy(language="pt", timezone="America/Sao_Paulo")), "test")
    await set_prefs(sqlite_db, "slack", "UOWN2", locale="pt-BR")
    channel = client_channel(team, "slack", "C1")
    assert channel
    await on_client_message(
        sqlite_db,
        team,
        channel,
        author_id="UCLIENT",
        message_id="m",
        moment=WED_10PM,
        languages=languages,
    )
    rows = await stored(sqlite_db)
    assert rows["slack:C1:m:UOWN1:note"].payload["text"].startswith("A client wrote in #acme")
    pt = rows["slack:C1:m:UOWN2:note"].payload["text"]
    assert pt.startswith("Um cliente escreveu em #acme às 22:00")  # London hours, Portuguese words
    assert "amanhã às 09:00" in pt
    assert utc(rows["slack:C1:m:UOWN2:answer"]) == THU_9AM.astimezone(dt.UTC)


async def test_a_late_reply_uses_the_preferences_the_adapter_already_has(
    sqlite_db: Database,
) -> None:
    moment = dt.datetime(2026, 1, 7, 21, 30, tzinfo=LONDON)
    args = {"platform": "slack", "channel_id": "C9", "message_id": "m3", "author_id": "UME"}
    muted = Prefs("slack", "UME", muted={"C9": None})  # not in the database: never read from it
    assert await on_late_reply(sqlite_db, policy(), moment=moment, prefs=muted, **args) is None
    assert await on_late_reply(sqlite_db, policy(), moment=moment, shown=True, **args) is not None
