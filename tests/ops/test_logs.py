"""Request ids in and out, on every log line of the request; and no draft text in any log."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import urllib.parse
from collections.abc import Iterator

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bench.server import SECRET, signed
from bots.logs import JsonFormatter

MARKER = "zqxj-marker-7f3a9c"


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Capture every JSON log line in this process (root at DEBUG), restoring logging after."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)


def entries(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


async def test_a_given_request_id_is_echoed_and_tags_the_log_lines(
    app_url, http, log_lines
) -> None:
    _, url = app_url
    headers = {"X-Request-Id": "lb-1234.abcd"}
    async with http.post(
        f"{url}/api/check", json={"draft": "Thanks, noted."}, headers=headers
    ) as r:
        assert r.status == 200
        assert r.headers["X-Request-Id"] == "lb-1234.abcd"
    access = [
        e for e in entries(log_lines) if e["msg"] == "request" and e.get("route") == "/api/check"
    ]
    assert access, log_lines.getvalue()
    assert access[-1]["request_id"] == "lb-1234.abcd"
    assert access[-1]["status"] == 200 and access[-1]["method"] == "POST"


async def test_a_missing_or_hostile_request_id_is_replaced(app_url, http) -> None:
    _, url = app_url
    async with http.get(f"{url}/healthz") as r:
        fresh = r.headers["X-Request-Id"]
    async with http.get(
        f"{url}/healthz", headers={"X-Request-Id": 'x" injected=1 ' + "a" * 300}
    ) as r:
        replaced = r.headers["X-Request-Id"]
    async with http.get(f"{url}/nowhere") as r:
        assert r.status == 404 and r.headers["X-Request-Id"]
    assert len(fresh) == 32 and len(replaced) == 32 and fresh != replaced


async def test_no_draft_or_client_text_reaches_the_logs_of_a_running_server(tmp_path) -> None:
    from bench.fakes import app as fake_platforms
    from tests.ops.conftest import serve_env, start_server, stop

    fake = TestServer(fake_platforms(), host="127.0.0.1")  # Slack Web API stand-in
    await fake.start_server()
    slack = {
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": "xoxb-0000-test",
        "SLACK_API_URL": str(fake.make_url("/api/")),
    }
    env = serve_env(tmp_path, NUDGE_LOG_LEVEL="DEBUG", **slack)
    server = await asyncio.to_thread(start_server, tmp_path, env)
    try:
        async with aiohttp.ClientSession() as http:
            await _send_marker_everywhere(http, server.url)
            await _send_marker_to_slack(http, server.url)
    finally:
        stop(server.process)
        await fake.close()
    logs = server.logs()
    assert '"route": "/slack/events"' in logs  # the server did log these requests (at DEBUG)
    assert [line for line in logs.splitlines() if MARKER in line] == []


async def _send_marker_to_slack(http: aiohttp.ClientSession, url: str) -> None:
    from tests.ops.conftest import slash_form

    # The marker sits in a sentence the rewrite keeps, so the answer quotes it at any hour (after
    # hours, the late-reply finding quotes the first sentence too; in office hours nothing would).
    form = slash_form(f"I guarantee it ships Friday. The order number is {MARKER}.", url)
    body = urllib.parse.urlencode(form).encode()
    async with http.post(f"{url}/slack/events", data=body, headers=signed(body)) as r:
        assert r.status == 200 and MARKER in await r.text()  # the ephemeral answer quotes it
    bad = {**signed(body), "X-Slack-Signature": "v0=" + "0" * 64}
    async with http.post(f"{url}/slack/events", data=body, headers=bad) as r:
        assert r.status == 401


async def _send_marker_everywhere(http: aiohttp.ClientSession, url: str) -> None:
    body = {
        "draft": f"I guarantee it ships Friday. The order number is {MARKER}.",
        "client_message": f"Where is it? {MARKER}",
    }
    async with http.post(f"{url}/api/check", json=body) as r:
        assert r.status == 200 and MARKER in await r.text()  # the writer sees it; logs must not
    async with http.post(f"{url}/api/check", data=f"{{broken {MARKER}".encode()) as r:
        assert r.status == 400
    async with http.post(f"{url}/api/check", json={"draft": f"\x00{MARKER}"}) as r:
        assert r.status in (400, 422)
    async with http.get(f"{url}/missing/{MARKER}?q={MARKER}") as r:
        assert r.status == 404
