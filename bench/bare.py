"""`python -m bench.bare PORT SECRET`: the floor, aiohttp plus the Slack signature check only."""

from __future__ import annotations

import sys

from aiohttp import web
from slack_sdk.signature import SignatureVerifier


def app(secret: str) -> web.Application:
    verifier = SignatureVerifier(secret)

    async def events(request: web.Request) -> web.Response:
        body = (await request.read()).decode("utf-8")
        if not verifier.is_valid_request(body, dict(request.headers)):
            return web.Response(status=401)
        return web.json_response({"response_type": "ephemeral", "text": "checked"})

    async def ready(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    application = web.Application()
    application.router.add_post("/slack/events", events)
    application.router.add_get("/readyz", ready)
    return application


if __name__ == "__main__":
    web.run_app(
        app(sys.argv[2]), host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None
    )
