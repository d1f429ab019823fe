"""Multi-workspace install: OAuth over HTTP against the fake, installs kept in SQLite."""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select

from bots.slack.app import BOT_SCOPES
from bots.store.db import Database
from bots.store.models import SlackInstallation, SlackOAuthState
from tests.slack.conftest import sign, slack_settings, start
from tests.slack.fake_slack import FakeSlack, fixture

# slack_sdk sends the client secret with aiohttp.BasicAuth, which aiohttp 3.14 deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")

#: The documented oauth.v2.access success response (https://api.slack.com/methods/oauth.v2.access).
OAUTH_ACCESS = {
    "ok": True,
    "access_token": "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",
    "token_type": "bot",
    "scope": "commands,chat:write,users:read",
    "bot_user_id": "U0KRQLJ9H",
    "app_id": "A0KRD7HC3",
    "team": {"name": "Slack Softball Team", "id": "T9TK3CUKW"},
    "enterprise": None,
    "authed_user": {"id": "U1234", "scope": "", "access_token": None, "token_type": None},
}


async def test_install_then_use_the_installed_token(
    fake: FakeSlack, tmp_path: Path, clock: Callable[[], dt.datetime]
) -> None:
    settings = slack_settings(
        fake, tmp_path, SLACK_BOT_TOKEN=None, SLACK_CLIENT_ID="111.222", SLACK_CLIENT_SECRET="shh"
    )
    fake.bodies["oauth.v2.access"] = OAUTH_ACCESS
    _, server = await start(settings, fake, clock)
    base = str(server.make_url("")).rstrip("/")
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/slack/install", allow_redirects=False) as resp:
                page = await resp.text()
                cookie = resp.headers.get("Set-Cookie", "")
            assert resp.status in (200, 302)
            link = resp.headers.get("Location") or re.search(
                r'href="(https://slack.com/oauth[^"]+)"', page
            ).group(1)
            query = urllib.parse.parse_qs(urllib.parse.urlparse(link.replace("&amp;", "&")).query)
            assert query["client_id"] == ["111.222"]
            assert query["scope"] == [",".join(BOT_SCOPES)]
            state = query["state"][0]
            callback = f"{base}/slack/oauth_redirect?code=the-code&state={state}"
            headers = {"Cookie": cookie.split(";")[0]}
            async with http.get(callback, headers=headers, allow_redirects=False) as done:
                assert done.status == 200, await done.text()
            (access,) = fake.of("oauth.v2.access")
            assert access.params["code"] == "the-code"

            form = fixture("slash_command") | {
                "command": "/nudge",
                "text": "I guarantee it",
                "team_id": "T9TK3CUKW",
                "response_url": fake.response_url(),
            }
            body = urllib.parse.urlencode(form)
            headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
            async with http.post(f"{base}/slack/events", data=body, headers=headers) as resp:
                report = json.loads(await resp.text())
            assert report["text"].startswith("Nudge found")
            info = fake.of("users.info")[-1]
            assert info.headers["Authorization"] == f"Bearer {OAUTH_ACCESS['access_token']}"
            # A workspace that never installed the app gets no report and no Web API call
            # (Bolt tells the person, through the response_url, that the app is not installed).
            calls = len(fake.calls)
            body = urllib.parse.urlencode(form | {"team_id": "T0000000404"})
            headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
            async with http.post(f"{base}/slack/events", data=body, headers=headers) as resp:
                assert "Nudge found" not in await resp.text()
            assert [c.method for c in fake.calls[calls:]] in ([], ["response_url"])
            # A state can be used once only.
            async with http.get(callback, headers={"Cookie": cookie.split(";")[0]}) as again:
                assert again.status >= 400
            assert len(fake.of("oauth.v2.access")) == 1
    finally:
        await server.close()
    db = Database(settings.database_url)
    async with db.session() as session:
        rows = (await session.execute(select(SlackInstallation))).scalars().all()
        states = (await session.execute(select(SlackOAuthState))).scalars().all()
    await db.dispose()
    assert [(r.client_id, r.team_id, r.data["bot_token"]) for r in rows] == [
        ("111.222", "T9TK3CUKW", OAUTH_ACCESS["access_token"])
    ]
    assert states == []  # consumed
