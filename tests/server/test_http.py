"""The server over real HTTP on loopback: health, readiness, the playground's JSON endpoint."""

from __future__ import annotations

import io
import json

import aiohttp
import pytest

from tests.server.conftest import Served

MARKER = "ZEBRA-CONFIDENTIAL-7731"


async def post(served: Served, body: object, raw: bytes | None = None) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as session:
        data = raw if raw is not None else json.dumps(body).encode()
        async with session.post(
            f"{served.url}/api/check", data=data, headers={"Content-Type": "application/json"}
        ) as response:
            return response.status, await response.json()


async def test_health_and_readiness(server):
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{server.url}/healthz") as response:
            assert response.status == 200 and (await response.json())["status"] == "ok"
        async with session.get(f"{server.url}/readyz") as response:
            body = await response.json()
            assert response.status == 200 and body["ready"] is True
            assert body["policy"]["version"].startswith("default@")


async def test_check_endpoint_returns_the_report_contract(server):
    status, body = await post(
        server,
        {
            "draft": f"Hi Jo, I guarantee it ships Friday. {MARKER}",
            "client_message": "I'm worried about the launch.",
            "sent_at": "2026-03-04T21:30",
            "timezone": "America/New_York",
        },
    )
    assert status == 200
    assert {"findings", "rewrite", "after_hours", "client", "policy", "summary"} <= set(body)
    assert body["after_hours"] is True
    assert body["client"]["mood"] == "anxious"
    assert "overpromise.guarantee" in {f["rule"] for f in body["findings"]}


@pytest.mark.parametrize(
    ("body", "raw", "status", "needle"),
    [
        (None, b"{broken", 400, "must be JSON"),
        ([1, 2], None, 400, "JSON object"),
        ({"draft": ""}, None, 422, "empty"),
        ({"draft": 5}, None, 422, "string"),
        ({"draft": "ok", "timezone": "Nowhere/Land"}, None, 422, "unknown time zone"),
        ({"draft": "ok", "sent_at": "not a time"}, None, 422, "ISO-8601"),
        ({"draft": "x" * 20_001}, None, 422, "limit"),
        ({"draft": "nul\u0000"}, None, 422, "NUL"),
    ],
)
async def test_bad_requests_get_clear_errors(server, body, raw, status, needle):
    got_status, got = await post(server, body, raw)
    assert got_status == status and needle in got["error"]


async def test_oversized_body_is_refused_not_crashing(server):
    async with aiohttp.ClientSession() as session:
        async with session.post(
            f"{server.url}/api/check", data=io.BytesIO(b"x" * (2 * 1024 * 1024))
        ) as response:
            assert response.status == 413
        async with session.get(f"{server.url}/healthz") as response:
            assert response.status == 200


async def test_draft_text_never_reaches_the_log(server):
    # Send the marker here (not rely on another test), in a draft and a client message.
    status, body = await post(server, {"draft": f"I guarantee {MARKER}.", "client_message": MARKER})
    assert status == 200 and body["findings"]
    # One more request after ours, so the server has logged (and flushed) the first one.
    async with aiohttp.ClientSession() as session, session.get(f"{server.url}/healthz") as response:
        assert response.status == 200
    log = server.log.read_text(errors="replace")
    assert '"route": "/api/check"' in log  # the request itself was logged
    assert MARKER not in log
