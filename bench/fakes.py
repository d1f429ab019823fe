"""`python -m bench.fakes PORT`: a stand-in Slack Web API and Bot Connector that answer OK."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from aiohttp import web

#: Recorded Slack responses (shared/ beside the repository); built-in answers when absent.
FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "slack"
DEFAULT = {"ok": True, "message_ts": "1700000000.000100", "channel": "C0000000001"}
BUILT_IN: dict[str, dict[str, object]] = {
    "users.info": {
        "ok": True,
        "user": {
            "id": "U0000000001",
            "name": "bench",
            "tz": "Europe/London",
            "tz_offset": 0,
            "locale": "en-GB",
            "is_bot": False,
        },
    },
    "auth.test": {
        "ok": True,
        "team_id": "T0000000001",
        "user_id": "U0000000002",
        "bot_id": "B0000000001",
        "url": "https://example.slack.com/",
        "team": "bench",
        "user": "nudge",
    },
}


def _recorded(method: str) -> dict[str, object]:
    """The recorded response of a Web API method (fixtures/slack/api_<method>.json), if any."""
    path = FIXTURES / f"api_{method.replace('.', '_')}.json"
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return BUILT_IN.get(method, DEFAULT)


async def slack_api(request: web.Request) -> web.Response:
    await request.read()
    return web.json_response(_recorded(request.match_info["method"]))


async def connector(request: web.Request) -> web.Response:
    await request.read()
    return web.json_response({"id": "1"})


async def ok(request: web.Request) -> web.Response:
    await request.read()
    return web.Response(text="ok")


def app() -> web.Application:
    application = web.Application()
    application.router.add_post("/api/{method}", slack_api)
    application.router.add_get("/api/{method}", slack_api)  # users.info and a few others use GET
    application.router.add_post("/v3/{tail:.*}", connector)
    application.router.add_put("/v3/{tail:.*}", connector)
    application.router.add_post("/respond/{tail:.*}", ok)
    application.router.add_get("/ready", ok)
    return application


if __name__ == "__main__":
    web.run_app(app(), host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
