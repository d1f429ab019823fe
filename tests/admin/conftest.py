"""Fixtures for the admin surface: a private copy of policies/, a real SQLite file, a server."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web

from bots.policy_host import PolicyHost
from bots.server import create_app
from bots.settings import Settings, load_settings
from bots.store.db import Database
from bots.store.models import Base
from tests.conftest import POLICIES, TEMPLATES

TOKEN = "admin-token-for-tests-0123456789"
#: Drafts are confidential: tests send these and then prove they appear nowhere on /admin.
SECRET_DRAFTS = (
    "Zanzibar-7 I guarantee the Okonkwo permit lands Friday, you have my word.",
    "Quillfeather: I'm sorry, this will never happen again, consider it done.",
)


@pytest.fixture
def policy_dir(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(POLICIES, target)
    return target


@pytest.fixture
def host(policy_dir: Path) -> PolicyHost:
    host = PolicyHost(policy_dir, TEMPLATES)
    assert host.reload("startup").ok
    return host


def settings_for(policy_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "NUDGE_POLICY_DIR": str(policy_dir),
        "NUDGE_TEMPLATE_DIR": str(TEMPLATES),
        "NUDGE_ADMIN_TOKEN": TOKEN,
        "NUDGE_POLICY_WATCH_SECONDS": 0,
        "NUDGE_DATABASE_URL": f"sqlite+aiosqlite:///{policy_dir.parent / 'empty.sqlite3'}",
        **overrides,
    }
    return load_settings(**values)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'nudge.sqlite3'}")
    async with database.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    yield database
    await database.dispose()


Serve = Callable[[web.Application], Awaitable[str]]


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    """Start apps on random loopback ports; yields a function returning the base URL."""
    runners: list[web.AppRunner] = []

    async def start(app: web.Application) -> str:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        port = runner.addresses[0][1]
        return f"http://127.0.0.1:{port}"

    yield start
    for runner in runners:
        await runner.cleanup()


@pytest.fixture
def make_app(policy_dir: Path, host: PolicyHost) -> Callable[..., web.Application]:
    def build(db: Database | None = None, **overrides: object) -> web.Application:
        if db is not None:  # the server opens its own pool on the test's database file
            overrides.setdefault("NUDGE_DATABASE_URL", db.url.render_as_string(hide_password=False))
        return create_app(settings_for(policy_dir, **overrides), host)

    return build


MONDAY = dt.date(2026, 1, 5)
