"""A refused policy edit reaches its admin as a Slack DM: the real server, a fake Slack Web API."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from bots.policy_host import PolicyHost
from bots.server import create_app
from tests.admin.conftest import TOKEN, settings_for
from tests.admin.test_reload import break_default
from tests.conftest import TEMPLATES
from tests.slack.conftest import SECRET
from tests.slack.conftest import TOKEN as BOT_TOKEN
from tests.slack.fake_slack import FakeSlack


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as slack:
        yield slack


async def test_the_policys_slack_admin_gets_every_error_in_a_dm(fake, policy_dir, serve, tmp_path):
    path = policy_dir / "default.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("admins: []", "admins: [U0ADMIN1, teams:aad-9]")
    )
    host = PolicyHost(policy_dir, TEMPLATES)
    assert host.reload().ok
    settings = settings_for(
        policy_dir,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_API_URL=fake.api_url,
        NUDGE_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'slack.sqlite3'}",
    )
    base = await serve(create_app(settings, host))
    break_default(policy_dir)
    async with aiohttp.ClientSession() as http:
        answer = await http.post(
            f"{base}/admin/api/reload", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert answer.status == 422
    (dm,) = await fake.wait("chat.postMessage")
    assert dm.params["channel"] == "U0ADMIN1"  # the Teams admin is not sent to Slack
    assert "still serving" in dm.params["text"] and host.version in dm.params["text"]
    assert "rules[0].colour: unknown key 'colour'" in dm.params["text"]
    assert "default.yaml:" in dm.params["text"]
