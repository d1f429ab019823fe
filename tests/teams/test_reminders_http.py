"""The reminders worker delivering through TeamsNotifier to the fake Bot Connector."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bots.reminders import queue
from bots.reminders.worker import Worker
from bots.store.db import Database
from bots.store.models import ConversationRef, Reminder
from bots.teams import TEAMS
from tests.teams.conftest import TeamsServer

USER = "00000000-0000-0000-0000-000000000005"  # aadObjectId in message_personal.json
NOW = dt.datetime(2026, 1, 8, 9, 0, tzinfo=dt.UTC)


async def _schedule(db: Database, key: str) -> None:
    reminder = queue.NewReminder(
        idempotency_key=key,
        platform="teams",
        user_id=USER,
        channel_id=None,
        kind="after_hours",
        due_at=NOW - dt.timedelta(minutes=1),
        payload={"text": "Good morning: a client wrote last night."},
    )
    assert await queue.schedule(db, reminder)


async def _status(db: Database, key: str) -> tuple[str, str | None]:
    async with db.session() as session:
        row = await session.scalar(select(Reminder).where(Reminder.idempotency_key == key))
    assert row is not None
    return row.status, row.last_error


def _worker(teams: TeamsServer, db: Database) -> Worker:
    assert teams.app is not None
    return Worker(db, {"teams": teams.app[TEAMS].notifier}, clock=lambda: NOW)


async def test_a_due_reminder_reaches_the_users_personal_chat(
    teams: TeamsServer, db: Database
) -> None:
    activity = teams.activity("message_personal", text="help")
    await teams.post(activity)
    teams.connector.received.clear()
    await _schedule(db, "teams-r1")
    assert await _worker(teams, db).run_once() == 1
    [sent] = teams.connector.received
    assert sent["conversation"] == activity["conversation"]["id"]
    assert sent["body"]["summary"] == "Good morning: a client wrote last night."
    assert await _status(db, "teams-r1") == ("sent", None)


async def test_a_403_fails_the_reminder_for_good_and_forgets_the_conversation(
    teams: TeamsServer, db: Database
) -> None:
    activity = teams.activity("message_personal", text="help")
    await teams.post(activity)
    teams.connector.refuse[activity["conversation"]["id"]] = 403
    await _schedule(db, "teams-r2")
    await _worker(teams, db).run_once()
    status, error = await _status(db, "teams-r2")
    assert status == "failed" and "403" in str(error)
    async with db.session() as session:
        assert (await session.scalars(select(ConversationRef))).all() == []


async def test_a_429_is_retried_no_sooner_than_the_connector_asked(
    teams: TeamsServer, db: Database
) -> None:
    activity = teams.activity("message_personal", text="help")
    await teams.post(activity)
    teams.connector.refuse[activity["conversation"]["id"]] = 429
    await _schedule(db, "teams-r3")
    await _worker(teams, db).run_once()
    async with db.session() as session:
        row = await session.scalar(select(Reminder).where(Reminder.idempotency_key == "teams-r3"))
    assert row is not None and row.status == "pending"
    assert row.due_at.replace(tzinfo=dt.UTC) >= NOW + dt.timedelta(seconds=7)
