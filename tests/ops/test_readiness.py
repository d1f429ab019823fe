"""/readyz follows the database: 503 during an outage, 200 again after it, with no restart."""

from __future__ import annotations

import socket

import aiohttp
from aiohttp.test_utils import TestServer

from bots.observability import add_readiness_check, database_check
from bots.store.db import Database
from tests.conftest import need
from tests.ops.conftest import build_app
from tests.support.tcp_proxy import Proxy


def postgres_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return True
    except OSError:
        return False


async def readyz(http: aiohttp.ClientSession, url: str) -> tuple[int, dict]:
    async with http.get(f"{url}/readyz") as response:
        return response.status, await response.json()


async def test_readyz_fails_during_a_database_outage_and_recovers(http) -> None:
    need(postgres_up(), "PostgreSQL on 127.0.0.1:5432")
    proxy = Proxy("127.0.0.1", 5432)
    await proxy.start()
    db = Database(f"postgresql+asyncpg://postgres@127.0.0.1:{proxy.port}/test")
    app, _ = build_app()
    add_readiness_check(app, "database", database_check(db))
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    url = str(server.make_url("")).rstrip("/")
    try:
        status, body = await readyz(http, url)
        assert (status, body["checks"]) == (200, {"database": "ok"}), body
        await proxy.cut()
        status, body = await readyz(http, url)
        assert status == 503 and body["ready"] is False
        assert body["checks"]["database"].startswith("failed"), body
        async with http.get(f"{url}/healthz") as alive:  # alive, just not ready: no restart
            assert alive.status == 200
        await proxy.restore()
        status, body = await readyz(http, url)
        assert (status, body["checks"]) == (200, {"database": "ok"}), body
    finally:
        await server.close()
        await db.dispose()
        await proxy.cut()


async def test_readyz_reports_a_healthy_sqlite_database(tmp_path, http) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'nudge.sqlite3'}")
    app, _ = build_app()
    add_readiness_check(app, "database", database_check(db))
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        status, body = await readyz(http, str(server.make_url("")).rstrip("/"))
    finally:
        await server.close()
        await db.dispose()
    assert status == 200 and body["checks"] == {"database": "ok"}
