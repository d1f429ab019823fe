"""Network-edge fakes: a platform recording POSTs (dedupe-aware), an HTTP notifier, a clock."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from bots.reminders.notify import DeliveryError, Notice

#: A Wednesday 10:00 UTC; tests move it forward by hand.
START = dt.datetime(2026, 1, 7, 10, 0, tzinfo=dt.UTC)


class FakeClock:
    """A clock tests move by hand; the worker calls it each time it needs the time."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@dataclass
class Reply:
    status: int
    headers: dict[str, str] = field(default_factory=dict)


class FakePlatform:
    """A chat platform's message endpoint on loopback.

    Like Slack's `client_msg_id`, a POST whose idempotency key was already shown is acknowledged
    without showing it again: `shown` is what users see, `posts` is every request received.
    """

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.shown: dict[str, dict[str, Any]] = {}
        self.replies: list[Reply] = []  # served in order before answering 200
        self.delay = 0.0
        self.url = ""
        self._runner: web.AppRunner | None = None

    @property
    def duplicates(self) -> int:
        """POSTs of a key already shown (a resend after a crash), suppressed by the key."""
        counts = Counter(p["idempotency_key"] for p in self.posts)
        return sum(n - 1 for n in counts.values())

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/notify", self._notify)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/notify"

    async def close(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    async def _notify(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.posts.append(body)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.replies:
            reply = self.replies.pop(0)
            return web.json_response({"ok": False}, status=reply.status, headers=reply.headers)
        self.shown.setdefault(body["idempotency_key"], body)
        return web.json_response({"ok": True})


class HttpNotifier:
    """A minimal Notifier over HTTP, used only in tests: maps status codes to DeliveryError."""

    def __init__(self, platform: str, url: str) -> None:
        self.platform = platform
        self.url = url
        self._session: aiohttp.ClientSession | None = None

    async def send(self, notice: Notice) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        body = {
            "user_id": notice.user_id,
            "channel_id": notice.channel_id,
            "text": notice.text,
            "idempotency_key": notice.idempotency_key,
        }
        try:
            async with self._session.post(self.url, json=body) as response:
                status, headers = response.status, response.headers
        except aiohttp.ClientError as exc:
            raise DeliveryError(f"network: {exc}", retryable=True) from exc
        if status == 429:
            after = float(headers.get("Retry-After", "1"))
            raise DeliveryError("rate limited", retryable=True, retry_after=after)
        if status >= 500:
            raise DeliveryError(f"server error {status}", retryable=True)
        if status >= 400:
            raise DeliveryError(f"rejected {status}", retryable=False)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
