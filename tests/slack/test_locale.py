"""The locale from users.info picks the policy (English or Portuguese), and its admins."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import POLICIES
from tests.slack.conftest import Slack, slack_settings, start
from tests.slack.fake_slack import FakeSlack, fixture


def portuguese_policy_dir(tmp_path: Path) -> Path:
    """The default policy plus the bundled Portuguese one, told apart by name, version and admins.

    (An English policy relabelled `language: pt` is not a valid policy: the examples of its
    forecast rule are English grammar, so they fail and the whole load is refused.)
    """
    directory = tmp_path / "policies"
    directory.mkdir()
    (directory / "default.yaml").write_text((POLICIES / "default.yaml").read_text())
    pt = (POLICIES / "pt-BR.yaml").read_text(encoding="utf-8")
    pt = pt.replace('version: "1.0.0"', 'version: "9.9.9-pt"', 1)
    pt = pt.replace("name: default-pt", "name: padrao", 1)
    pt = pt.replace("admins: []", "admins: [U0000000005]", 1)
    (directory / "pt.yaml").write_text(pt, encoding="utf-8")
    return directory


@pytest.fixture
async def pt_slack(
    fake: FakeSlack, tmp_path: Path, clock: Callable[[], dt.datetime]
) -> AsyncIterator[Slack]:
    settings = slack_settings(fake, tmp_path, NUDGE_POLICY_DIR=portuguese_policy_dir(tmp_path))
    app, server = await start(settings, fake, clock)
    async with aiohttp.ClientSession() as session:
        yield Slack(str(server.make_url("")).rstrip("/"), fake, session, server, app)
    await server.close()


def with_locale(locale: str) -> dict:
    body = fixture("api_users_info")
    body["user"]["locale"] = locale
    return body


async def test_portuguese_locale_picks_the_portuguese_policy(pt_slack: Slack) -> None:
    pt_slack.fake.script("users.info", with_locale("pt-BR"), always=True)
    body = json.loads(await (await pt_slack.command("I guarantee it")).text())
    assert "Policy padrao 9.9.9-pt+" in json.dumps(body["blocks"])


async def test_english_locale_picks_the_english_policy(pt_slack: Slack) -> None:
    pt_slack.fake.script("users.info", with_locale("en-US"), always=True)
    body = json.loads(await (await pt_slack.command("I guarantee it")).text())
    assert "Policy default 1.0.0+" in json.dumps(body["blocks"])


async def test_policy_admins_see_the_status_in_their_policy(pt_slack: Slack) -> None:
    # U0000000005 is an admin only in the Portuguese policy; these settings name no NUDGE_ADMINS.
    pt_slack.fake.script("users.info", with_locale("pt-BR"), always=True)
    await pt_slack.event(fixture("event_app_home_opened"))
    (call,) = await pt_slack.fake.wait("views.publish")
    assert "Policy status (admins)" in json.dumps(call.params["view"], ensure_ascii=False)


async def test_policy_admins_are_per_policy(pt_slack: Slack) -> None:
    pt_slack.fake.script("users.info", with_locale("en-GB"), always=True)
    await pt_slack.event(fixture("event_app_home_opened"))
    (call,) = await pt_slack.fake.wait("views.publish")
    assert "Policy status" not in json.dumps(call.params["view"], ensure_ascii=False)
