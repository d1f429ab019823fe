"""Builds the Bolt AsyncApp: one token, or multi-workspace OAuth with installs in our database."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.web.async_client import AsyncWebClient

from bots.settings import Settings
from bots.slack import after_hours, commands, home, interactions
from bots.slack.dedupe import SeenEvents
from bots.slack.service import SlackDeps
from bots.slack.stores import SqlInstallationStore, SqlOAuthStateStore

#: Exactly the scopes the listeners use (keep in step with deploy/slack/manifest.yaml).
BOT_SCOPES = (
    "commands",
    "chat:write",
    "users:read",
    "channels:history",  # message events in public channels (client messages)
    "groups:history",  # ... and in private ones
    "channels:read",  # conversations.info / .members: shared or not, who is in it
    "groups:read",
    "im:history",  # before resending a reminder, look for the first copy in the DM
)
#: Events the listeners subscribe to (keep in step with the manifest's bot_events).
BOT_EVENTS = ("app_home_opened", "message.channels", "message.groups")


def quiet_logger(name: str) -> logging.Logger:
    """SDK loggers print request bodies (drafts!) at DEBUG: keep them at INFO or above."""
    logger = logging.getLogger(name)
    logger.setLevel(max(logging.INFO, logging.getLogger().getEffectiveLevel()))
    return logger


def api_base_url(settings: Settings) -> str:
    """SLACK_API_URL with the trailing slash slack_sdk expects."""
    return settings.slack_api_url.rstrip("/") + "/"


def web_client(settings: Settings, timeout: float, token: str | None = None) -> AsyncWebClient:
    """A Web API client pointed at SLACK_API_URL, with a short timeout and a quiet logger."""
    return AsyncWebClient(
        token=token,
        base_url=api_base_url(settings),
        timeout=max(1, int(timeout + 0.999)),
        logger=quiet_logger("bots.slack.web"),
    )


def oauth_settings(settings: Settings, deps: SlackDeps) -> AsyncOAuthSettings:
    """OAuth install settings keeping installations and states in our database."""
    assert deps.db is not None and settings.slack_client_secret is not None
    return AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=list(BOT_SCOPES),
        installation_store=SqlInstallationStore(deps.db, settings.slack_client_id or ""),
        state_store=SqlOAuthStateStore(deps.db),
        install_path="/slack/install",
        redirect_uri_path="/slack/oauth_redirect",
    )


def build_app(settings: Settings, deps: SlackDeps, seen: SeenEvents | None = None) -> AsyncApp:
    """The AsyncApp with every Nudge listener; signature checks always on.

    The single-workspace token travels on the client (Bolt takes it from there).
    """
    assert settings.slack_signing_secret is not None
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    oauth = bool(settings.slack_client_id and settings.slack_client_secret)
    app = AsyncApp(
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        client=web_client(settings, deps.api_timeout, None if oauth else token),
        oauth_settings=oauth_settings(settings, deps) if oauth else None,
        process_before_response=True,
        logger=quiet_logger("bots.slack.bolt"),
    )
    app.use(seen or SeenEvents())
    commands.register(app, deps)
    interactions.register(app, deps)
    home.register(app, deps)
    after_hours.register(app, deps)
    return app
