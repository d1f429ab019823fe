"""The real server with Slack switched on, a fake Slack, and a client that signs like Slack."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.parse
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bots.checking import Checker
from bots.engine import PolicySet
from bots.policy_host import PolicyHost
from bots.server import create_app
from bots.settings import Settings, load_settings
from tests.conftest import POLICIES, TEMPLATES
from tests.slack.fake_slack import FakeSlack, fixture
from tests.support.databases import migrated_database

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TOKEN = "xoxb-0000-test"
#: Wednesday 18:00 UTC: 10:00 in Los Angeles (the users.info fixture), 18:00 in London (closed).
WEDNESDAY_6PM_UTC = dt.datetime(2026, 1, 7, 18, 0, tzinfo=dt.UTC)


def sign(body: str, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack sends: v0 HMAC-SHA256 of "v0:ts:body"."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class Slack:
    """Talks to the running server as Slack does, and sees what the fake Slack received."""

    url: str
    fake: FakeSlack
    session: aiohttp.ClientSession
    server: TestServer
    app: web.Application

    async def post(
        self, body: str, content_type: str, headers: dict[str, str] | None = None, **sign_args: Any
    ) -> aiohttp.ClientResponse:
        all_headers = {"Content-Type": content_type, **sign(body, **sign_args), **(headers or {})}
        async with self.session.post(
            f"{self.url}/slack/events", data=body.encode(), headers=all_headers
        ) as resp:
            await resp.read()
            return resp

    async def command(self, text: str, **fields: str) -> aiohttp.ClientResponse:
        """POST the recorded slash command as /nudge with `text`."""
        form = (
            fixture("slash_command")
            | {"command": "/nudge", "text": text, "response_url": self.fake.response_url("cmd")}
            | fields
        )
        return await self.post(urllib.parse.urlencode(form), "application/x-www-form-urlencoded")

    async def interact(self, payload: dict[str, Any], **sign_args: Any) -> aiohttp.ClientResponse:
        """POST an interactivity payload as Slack does: payload=<urlencoded JSON>."""
        body = "payload=" + urllib.parse.quote(json.dumps(payload))
        return await self.post(body, "application/x-www-form-urlencoded", **sign_args)

    async def event(
        self, payload: dict[str, Any], retry: int | None = None
    ) -> aiohttp.ClientResponse:
        headers = (
            {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
            if retry
            else {}
        )
        return await self.post(json.dumps(payload), "application/json", headers)


def slack_settings(fake: FakeSlack, tmp_path: Path, **extra: Any) -> Settings:
    """Settings for one test: Slack on, the fake's API URL, its own migrated SQLite file."""
    database = tmp_path / "nudge.sqlite3"
    if not database.exists():
        database.write_bytes(migrated_database())
    values: dict[str, Any] = {
        "NUDGE_POLICY_DIR": POLICIES,
        "NUDGE_TEMPLATE_DIR": TEMPLATES,
        "NUDGE_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_API_URL": fake.api_url,
    }
    return load_settings(**(values | extra))


@pytest.fixture
def clock() -> Callable[[], dt.datetime]:
    return lambda: WEDNESDAY_6PM_UTC


async def start(
    settings: Settings,
    fake: FakeSlack,
    clock: Callable[[], dt.datetime],
    policies: PolicySet | None = None,
) -> tuple[web.Application, TestServer]:
    """The real server on a free loopback port; `policies` skips reloading (and re-testing) them."""
    host = PolicyHost(settings.policy_dir, settings.template_dir)
    if policies is None:
        assert host.reload().ok
    else:
        host.current, host.loaded_at = policies, dt.datetime.now(dt.UTC)
    app = create_app(settings, host, Checker(host, clock=clock))
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    return app, server


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake_slack:
        yield fake_slack


@pytest.fixture
async def slack(
    fake: FakeSlack, tmp_path: Path, clock: Callable[[], dt.datetime], policies: PolicySet
) -> AsyncIterator[Slack]:
    settings = slack_settings(fake, tmp_path, NUDGE_ADMINS=["U0000000005"])
    app, server = await start(settings, fake, clock, policies)
    async with aiohttp.ClientSession() as session:
        yield Slack(str(server.make_url("")).rstrip("/"), fake, session, server, app)
    await server.close()
