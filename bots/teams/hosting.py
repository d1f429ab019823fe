"""Hosting: botbuilder's CloudAdapter at /api/messages on the one aiohttp server."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jwt
from aiohttp import web
from botbuilder.core import Bot, TurnContext, serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from msrest.exceptions import SerializationError
from msrest.serialization import Model

from bots.checking import Checker
from bots.settings import Settings
from bots.store.db import Database
from bots.teams.bot import NudgeTeamsBot
from bots.teams.cards import CardRenderer
from bots.teams.clients import KeptClientsAuthentication
from bots.teams.notifier import TeamsNotifier
from bots.teams.references import ReferenceStore
from bots.teams.replies import TeamsServices

log = logging.getLogger(__name__)
ROUTE = "/api/messages"
# Fields without which botbuilder cannot even address a reply: missing ones are a 400, not a 500.
_REQUIRED = ("type", "channelId", "serviceUrl", "conversation", "from", "recipient")


class TeamsConfigError(RuntimeError):
    """Teams cannot start with these settings (e.g. authentication off in production)."""


@dataclass
class TeamsHost:
    """What mount_teams built; kept on the app so reminders can use the notifier."""

    adapter: NudgeCloudAdapter
    bot: NudgeTeamsBot
    services: TeamsServices
    notifier: TeamsNotifier
    auth_enabled: bool


TEAMS = web.AppKey("teams", TeamsHost)


class NudgeCloudAdapter(CloudAdapter):
    """CloudAdapter with a stricter front door and a fixed invoke-response writer."""

    async def process(
        self, request: web.Request, bot: Bot, ws_response: web.WebSocketResponse | None = None
    ) -> web.Response:
        """Validate, authenticate and run one POSTed activity: bad input is a 4xx, never a 500."""
        activity = await read_activity(request)
        auth_header = request.headers.get("Authorization", "")
        try:
            invoke = await self.process_activity(auth_header, activity, bot.on_turn)
        except (PermissionError, jwt.PyJWTError):
            # PyJWT's errors escape botbuilder for tokens that are not even JWTs: still a 401.
            return _error(401, "unauthorized: a valid Bot Framework token is required")
        if invoke is None:
            return web.Response(status=201)
        return invoke_response(int(invoke.status), invoke.body)


def invoke_response(status: int, body: Any) -> web.Response:
    """The HTTP answer to an invoke, which Teams reads from the body.

    TeamsActivityHandler already serialised the body to a dict, and CloudAdapter.process
    (botbuilder 4.17.1, msrest 0.7.1) serialises it again, raising AttributeError "'dict' object
    has no attribute 'is_xml_model'": every message-extension invoke became a 500. So only
    models are serialised here. botbuilder's own error bodies can hold an Exception object
    (adaptiveCard/action without an action); those keep their status and lose the body."""
    if body is None:
        return web.Response(status=status)
    try:
        data = serializer_helper(body) if isinstance(body, Model) else body
        return web.json_response(data, status=status)
    except (TypeError, ValueError, AttributeError, SerializationError):
        log.warning("teams: unserialisable invoke body", extra={"status": status})
        return web.Response(status=status)


async def read_activity(request: web.Request) -> Activity:
    """Parse the body into an Activity, or raise a 4xx aiohttp error saying what is wrong."""
    if "application/json" not in request.headers.get("Content-Type", ""):
        raise _http_error(web.HTTPUnsupportedMediaType, "the body must be application/json")
    try:
        body = json.loads(await request.read())
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise _http_error(web.HTTPBadRequest, "the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise _http_error(web.HTTPBadRequest, "an activity must be a JSON object")
    missing = [key for key in _REQUIRED if not body.get(key)]
    if missing:
        raise _http_error(web.HTTPBadRequest, f"the activity lacks {', '.join(missing)}")
    if body["type"] == "invoke" and not isinstance(body.get("value"), dict):
        # Teams always sends an object; botbuilder crashes (AttributeError) on anything else.
        raise _http_error(web.HTTPBadRequest, "an invoke activity needs an object `value`")
    try:
        activity = Activity().deserialize(body)
    except (
        Exception
    ):  # msrest raises several types for ill-typed fields; all are the sender's fault
        raise _http_error(web.HTTPBadRequest, "the activity has ill-typed fields") from None
    if not activity.conversation or not activity.conversation.id:
        raise _http_error(web.HTTPBadRequest, "the activity lacks conversation.id")
    return activity


def _http_error(kind: type[web.HTTPClientError], message: str) -> web.HTTPClientError:
    return kind(text=json.dumps({"error": message}), content_type="application/json")


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def authentication(settings: Settings) -> KeptClientsAuthentication:
    """Bot Framework authentication from the settings; no app id means authentication off.

    Its outbound clients (and their token caches) are kept across turns: see bots.teams.clients.
    """
    if not settings.microsoft_app_id:
        # MultiTenant is the only type botbuilder accepts without an app id (the Emulator case).
        config = SimpleNamespace(APP_ID=None, APP_PASSWORD=None, APP_TYPE="MultiTenant")
    else:
        password = settings.microsoft_app_password
        config = SimpleNamespace(
            APP_ID=settings.microsoft_app_id,
            APP_PASSWORD=password.get_secret_value() if password else None,
            APP_TYPE=settings.microsoft_app_type,
            APP_TENANTID=settings.microsoft_app_tenant_id,
        )
    return KeptClientsAuthentication(config)


async def _on_turn_error(turn: TurnContext, error: Exception) -> None:
    # Never the activity text: drafts are confidential. Re-raise so the request fails visibly.
    log.error(
        "teams: turn failed",
        extra={
            "error": type(error).__name__,
            "activity_type": str(turn.activity.type),
            "activity_name": str(turn.activity.name),
        },
    )
    raise error


def mount_teams(
    app: web.Application, settings: Settings, checker: Checker, *, db: Database | None = None
) -> TeamsHost:
    """Add /api/messages to `app`; warn loudly (or refuse in production) when auth is off."""
    auth_enabled = bool(settings.microsoft_app_id)
    if not auth_enabled and settings.environment == "production":
        raise TeamsConfigError(
            "Teams needs MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD in production"
        )
    if not auth_enabled:
        log.warning(
            "teams: AUTHENTICATION IS OFF (no MICROSOFT_APP_ID): anyone who can reach %s can talk "
            "to the bot. Use this only with the Bot Framework Emulator on your own machine.",
            ROUTE,
        )
    database = db or Database(settings.database_url)
    adapter = NudgeCloudAdapter(authentication(settings))
    adapter.on_turn_error = _on_turn_error
    services = TeamsServices(
        checker=checker,
        cards=CardRenderer(Path(settings.template_dir)),
        db=database,
        references=ReferenceStore(database),
        home_tenant=settings.microsoft_app_tenant_id,
    )
    bot = NudgeTeamsBot(services)
    notifier = TeamsNotifier(
        adapter, services.references, services.cards, settings.microsoft_app_id
    )
    host = TeamsHost(adapter, bot, services, notifier, auth_enabled)
    app[TEAMS] = host

    async def messages(request: web.Request) -> web.Response:
        return await adapter.process(request, bot)

    app.router.add_post(ROUTE, messages)
    if db is None:
        app.on_cleanup.append(lambda _app: database.dispose())
    return host
