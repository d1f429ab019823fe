"""`/` serves the playground page; `/api/check` checks a draft for it (JSON in, JSON out)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from aiohttp import web

from bots.checking import Checker
from bots.engine import Draft, DraftError
from bots.engine.hours import zone

PAGE = Path(__file__).with_name("playground.html")
CHECKER = web.AppKey("playground_checker", Checker)


def add_routes(app: web.Application, checker: Checker) -> None:
    app[CHECKER] = checker
    app.router.add_get("/", page)
    app.router.add_post("/api/check", check_draft)


async def page(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(PAGE, headers={"Cache-Control": "no-store", **_SECURITY_HEADERS})


_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def check_draft(request: web.Request) -> web.Response:
    try:
        body = await request.json(loads=json.loads)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _error(400, 'the request body must be JSON: {"draft": "..."}')
    if not isinstance(body, dict):
        return _error(400, "the request body must be a JSON object")
    try:
        draft = _draft(body)
        policy = request.app[CHECKER].policy_for(draft)  # once: it may mean detecting the language
        report = request.app[CHECKER].check(draft, policy)
    except (DraftError, ValueError, TypeError) as exc:
        return _error(422, str(exc))
    summary = policy.named["summary.j2"].render(
        findings=[f.to_dict() for f in report.findings],
        mood=report.client.mood,
        after_hours=report.after_hours,
    )
    return web.json_response(
        {**report.to_dict(), "summary": summary.strip(), "office_hours": policy.hours.describe()}
    )


def _draft(body: dict[str, Any]) -> Draft:
    text = body.get("draft")
    if not isinstance(text, str):
        raise TypeError("`draft` must be a string")
    client = body.get("client_message") or None
    if client is not None and not isinstance(client, str):
        raise TypeError("`client_message` must be a string")
    timezone = body.get("timezone") or None
    if timezone is not None:
        zone(str(timezone))
    return Draft(text, client, _sent_at(body.get("sent_at"), timezone), timezone=timezone)


def _sent_at(value: Any, timezone: str | None) -> dt.datetime | None:
    if not value:
        return None
    if not isinstance(value, str):
        raise TypeError("`sent_at` must be an ISO-8601 string")
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"`sent_at` {value!r} is not an ISO-8601 time") from None
    if moment.tzinfo is None and timezone:
        moment = moment.replace(tzinfo=zone(timezone))
    return moment
