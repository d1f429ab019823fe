"""Server benchmark: signed Slack slash commands and Teams activities through `nudge serve`,
beside a bare aiohttp handler doing only the Slack signature check, over loopback."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import sys
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

import aiohttp

from bench import corpus
from bench.load import MakeRequest, run_load
from bench.spawn import NUDGE, Spawned, free_port, nudge_env, spawn

SECRET = "bench-signing-secret"
STEPS = (1, 4, 16)
DRAFT = corpus.make_drafts(200, 1, seed=3)[0]


def signed(body: bytes) -> dict[str, str]:
    """Headers Slack sends: a timestamp and an HMAC-SHA256 over v0:timestamp:body."""
    timestamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    return {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": "v0=" + digest.hexdigest(),
        "Content-Type": "application/x-www-form-urlencoded",
    }


def slash_command(fake: str) -> MakeRequest:
    """`/nudge <200-word draft>` as Slack posts it (fields of fixtures/slack/slash_command.json)."""
    counter = itertools.count()

    def make() -> tuple[str, dict[str, str], bytes]:
        n = next(counter)
        form = {
            "token": "here-comes-some-token",
            "team_id": "T0000000001",
            "team_domain": "bench",
            "channel_id": "C0000000001",
            "channel_name": "clients",
            "user_id": "U0000000001",
            "user_name": "bench",
            "command": "/nudge",
            "text": DRAFT,
            "api_app_id": "A0000000001",
            "is_enterprise_install": "false",
            "response_url": f"{fake}/respond/{n}",
            "trigger_id": f"0000000000000.0000000000000.{n:032d}",
        }
        body = urllib.parse.urlencode(form).encode()
        return "/slack/events", signed(body), body

    return make


def teams_message(fake: str) -> MakeRequest:
    """A 1:1 Teams message `check <draft>` (fields of fixtures/teams/message_personal.json)."""
    counter = itertools.count()

    def make() -> tuple[str, dict[str, str], bytes]:
        n = next(counter)
        activity = {
            "type": "message",
            "id": f"bench-{n}",
            "text": f"check {DRAFT}",
            "textFormat": "plain",
            "timestamp": "2026-01-07T10:00:00.000Z",
            "channelId": "msteams",
            "serviceUrl": f"{fake}/",
            "from": {
                "id": "29:bench-user",
                "name": "Bench User",
                "aadObjectId": "00000000-0000-0000-0000-000000000005",
            },
            "conversation": {
                "conversationType": "personal",
                "tenantId": "00000000-0000-0000-0000-000000000006",
                "id": "a:bench-conversation",
            },
            "recipient": {"id": "28:00000000-0000-0000-0000-000000000007", "name": "Nudge"},
            "channelData": {"tenant": {"id": "00000000-0000-0000-0000-000000000006"}},
            "locale": "en-GB",
            "localTimezone": "Europe/London",
        }
        return "/api/messages", {"Content-Type": "application/json"}, json.dumps(activity).encode()

    return make


def playground() -> MakeRequest:
    body = json.dumps({"draft": DRAFT}).encode()
    return lambda: ("/api/check", {"Content-Type": "application/json"}, body)


async def probe(url: str, make: MakeRequest) -> int:
    """One request: its status tells whether the route exists (404) and accepts us."""
    path, headers, body = make()
    async with (
        aiohttp.ClientSession() as session,
        session.post(url + path, data=body, headers=headers) as r,
    ):
        await r.read()
        return r.status


def run(quick: bool = False, log: Callable[[str], None] = print) -> dict[str, Any]:
    duration = 1.0 if quick else 5.0
    fake_port, nudge_port, bare_port = free_port(), free_port(), free_port()
    python = sys.executable
    fake = spawn(
        [python, "-m", "bench.fakes", str(fake_port)], nudge_env(fake_port), fake_port, "/ready"
    )
    fake_url = fake.url
    env = nudge_env(
        nudge_port,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_BOT_TOKEN="xoxb-0000-bench",
        SLACK_API_URL=f"{fake_url}/api/",
        NUDGE_ENV="development",
        NUDGE_DATABASE_URL=f"sqlite+aiosqlite:////tmp/nudge-bench-{nudge_port}.sqlite3",
    )
    servers: dict[str, Spawned] = {}
    try:
        servers["bare"] = spawn(
            [python, "-m", "bench.bare", str(bare_port), SECRET], env, bare_port, "/readyz"
        )
        servers["nudge"] = spawn([str(NUDGE), "serve"], env, nudge_port, "/readyz")
        targets = [
            ("bare aiohttp + signature check", "bare", slash_command(fake_url), frozenset({200})),
            ("slack slash command", "nudge", slash_command(fake_url), frozenset({200})),
            ("teams message", "nudge", teams_message(fake_url), frozenset({200, 201, 202})),
            ("playground /api/check", "nudge", playground(), frozenset({200})),
        ]
        return asyncio.run(_measure(targets, servers, duration, log))
    finally:
        for server in [*servers.values(), fake]:
            server.stop()


async def _measure(
    targets: list, servers: dict[str, Spawned], duration: float, log: Callable[[str], None]
) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    skipped: list[str] = []
    for name, server, make, ok in targets:
        url = servers[server].url
        status = await probe(url, make)
        if status not in ok:
            skipped.append(f"{name}: answered {status} (route not mounted yet?)")
            log(f"  server {name}: skipped, probe answered {status}")
            continue
        for concurrency in STEPS:
            cpu_before = servers[server].cpu_seconds()
            result = await run_load(url, make, concurrency, duration, ok)
            # Server CPU per request (warm-up included in both): robust when the machine is busy.
            cpu = servers[server].cpu_seconds() - cpu_before
            total = result.requests + result.warmup_requests
            cpu_ms = 1000 * cpu / total if total else float("nan")
            rows.append(
                {
                    "target": name,
                    **result.to_dict(),
                    "server_cpu_ms_per_request": round(cpu_ms, 3),
                    "capacity_per_core": round(1000 / cpu_ms) if cpu_ms else None,
                }
            )
            log(
                f"  server {name:<32} c={concurrency:<3} {result.rps:8.0f} req/s  "
                f"p50 {result.p50_ms:6.2f} ms  p99 {result.p99_ms:6.2f} ms"
            )
    rss = servers["nudge"].rss_mib()
    return {
        "duration_s": duration,
        "steps": list(STEPS),
        "rows": rows,
        "skipped": skipped,
        "nudge_rss_mib_after_load": round(rss, 1),
    }
