"""The Slack app manifest asks for exactly what the code uses."""

from __future__ import annotations

import yaml

from bots.slack.app import BOT_EVENTS, BOT_SCOPES
from bots.slack.commands import COMMAND
from bots.slack.interactions import CHECK_DRAFT, CHECK_REPLY
from bots.slack.mount import EVENTS_PATH
from tests.conftest import ROOT

MANIFEST = yaml.safe_load((ROOT / "deploy" / "slack" / "manifest.yaml").read_text())


def test_scopes_match_the_code() -> None:
    assert sorted(MANIFEST["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)
    assert "user" not in MANIFEST["oauth_config"]["scopes"]


def test_command_shortcuts_and_events_match_the_listeners() -> None:
    features, settings = MANIFEST["features"], MANIFEST["settings"]
    assert [c["command"] for c in features["slash_commands"]] == [COMMAND]
    shortcuts = {(s["type"], s["callback_id"]) for s in features["shortcuts"]}
    assert shortcuts == {("message", CHECK_REPLY), ("global", CHECK_DRAFT)}
    assert settings["event_subscriptions"]["bot_events"] == list(BOT_EVENTS)
    urls = [
        settings["interactivity"]["request_url"],
        settings["event_subscriptions"]["request_url"],
    ]
    urls += [c["url"] for c in features["slash_commands"]]
    assert all(url.endswith(EVENTS_PATH) for url in urls)
    assert MANIFEST["oauth_config"]["redirect_urls"][0].endswith("/slack/oauth_redirect")
    assert features["app_home"]["home_tab_enabled"] is True
