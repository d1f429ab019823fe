"""/admin: the dashboard page, sign-in, and the JSON API (reload, summary, effective policy)."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from bots.admin import auth, charts
from bots.admin.show import effective
from bots.admin.stats import dashboard_data
from bots.admin.tally import Tally
from bots.policy_host import PolicyHost
from bots.store.db import Database

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
PAGES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def _when(value: str | None) -> str:
    """An ISO timestamp as `2026-01-07 10:00 UTC` (stored in UTC)."""
    return f"{value[:16].replace('T', ' ')} UTC" if value else "never"


PAGES.filters["when"] = _when


@dataclass
class AdminConfig:
    """What the admin pages need, stored on the app once."""

    host: PolicyHost
    token: str | None
    db: Database | None = None
    threshold: float = 0.3
    min_sample: int = 20
    secure_cookies: bool = False  # production sits behind TLS even when the proxy speaks HTTP
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
    tally: Tally = field(init=False)

    def __post_init__(self) -> None:
        self.tally = Tally(lambda: self.clock())


CONFIG = web.AppKey("admin_config", AdminConfig)


def add_routes(app: web.Application, config: AdminConfig) -> None:
    app[CONFIG] = config
    app.router.add_get("/admin", guarded(dashboard, page=True))
    app.router.add_get("/admin/", guarded(dashboard, page=True))
    app.router.add_get("/admin/login", login_form)
    app.router.add_post("/admin/login", login)
    app.router.add_post("/admin/logout", logout)
    app.router.add_get("/admin/api/summary", guarded(summary))
    app.router.add_get("/admin/api/policy", guarded(policy_view))
    app.router.add_post("/admin/api/reload", guarded(reload_now))


def _headers(nonce: str = "") -> dict[str, str]:
    script = f"'nonce-{nonce}'" if nonce else "'none'"
    return {
        "Content-Security-Policy": "default-src 'self'; style-src 'unsafe-inline'; "
        f"script-src {script}; "
        "frame-ancestors 'none'; form-action 'self'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }


def _disabled() -> web.Response:
    return web.Response(status=404, text=auth.DISABLED, headers=_headers())


def guarded(handler: Handler, page: bool = False) -> Handler:
    """Require the admin token (Bearer or session cookie); cookie POSTs need our own header."""

    async def wrapper(request: web.Request) -> web.StreamResponse:
        token = request.app[CONFIG].token
        if not token:
            return _disabled()
        how = auth.authenticated(request, token)
        if how is None:
            if page:
                raise web.HTTPSeeOther("/admin/login", headers=_headers())
            return web.json_response(
                {"error": "admin token required"}, status=401, headers=_headers()
            )
        # A cross-site form cannot set custom headers, so this stops CSRF on cookie sessions.
        if (
            how == "cookie"
            and request.method == "POST"
            and "X-Requested-With" not in request.headers
        ):
            return web.json_response({"error": "missing X-Requested-With"}, status=403)
        return await handler(request)

    return wrapper


def _render(name: str, status: int = 200, **values: Any) -> web.Response:
    nonce = secrets.token_urlsafe(16)
    html = PAGES.get_template(name).render(nonce=nonce, **values)
    return web.Response(text=html, status=status, content_type="text/html", headers=_headers(nonce))


async def login_form(request: web.Request) -> web.Response:
    if not request.app[CONFIG].token:
        return _disabled()
    return _render("login.html", error=None)


async def login(request: web.Request) -> web.StreamResponse:
    token = request.app[CONFIG].token
    if not token:
        return _disabled()
    form = await request.post()
    offered = form.get("token")
    if not isinstance(offered, str) or not auth.token_matches(token, offered):
        return _render("login.html", status=401, error="That token is not right.")
    response = web.HTTPSeeOther("/admin", headers=_headers())
    auth.set_session(response, request, token, secure=request.app[CONFIG].secure_cookies)
    raise response


async def logout(request: web.Request) -> web.StreamResponse:
    response = web.HTTPSeeOther("/admin/login", headers=_headers())
    auth.clear_session(response)
    raise response


async def _data(request: web.Request) -> dict[str, Any]:
    config = request.app[CONFIG]
    today = config.clock().date()
    try:
        await config.tally.flush(config.db)  # this replica's latest checks, before reading
        return await dashboard_data(
            config.db, today, threshold=config.threshold, min_sample=config.min_sample
        )
    except SQLAlchemyError as exc:
        # The page still shows the policy and reloads when the database is down or not migrated.
        log.warning("dashboard cannot read the database", extra={"error": type(exc).__name__})
        empty = await dashboard_data(
            None, today, threshold=config.threshold, min_sample=config.min_sample
        )
        return {**empty, "database_error": type(exc).__name__}


async def dashboard(request: web.Request) -> web.Response:
    config = request.app[CONFIG]
    data = await _data(request)
    return _render(
        "dashboard.html",
        data=data,
        charts=_charts(data),
        policy=config.host.describe(),
        history=[o.to_dict() for o in reversed(config.host.history)],
    )


def _charts(data: dict[str, Any]) -> dict[str, Any]:
    rules = data["rules"]
    noisy = frozenset(r["rule"] for r in rules if r["noisy"])
    top = sorted(((r["rule"], r["shown"]) for r in rules if r["shown"]), key=lambda t: -t[1])[:10]
    rated = [(r["rule"], r["dismissal_rate"]) for r in rules if r["shown"] or r["dismissed"]]
    shadow = sorted(((r["rule"], r["shadow"]) for r in rules if r["shadow"]), key=lambda t: -t[1])
    weeks = data["weeks"]
    return {
        "findings": charts.stacked_weeks(
            "Findings per category per week", weeks, data["findings_per_week"]
        ),
        "top_rules": charts.hbars("Top rules", top),
        "dismissal": charts.hbars(
            "Dismissal rate per rule",
            rated,
            percent=True,
            threshold=data["threshold"],
            flagged=noisy,
        ),
        "shadow": charts.hbars("Shadow findings per rule", shadow),
        "after_hours": charts.stacked_weeks(
            "After-hours client contacts per week",
            weeks,
            {"after_hours": data["after_hours_per_week"]},
        ),
    }


async def summary(request: web.Request) -> web.Response:
    config = request.app[CONFIG]
    body = {"policy": config.host.describe(), **await _data(request)}
    body["reloads"] = [o.to_dict() for o in config.host.history]
    return web.json_response(body, headers=_headers())


async def policy_view(request: web.Request) -> web.Response:
    host = request.app[CONFIG].host
    q = request.query
    view = effective(
        host.policies(), language=q.get("language"), team=q.get("team"), channel=q.get("channel")
    )
    return web.json_response(view, headers=_headers())


async def reload_now(request: web.Request) -> web.Response:
    outcome = await request.app[CONFIG].host.refresh(trigger="api")
    return web.json_response(
        outcome.to_dict(), status=200 if outcome.ok else 422, headers=_headers()
    )
