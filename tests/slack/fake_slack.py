"""A local fake of Slack's Web API and of response_url endpoints, recording what it receives.

Answers with the recorded bodies in tests/slack/fixtures/api_*.json. Reusable by any test
that points slack_sdk at it (base_url = fake.api_url).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

#: Copies of /work/shared/fixtures/slack (provenance in SOURCES.md there), so a fresh clone runs.
FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> dict[str, Any]:
    """A Slack fixture file as a dict (a fresh copy each time)."""
    return json.loads((FIXTURES / f"{name}.json").read_text())


@dataclass(frozen=True)
class Call:
    """One request the fake received."""

    method: str  # a Web API method ("views.open") or "response_url"
    params: dict[str, Any]
    headers: dict[str, str]
    path: str


@dataclass
class Scripted:
    """How the fake answers one method instead of its default."""

    body: dict[str, Any]
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def _default_bodies() -> dict[str, dict[str, Any]]:
    opened = fixture("api_views_open")
    return {
        "auth.test": fixture("api_auth_test"),
        "users.info": fixture("api_users_info"),
        "chat.postEphemeral": fixture("api_chat_postEphemeral"),
        "chat.postMessage": {"ok": True, "channel": "D0000000001", "ts": "1502210682.580146"},
        "views.open": opened,
        "views.update": opened,
        "views.publish": opened,
        "apps.connections.open": {"ok": True, "url": "ws://127.0.0.1:0/socket"},
    }


class FakeSlack:
    """Start with `async with FakeSlack() as fake:`; then fake.api_url and fake.response_url(n)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.posted: list[Call] = []  # chat.postMessage calls answered ok: what a DM now holds
        self.bodies = _default_bodies()
        self.scripts: dict[str, list[Scripted]] = {}
        self.sticky: dict[str, Scripted] = {}
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{key}", self._response_url)
        app.router.add_get("/socket", self._socket)
        self.outbox: asyncio.Queue[dict[str, Any]] = (
            asyncio.Queue()
        )  # envelopes to push (Socket Mode)
        self.server = TestServer(app, host="127.0.0.1", port=0)

    async def __aenter__(self) -> FakeSlack:
        await self.server.start_server()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.server.close()

    @property
    def base(self) -> str:
        return str(self.server.make_url("")).rstrip("/")

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def response_url(self, key: str = "1") -> str:
        return f"{self.base}/response/{key}"

    def script(
        self,
        method: str,
        body: dict[str, Any],
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        always: bool = False,
    ) -> None:
        """Answer `method` differently: once (queued), or always."""
        scripted = Scripted(body, status, headers or {}, delay)
        if always:
            self.sticky[method] = scripted
        else:
            self.scripts.setdefault(method, []).append(scripted)

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """The calls of `method` once there are at least `count` (fails after `timeout`)."""

        async def enough() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.of(method)) >= count)

        await asyncio.wait_for(enough(), timeout)
        return self.of(method)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """A Socket Mode link: says hello, pushes queued envelopes, records the app's acks."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1})

        async def push() -> None:
            while True:
                await ws.send_json(await self.outbox.get())

        pusher = asyncio.create_task(push())
        try:
            async for message in ws:
                if message.type == web.WSMsgType.TEXT:
                    await self._record(Call("socket_ack", json.loads(message.data), {}, "/socket"))
        finally:
            pusher.cancel()
        return ws

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.can_read_body:
            params.update(dict(await request.post()))
        for key in ("view", "blocks"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        return params

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        call = Call(method, params, dict(request.headers), request.path)
        await self._record(call)
        queue = self.scripts.get(method)
        scripted = queue.pop(0) if queue else self.sticky.get(method)
        if scripted is None:
            body = self.bodies.get(method, {"ok": False, "error": "unknown_method"})
            if method == "apps.connections.open":
                body = {"ok": True, "url": self.base.replace("http", "ws", 1) + "/socket"}
            if method == "conversations.open":
                body = {"ok": True, "channel": {"id": "D" + str(params.get("users", ""))}}
            if method == "conversations.history":
                body = {"ok": True, "messages": self._dm_history(str(params.get("channel", "")))}
            self._note_posted(call, 200, body)
            return web.json_response(body)
        if scripted.delay:
            await asyncio.sleep(scripted.delay)
        self._note_posted(call, scripted.status, scripted.body)
        return web.json_response(scripted.body, status=scripted.status, headers=scripted.headers)

    def _note_posted(self, call: Call, status: int, body: dict[str, Any]) -> None:
        if call.method == "chat.postMessage" and status == 200 and body.get("ok"):
            self.posted.append(call)

    def _dm_history(self, channel: str) -> list[dict[str, Any]]:
        """What a DM holds, as Slack would return it: the bot's posts to that user, newest first."""
        posts = [c for c in self.posted if "D" + str(c.params.get("channel")) == channel]
        return [
            {"type": "message", "text": c.params.get("text"), "metadata": c.params.get("metadata")}
            for c in reversed(posts)
        ]

    async def _response_url(self, request: web.Request) -> web.Response:
        params = await request.json()
        await self._record(Call("response_url", params, dict(request.headers), request.path))
        queue = self.scripts.get("response_url")
        scripted = queue.pop(0) if queue else self.sticky.get("response_url")
        if scripted is not None:
            if scripted.delay:
                await asyncio.sleep(scripted.delay)
            return web.Response(status=scripted.status, text="error")
        return web.Response(text="ok")


def ratelimited() -> Scripted:
    """The recorded 429 (with its Retry-After header) as a scripted answer."""
    raw = fixture("api_error_ratelimited")
    keep = {k: v for k, v in raw["headers"].items() if k in ("retry-after", "x-slack-req-id")}
    return Scripted(raw["body"], raw["status"], keep)
