"""SIGTERM: stop accepting, finish what is in flight, exit 0 within NUDGE_SHUTDOWN_TIMEOUT."""

from __future__ import annotations

import asyncio
import json
import signal
import time

import aiohttp
import pytest

from bots.store.admin import db_upgrade
from tests.conftest import need
from tests.ops.conftest import serve_env, start_server, stop
from tests.ops.test_readiness import postgres_up
from tests.store.databases import create_pg_database, drop_pg_database
from tests.support.tcp_proxy import Proxy

BODY = json.dumps({"draft": "I guarantee the parts arrive Friday."}).encode()


async def refused(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return True
    writer.close()
    await writer.wait_closed()
    return False


async def wait_exit(process, timeout: float) -> int | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return process.returncode
        await asyncio.sleep(0.05)
    return None


async def test_sigterm_finishes_the_request_in_flight_then_exits_0(tmp_path) -> None:
    # The slow request: /readyz asking a database whose every reply is held back 0.15 s.
    need(postgres_up(), "PostgreSQL on 127.0.0.1:5432")
    direct = await asyncio.to_thread(create_pg_database)  # a throwaway database, migrated
    assert await asyncio.to_thread(db_upgrade, direct) == 0
    proxy = Proxy("127.0.0.1", 5432)
    await proxy.start()
    url = direct.replace("@127.0.0.1:5432/", f"@127.0.0.1:{proxy.port}/")
    env = serve_env(tmp_path, NUDGE_SHUTDOWN_TIMEOUT="10", NUDGE_DATABASE_URL=url)
    # In a thread: the proxy runs on this event loop and must keep forwarding meanwhile.
    server = await asyncio.to_thread(start_server, tmp_path, env)
    port = int(env["PORT"])
    try:
        proxy.delay = 0.15
        async with aiohttp.ClientSession() as http:
            slow = asyncio.create_task(http.get(f"{server.url}/readyz"))
            await asyncio.sleep(0.2)
            assert not slow.done()
            started = time.monotonic()
            server.process.send_signal(signal.SIGTERM)
            await asyncio.sleep(0.1)
            assert not slow.done() and server.process.poll() is None, "did not wait for the request"
            assert await refused(port), "still accepting new connections after SIGTERM"
            response = await asyncio.wait_for(slow, 5)
            # The handler ran to the end and answered (whether the slow database made its 2 s
            # bound is beside the point here; a cut-off request would have no response at all).
            assert response.status in (200, 503)
            assert "database" in (await response.json())["checks"]
            response.release()
        assert await wait_exit(server.process, 5) == 0, server.logs()
        assert time.monotonic() - started < 10
    finally:
        stop(server.process)
        await proxy.cut()
        await asyncio.to_thread(drop_pg_database, direct)


@pytest.mark.slow
async def test_a_request_that_never_finishes_does_not_hold_the_exit(tmp_path) -> None:
    env = serve_env(tmp_path, NUDGE_SHUTDOWN_TIMEOUT="1")
    server = start_server(tmp_path, env)
    try:
        # A body that never finishes arriving: the handler waits for it until the bound.
        _reader, writer = await asyncio.open_connection("127.0.0.1", int(env["PORT"]))
        writer.write(
            f"POST /api/check HTTP/1.1\r\nHost: x\r\nContent-Length: {len(BODY)}\r\n\r\n".encode()
            + BODY[:10]
        )
        await writer.drain()
        await asyncio.sleep(0.2)
        started = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        code = await wait_exit(server.process, 8)
        writer.close()
        assert code == 0, server.logs()
        assert time.monotonic() - started < 4  # the 1 s bound, plus interpreter teardown
    finally:
        stop(server.process)
