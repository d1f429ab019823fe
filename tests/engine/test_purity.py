"""The engine imports no platform, network or storage module (checked in a fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

FORBIDDEN = (
    "slack_bolt",
    "slack_sdk",
    "botbuilder",
    "aiohttp",
    "sqlalchemy",
    "asyncpg",
    "aiosqlite",
    "alembic",
)

SCRIPT = f"""
import sys, datetime as dt
from pathlib import Path
import bots.engine
from bots.engine import Draft, check, load_policy_dir
policy = load_policy_dir(Path("policies")).default
now = dt.datetime(2026, 1, 7, 10, tzinfo=dt.UTC)
check(Draft("I guarantee it. Call me any time."), policy, now=now)
loaded = sorted({{m.split(".")[0] for m in sys.modules}} & set({FORBIDDEN!r}))
print(",".join(loaded))
"""


def test_engine_loads_and_checks_without_platform_modules():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"bots.engine pulled in: {result.stdout.strip()}"


def test_engine_source_never_reads_the_clock():
    offenders = []
    for path in (ROOT / "bots" / "engine").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in ("datetime.now(", "dt.datetime.now(", "time.time(", "date.today("):
            if needle in text:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert offenders == []
