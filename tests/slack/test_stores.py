"""slack_sdk's store interfaces on the migrated tables, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator

import pytest
from slack_sdk.oauth.installation_store import Installation

from bots.slack.stores import SqlInstallationStore, SqlOAuthStateStore
from bots.store.db import Database
from bots.store.models import SlackOAuthState
from bots.store.schema import upgrade
from tests.conftest import need

PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/{db}"


async def _postgres_database() -> tuple[str, str] | None:
    try:
        import asyncpg

        admin = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test", timeout=3)
    except Exception:  # any failure to connect means "not available here"
        return None
    name = f"nudge_slack_{uuid.uuid4().hex[:10]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    return name, PG.format(db=name)


async def _drop(name: str) -> None:
    import asyncpg

    admin = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def db(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[Database]:  # type: ignore[no-untyped-def]
    created = None
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'stores.sqlite3'}"
    else:
        created = await _postgres_database()
        need(created is not None, "PostgreSQL on 127.0.0.1:5432 (user postgres, db test)")
        assert created is not None
        url = created[1]
    database = Database(url)
    await upgrade(database)  # the real migrated schema, as production has it
    yield database
    await database.dispose()
    if created:
        await _drop(created[0])


def installation(
    team: str, token: str, user: str = "U1", enterprise: str | None = None
) -> Installation:
    return Installation(
        app_id="A1",
        enterprise_id=enterprise,
        team_id=team,
        team_name="Team",
        bot_token=token,
        bot_id="B1",
        bot_user_id="UB1",
        bot_scopes="commands,chat:write,users:read",
        user_id=user,
        installed_at=dt.datetime(2026, 1, 7, tzinfo=dt.UTC),
    )


async def test_installations_round_trip_and_newest_wins(db: Database) -> None:
    store = SqlInstallationStore(db, "111.222")
    await store.async_save(installation("T1", "xoxb-old"))
    await store.async_save(installation("T1", "xoxb-new", user="U2"))
    await store.async_save(installation("T2", "xoxb-other"))
    bot = await store.async_find_bot(enterprise_id=None, team_id="T1")
    assert (
        bot is not None
        and bot.bot_token == "xoxb-new"
        and bot.bot_scopes == ["commands", "chat:write", "users:read"]
    )
    found = await store.async_find_installation(enterprise_id=None, team_id="T1", user_id="U1")
    assert found is not None and found.bot_token == "xoxb-old"
    assert found.installed_at == dt.datetime(2026, 1, 7, tzinfo=dt.UTC).timestamp()
    assert await store.async_find_bot(enterprise_id=None, team_id="T9") is None
    assert (
        await SqlInstallationStore(db, "other-app").async_find_bot(enterprise_id=None, team_id="T1")
        is None
    )
    await store.async_delete_all(enterprise_id=None, team_id="T1")
    assert await store.async_find_bot(enterprise_id=None, team_id="T1") is None
    assert await store.async_find_bot(enterprise_id=None, team_id="T2") is not None


async def test_enterprise_install_is_found_by_enterprise(db: Database) -> None:
    store = SqlInstallationStore(db, "111.222")
    org = installation("", "xoxb-org", enterprise="E1")
    org.is_enterprise_install = True
    await store.async_save(org)
    bot = await store.async_find_bot(
        enterprise_id="E1", team_id="T-any", is_enterprise_install=True
    )
    assert bot is not None and bot.bot_token == "xoxb-org"


async def test_oauth_states_are_single_use_and_expire(db: Database) -> None:
    states = SqlOAuthStateStore(db, expiration_seconds=600)
    state = await states.async_issue()
    assert await states.async_consume(state) is True
    assert await states.async_consume(state) is False
    assert await states.async_consume("never-issued") is False
    async with db.session() as session:
        session.add(
            SlackOAuthState(
                state="old", expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
            )
        )
    assert await states.async_consume("old") is False
