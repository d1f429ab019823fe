"""Latency from request to acknowledgement for /nudge under 50 concurrent slash commands.

Runs `nudge serve` with Slack on in its own process, a fake Slack Web API on loopback in this
one, sends signed slash commands in waves of CONCURRENCY, and prints median and p99 (ms).
With --in-process the server shares this process's event loop with the client (slower).
Usage: .venv/bin/python bench/slack_ack.py [--waves 20] [--concurrency 50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.slack.conftest import SECRET, TOKEN, sign, slack_settings, start
from tests.slack.fake_slack import FakeSlack, fixture

DRAFT = (
    "Hi Sam, I guarantee the fix ships tomorrow, no problem at all. I'm always available, even "
    "weekends, so call me any time. We'll throw in the extra reports for free. Best, Dana"
)


async def one(http: aiohttp.ClientSession, url: str, user: str, fake: FakeSlack) -> float:
    form = fixture("slash_command") | {
        "command": "/nudge",
        "text": DRAFT,
        "user_id": user,
        "response_url": fake.response_url(),
    }
    body = urllib.parse.urlencode(form)
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
    started = time.perf_counter()
    async with http.post(url, data=body, headers=headers) as resp:
        payload = await resp.read()
    elapsed = time.perf_counter() - started
    assert resp.status == 200 and json.loads(payload)["text"].startswith("Nudge found"), payload[
        :200
    ]
    return elapsed * 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def serve_elsewhere(fake: FakeSlack) -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    env = os.environ | {
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_API_URL": fake.api_url,
        "NUDGE_DATABASE_URL": f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.sqlite3",
        "PORT": str(port),
        "NUDGE_LOG_LEVEL": "WARNING",
    }
    code = "from bots.cli import main; raise SystemExit(main(['serve']))"
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as http:
        for _ in range(200):
            try:
                async with http.get(f"{base}/healthz") as resp:
                    if resp.status == 200:
                        return f"{base}/slack/events", proc
            except aiohttp.ClientError:
                await asyncio.sleep(0.05)
    proc.kill()
    raise RuntimeError("the server did not start")


async def main(waves: int, concurrency: int, in_process: bool) -> None:
    import datetime as dt

    async with FakeSlack() as fake:
        if in_process:
            settings = slack_settings(fake, Path(tempfile.mkdtemp()))
            _, server = await start(settings, fake, lambda: dt.datetime.now(dt.UTC))
            url, stop = str(server.make_url("/slack/events")), server.close
        else:
            url, proc = await serve_elsewhere(fake)

            async def stop() -> None:
                proc.terminate()
                proc.wait(10)

        connector = aiohttp.TCPConnector(limit=concurrency)
        latencies: list[float] = []
        warm: list[float] = []
        async with aiohttp.ClientSession(connector=connector) as http:
            for wave in range(waves):
                users = [f"U{wave % 2:02d}{i:08d}" for i in range(concurrency)]  # waves 0,1 cold
                got = await asyncio.gather(*(one(http, url, u, fake) for u in users))
                latencies += got
                warm += got if wave >= 2 else []
        await stop()
    where = "same process" if in_process else "server in its own process"
    print(f"{concurrency} concurrent slash commands, loopback, {where}:")
    print(f"  all   {summary(latencies)} (users.info calls: {len(fake.of('users.info'))})")
    print(f"  warm  {summary(warm)} (users.info cached)")


def summary(values: list[float]) -> str:
    """n, median, p99 and max of latencies in ms."""
    if not values:
        return "n=0"
    values = sorted(values)
    p99 = values[max(0, int(len(values) * 0.99) - 1)]
    median = statistics.median(values)
    return f"n={len(values)} median {median:.1f} ms, p99 {p99:.1f} ms, max {values[-1]:.1f} ms"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--waves", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--in-process", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(args.waves, args.concurrency, args.in_process))
