"""Teams harness: the real server on loopback, and a fake Bot Connector that records replies."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bots.checking import Checker
from bots.policy_host import PolicyHost
from bots.server import create_app
from bots.settings import Settings, load_settings
from bots.store.db import Database
from tests.conftest import POLICIES, SHARED, TEMPLATES, WEDNESDAY_10AM
from tests.support.databases import migrated_database

# Copies of the shared Teams fixtures (see fixtures/README.md), so a fresh clone can replay them.
FIXTURES = Path(__file__).parent / "fixtures"
SHARED_FIXTURES = next(
    (p / "fixtures" / "teams" for p in (SHARED, Path("/work/shared")) if (p / "fixtures").is_dir()),
    None,
)


def fixture(name: str) -> dict[str, Any]:
    """One recorded Teams payload from the shared fixtures."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


@dataclass
class FakeConnector:
    """Answers like the Bot Connector and records every request it receives."""

    received: list[dict[str, Any]] = field(default_factory=list)
    refuse: dict[str, int] = field(default_factory=dict)  # conversation id -> HTTP status
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json() if request.can_read_body else None
        conversation = request.match_info["conversation"]
        self.received.append(
            {
                "method": request.method,
                "path": request.path,
                "conversation": conversation,
                "reply_to": request.match_info.get("reply_to"),
                "authorization": request.headers.get("Authorization"),
                "body": body,
            }
        )
        status = self.refuse.get(conversation)
        if status:
            error = {
                "error": {
                    "code": "BotNotInConversationRoster",
                    "message": "The bot is not part of the conversation roster.",
                }
            }
            headers = {"Retry-After": "7"} if status == 429 else {}
            return web.json_response(error, status=status, headers=headers)
        return web.json_response({"id": f"reply-{len(self.received)}"})

    def activities(self) -> list[dict[str, Any]]:
        return [r["body"] for r in self.received]


async def start(app: web.Application) -> tuple[web.AppRunner, str]:
    """Run `app` on a random free loopback port; return the runner and its base URL."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}"


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = FakeConnector()
    app = web.Application()
    base = "/v3/conversations/{conversation}/activities"
    app.router.add_post(base, fake.handle)
    app.router.add_post(base + "/{reply_to}", fake.handle)
    runner, url = await start(app)
    fake.url = url + "/"
    yield fake
    await runner.cleanup()


@dataclass
class TeamsServer:
    """The running Nudge server and helpers to talk to it like Teams does."""

    url: str
    connector: FakeConnector
    db_url: str
    session: aiohttp.ClientSession
    app: web.Application | None = None

    def activity(self, fixture_name: str, /, **changes: Any) -> dict[str, Any]:
        """A fixture with serviceUrl pointing at the fake connector."""
        activity = copy.deepcopy(fixture(fixture_name))
        activity["serviceUrl"] = self.connector.url
        activity.update(changes)
        return activity

    async def post(self, activity: Any, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        """POST an activity as the Bot Connector does; return status and parsed JSON (or text)."""
        data = activity if isinstance(activity, (bytes, str)) else json.dumps(activity)
        sent = {"Content-Type": "application/json", **(headers or {})}
        async with self.session.post(
            self.url + "/api/messages", data=data, headers=sent
        ) as response:
            text = await response.text()
            try:
                return response.status, json.loads(text) if text else None
            except json.JSONDecodeError:
                return response.status, text


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings for one test: its own migrated SQLite file, auth off, the bundled policy."""
    database = tmp_path / "nudge.sqlite3"
    if not database.exists():
        database.write_bytes(migrated_database())
    values: dict[str, Any] = {
        "database_url": f"sqlite+aiosqlite:///{database}",
        "policy_dir": POLICIES,
        "template_dir": TEMPLATES,
        "environment": "development",
        "microsoft_app_id": None,
        "microsoft_app_password": None,
    }
    values.update(overrides)
    return load_settings(**values)


@functools.cache
def policy_host(policy_dir: Path) -> PolicyHost:
    """Loading runs every rule's examples (~0.4 s): once per directory per session."""
    host = PolicyHost(policy_dir, TEMPLATES)
    assert host.reload().ok
    return host


def checker(clock: dt.datetime = WEDNESDAY_10AM, policy_dir: Path = POLICIES) -> Checker:
    return Checker(policy_host(policy_dir), clock=lambda: clock)


async def run_server(
    settings: Settings, clock: dt.datetime = WEDNESDAY_10AM
) -> tuple[web.AppRunner, str, web.Application]:
    check = checker(clock, settings.policy_dir)
    app = create_app(settings, check.host, check)
    runner, url = await start(app)
    return runner, url, app


@asynccontextmanager
async def serve_teams(
    settings: Settings, connector: FakeConnector, clock: dt.datetime = WEDNESDAY_10AM
) -> AsyncIterator[TeamsServer]:
    """The whole Nudge server (create_app) on loopback, with these settings, at `clock`."""
    runner, url, app = await run_server(settings, clock)
    try:
        async with aiohttp.ClientSession() as session:
            yield TeamsServer(url, connector, settings.database_url, session, app)
    finally:
        await runner.cleanup()


@pytest.fixture
async def teams(tmp_path: Path, connector: FakeConnector) -> AsyncIterator[TeamsServer]:
    async with serve_teams(make_settings(tmp_path), connector) as server:
        yield server


@pytest.fixture
async def db(teams: TeamsServer) -> AsyncIterator[Database]:
    """A second handle on the server's database file, for assertions."""
    database = Database(teams.db_url)
    yield database
    await database.dispose()
