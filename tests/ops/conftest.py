"""Operations test helpers: a real `nudge serve` subprocess, and an in-process app on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bots.checking import Checker
from bots.policy_host import PolicyHost
from bots.server import create_app
from bots.settings import load_settings
from tests.conftest import POLICIES, ROOT, TEMPLATES

NUDGE = Path(sys.executable).with_name("nudge")


def slash_form(text: str, url: str) -> dict[str, str]:
    """The form fields of a `/nudge <text>` slash command, as Slack posts them."""
    return {
        "command": "/nudge",
        "text": text,
        "team_id": "T0000000001",
        "user_id": "U0000000001",
        "channel_id": "C0000000001",
        "trigger_id": "0.0.1",
        "response_url": f"{url}/nowhere",
        "api_app_id": "A0000000001",
        "token": "x",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Served:
    """A running `nudge serve` subprocess and where it listens."""

    process: subprocess.Popen[bytes]
    url: str
    log_path: Path

    def logs(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def serve_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A clean environment for `nudge serve`: bundled policies, a SQLite file in tmp_path."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("NUDGE_", "SLACK_", "MICROSOFT_"))
    }
    env.update(
        NUDGE_POLICY_DIR=str(POLICIES),
        NUDGE_TEMPLATE_DIR=str(TEMPLATES),
        NUDGE_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'nudge.sqlite3'}",
        NUDGE_HOST="127.0.0.1",
        PORT=str(free_port()),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def start_server(tmp_path: Path, env: dict[str, str], timeout: float = 20.0) -> Served:
    """Start `nudge serve` (logs to a file) and wait until /readyz answers 200."""
    log_path = tmp_path / f"serve-{env['PORT']}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([str(NUDGE), "serve"], env=env, cwd=ROOT, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{env['PORT']}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"nudge serve exited with {process.returncode}:\n{log_path.read_text()}"
            )
        try:
            with socket.create_connection(("127.0.0.1", int(env["PORT"])), timeout=0.2):
                pass
        except OSError:
            time.sleep(0.05)
            continue
        if _ready(url):
            return Served(process, url, log_path)
        time.sleep(0.05)
    process.kill()
    raise AssertionError(f"nudge serve was not ready within {timeout} s:\n{log_path.read_text()}")


def _ready(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """`nudge serve` with default settings; stopped (SIGTERM, then kill) after the test."""
    server = start_server(tmp_path, serve_env(tmp_path))
    yield server
    stop(server.process)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def build_app(**settings: object) -> tuple[web.Application, PolicyHost]:
    host = PolicyHost(POLICIES, TEMPLATES)
    assert host.reload().ok
    app = create_app(load_settings(**settings), host, Checker(host))
    return app, host


@pytest.fixture
async def app_url() -> AsyncIterator[tuple[web.Application, str]]:
    """The real application on a random loopback port, in this process."""
    app, _ = build_app()
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield app, str(server.make_url("")).rstrip("/")
    finally:
        await server.close()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session
