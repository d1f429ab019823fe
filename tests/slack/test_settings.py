"""A half-configured Slack stops `nudge serve` with a clear message; a whole one mounts Slack."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bots.policy_host import PolicyHost
from bots.server import create_app
from bots.settings import SettingsError, load_settings
from tests.conftest import POLICIES, TEMPLATES

SERVE = "from bots.cli import main; raise SystemExit(main(['serve', '--port', '0']))"


def serve_with(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    keep = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_", "NUDGE_"))
    }
    keep |= {"NUDGE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}"} | env
    return subprocess.run(
        [sys.executable, "-c", SERVE],
        env=keep,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not"),
        ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not"),
        ({"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_SIGNING_SECRET"),
        (
            {"SLACK_APP_TOKEN": "xapp-1", "SLACK_SIGNING_SECRET": "s", "SLACK_CLIENT_ID": "1"},
            "SLACK_CLIENT_SECRET",
        ),
    ],
)
def test_half_configured_slack_is_refused(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(**env)
    assert message in str(caught.value)
    assert "xoxb-1" not in str(caught.value) and "xapp-1" not in str(caught.value)


def test_half_configured_slack_stops_nudge_serve(tmp_path: Path) -> None:
    done = serve_with(tmp_path, SLACK_BOT_TOKEN="xoxb-1")
    assert done.returncode == 2
    assert "SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not" in done.stderr
    assert "xoxb-1" not in done.stderr


def test_slack_routes_exist_only_when_configured(tmp_path: Path) -> None:
    host = PolicyHost(POLICIES, TEMPLATES)
    host.reload()
    base = {"NUDGE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}"}
    off = create_app(load_settings(**base), host)
    on = create_app(load_settings(**base, SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s"), host)

    def paths(app: object) -> set[str]:
        return {r.resource.canonical for r in app.router.routes()}  # type: ignore[attr-defined]

    assert "/slack/events" not in paths(off)
    assert "/slack/events" in paths(on) and "/slack/install" not in paths(on)
