"""App Home: usage, the person's hours and zone, the policy; the policy's health for admins."""

from __future__ import annotations

import json
from pathlib import Path

from bots.server import HOST
from tests.slack.conftest import Slack
from tests.slack.fake_slack import fixture


async def test_app_home_for_an_admin(slack: Slack) -> None:
    event = fixture("event_app_home_opened")  # user U0000000005, an admin in these settings
    assert (await slack.event(event)).status == 200
    (call,) = await slack.fake.wait("views.publish")
    assert call.params["user_id"] == "U0000000005"
    view = call.params["view"]
    assert view["type"] == "home"
    text = json.dumps(view, ensure_ascii=False)
    assert "/nudge" in text
    assert "America/Los_Angeles (from your Slack profile)" in text
    assert "Mon–Fri 09:00–18:00 (Europe/London)" in text
    assert "Policy default 1.0.0+" in text
    assert "Policy status (admins)" in text and "Last reload: no errors." in text


async def test_app_home_for_someone_else_hides_the_policy_status(slack: Slack) -> None:
    event = fixture("event_app_home_opened")
    event["event"]["user"] = "U0000000042"
    await slack.event(event)
    (call,) = await slack.fake.wait("views.publish")
    text = json.dumps(call.params["view"], ensure_ascii=False)
    assert "Policy status" not in text and "Policy default" in text


async def test_app_home_shows_admins_the_last_reload_error(slack: Slack, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "default.yaml").write_text("name: [unclosed\n")
    host = slack.app[HOST]
    host.directory = broken
    assert not host.reload().ok
    await slack.event(fixture("event_app_home_opened"))
    (call,) = await slack.fake.wait("views.publish")
    text = json.dumps(call.params["view"], ensure_ascii=False)
    assert "Last reload failed" in text and "still serving the last good policy" in text
    assert "default.yaml" in text


async def test_home_with_a_hidden_zone_uses_the_policy_zone(slack: Slack) -> None:
    slack.fake.script("users.info", {"ok": False, "error": "user_not_visible"}, always=True)
    await slack.event(fixture("event_app_home_opened"))
    (call,) = await slack.fake.wait("views.publish")
    assert "Europe/London (the team's default)" in json.dumps(
        call.params["view"], ensure_ascii=False
    )
