"""A server loads the platform SDKs, Alembic and the PostgreSQL dialect only for what it is
configured to do (each costs MiB and start-up time); checked in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bots.cli import main as nudge
from tests.conftest import POLICIES, ROOT, TEMPLATES

HEAVY = ("slack_bolt", "slack_sdk", "botbuilder", "alembic", "sqlalchemy.dialects.postgresql")

SCRIPT = """
import json, sys
from bots.policy_host import PolicyHost
from bots.server import create_app
from bots.settings import load_settings
from bots.store.admin import schema_problem
settings = load_settings(**json.loads(sys.argv[1]))
assert schema_problem(settings.database_url) is None
host = PolicyHost(settings.policy_dir, settings.template_dir)
assert host.reload().ok
create_app(settings, host)
heavy = sys.argv[2].split(",")
print(",".join(h for h in heavy if any(m == h or m.startswith(h + ".") for m in sys.modules)))
"""


def loaded(tmp_path: Path, **settings: str) -> set[str]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'n.sqlite3'}"
    assert nudge(["db", "upgrade", "--database-url", url]) == 0  # the start-up check passes
    values = {
        "NUDGE_POLICY_DIR": str(POLICIES),
        "NUDGE_TEMPLATE_DIR": str(TEMPLATES),
        "NUDGE_DATABASE_URL": url,
        **settings,
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(values), ",".join(HEAVY)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return set(filter(None, result.stdout.strip().split(",")))


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"NUDGE_ENV": "production"}, set()),  # on SQLite: no PostgreSQL dialect either
        ({"NUDGE_ENV": "development"}, {"botbuilder"}),  # Teams for the Emulator
        (
            {
                "NUDGE_ENV": "production",
                "SLACK_SIGNING_SECRET": "s",
                "SLACK_BOT_TOKEN": "xoxb-0000-test",
            },
            {"slack_bolt", "slack_sdk"},
        ),
    ],
    ids=["nothing", "development", "slack"],
)
def test_only_the_configured_platforms_are_imported(tmp_path, settings, expected):
    assert loaded(tmp_path, **settings) == expected
