"""Mounts Slack on the one aiohttp server: /slack/events, OAuth routes, Socket Mode."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier

from bots.checking import Checker
from bots.policy_host import PolicyHost
from bots.settings import Settings
from bots.slack.app import build_app
from bots.slack.profiles import Profiles
from bots.slack.service import SlackDeps
from bots.store.db import Database

log = logging.getLogger(__name__)
BOLT = web.AppKey("slack_bolt", AsyncApp)
DEPS = web.AppKey("slack_deps", SlackDeps)
EVENTS_PATH = "/slack/events"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def events_handler(bolt: AsyncApp, verifier: SignatureVerifier) -> Handler:
    """POST /slack/events: Bolt, but a body Bolt cannot parse is 400 (401 if unsigned)."""

    async def handle(request: web.Request) -> web.StreamResponse:
        try:
            bolt_request = await to_bolt_request(request)
            parsed = isinstance(bolt_request.body, dict)
        except (ValueError, AttributeError, TypeError):
            # JSONDecodeError (a ValueError), or JSON that is not an object, deep inside Bolt.
            parsed = False
        if not parsed:
            body = await request.text()
            headers = {k.lower(): v for k, v in request.headers.items()}
            if not verifier.is_valid_request(body, headers):
                return web.json_response({"error": "invalid signature"}, status=401)
            log.warning("malformed slack payload", extra={"bytes": len(body)})
            return web.json_response({"error": "malformed payload"}, status=400)
        return await to_aiohttp_response(await bolt.async_dispatch(bolt_request))

    return handle


def oauth_handler(bolt: AsyncApp) -> Handler:
    """GET /slack/install and /slack/oauth_redirect, handled by Bolt's OAuth flow."""

    async def handle(request: web.Request) -> web.StreamResponse:
        flow = bolt.oauth_flow
        assert flow is not None
        bolt_request = await to_bolt_request(request)
        if request.path == flow.install_path:
            return await to_aiohttp_response(await flow.handle_installation(bolt_request))
        return await to_aiohttp_response(await flow.handle_callback(bolt_request))

    return handle


def mount_slack(
    app: web.Application,
    settings: Settings,
    checker: Checker,
    host: PolicyHost,
    *,
    db: Database | None = None,
) -> None:
    """Switch Slack on when it is configured; no-op otherwise. The schema is the migrations' job.

    `db` is the process's shared Database; without one, Slack opens (and closes) its own.
    """
    if not settings.slack_enabled or settings.slack_signing_secret is None:
        return
    owns_db = db is None
    db = db or Database(settings.database_url)
    deps = SlackDeps(
        checker=checker, host=host, db=db, profiles=Profiles(), admins=frozenset(settings.admins)
    )
    bolt = build_app(settings, deps)
    app[BOLT], app[DEPS] = bolt, deps
    verifier = SignatureVerifier(settings.slack_signing_secret.get_secret_value())
    app.router.add_post(EVENTS_PATH, events_handler(bolt, verifier))
    if bolt.oauth_flow is not None:
        app.router.add_get(bolt.oauth_flow.install_path, oauth_handler(bolt))
        app.router.add_get(bolt.oauth_flow.redirect_uri_path, oauth_handler(bolt))

    async def close_db(_: web.Application) -> None:
        await db.dispose()

    if owns_db:
        app.on_cleanup.append(close_db)
    if settings.slack_app_token:
        _socket_mode(app, bolt, settings.slack_app_token.get_secret_value())


def _socket_mode(app: web.Application, bolt: AsyncApp, app_token: str) -> None:
    """Also take requests over Socket Mode (no public URL needed)."""
    # Imported here: a deployment with a public URL never loads the Socket Mode client.
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    handler = AsyncSocketModeHandler(bolt, app_token)

    async def connect(_: web.Application) -> None:
        await handler.connect_async()

    async def close(_: web.Application) -> None:
        await handler.close_async()

    app.on_startup.append(connect)
    app.on_cleanup.append(close)
