"""Outbound Bot Framework clients are kept across turns (bots.teams.clients), over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bots.teams.clients import Kept, KeptClientsAuthentication
from bots.teams.hosting import TEAMS
from tests.teams.conftest import FakeConnector, TeamsServer, start

DRAFT = "I guarantee it ships Friday."


def kept_by(teams: TeamsServer) -> KeptClientsAuthentication:
    assert teams.app is not None
    auth = teams.app[TEAMS].adapter.bot_framework_authentication
    assert isinstance(auth, KeptClientsAuthentication)
    return auth


@pytest.fixture
async def other_connector() -> AsyncIterator[FakeConnector]:
    """A second Bot Connector at another service URL (Teams has one per region)."""
    fake = FakeConnector()
    app = web.Application()
    app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", fake.handle)
    runner, url = await start(app)
    fake.url = url + "/"
    yield fake
    await runner.cleanup()


async def test_turns_from_one_service_url_reuse_one_connector_client(teams: TeamsServer) -> None:
    for n in range(3):
        activity = teams.activity("message_personal", id=f"turn-{n}", text=f"check {DRAFT}")
        status, _ = await teams.post(activity)
        assert status == 201
    assert [r["reply_to"] for r in teams.connector.received] == ["turn-0", "turn-1", "turn-2"]
    auth = kept_by(teams)
    assert len(auth.connectors) == 1 and len(auth.token_clients) == 1


async def test_each_service_url_gets_its_own_client_and_replies_go_there(
    teams: TeamsServer, other_connector: FakeConnector
) -> None:
    first = teams.activity("message_personal", id="here", text=f"check {DRAFT}")
    second = teams.activity("message_personal", id="there", text=f"check {DRAFT}")
    second["serviceUrl"] = other_connector.url
    for activity in (first, second, first | {"id": "here-again"}):
        status, _ = await teams.post(activity)
        assert status == 201
    assert [r["reply_to"] for r in teams.connector.received] == ["here", "here-again"]
    assert [r["reply_to"] for r in other_connector.received] == ["there"]
    assert len(kept_by(teams).connectors) == 2


def test_kept_drops_the_least_recently_used_beyond_its_size() -> None:
    kept = Kept(size=2)
    kept.keep("a", 1)
    kept.keep("b", 2)
    assert kept.find("a") == 1  # "a" is now the most recently used
    kept.keep("c", 3)
    assert (kept.find("a"), kept.find("b"), kept.find("c")) == (1, None, 3)
    assert len(kept) == 2
