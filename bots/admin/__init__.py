"""Admin surface: /admin dashboard, policy reload API, counts and feedback rates.

`mount_admin(app, host, settings, checker)` is the one call server wiring makes: it counts every
report the checker produces (in memory, flushed to DailyCount every few seconds). Slack/Teams
admin commands call `bots.admin.commands.reload_command` (or `await host.refresh(...)`); given
the platform notifiers, refused edits are sent to the policy's admins (bots.admin.notify).
Code that checks drafts without the Checker can count with `bots.admin.counts.record_report`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator, Callable, Mapping

from aiohttp import web

from bots.admin.notify import admin_notifier, on_platform
from bots.admin.routes import CONFIG, AdminConfig, add_routes
from bots.admin.tally import flusher
from bots.checking import Checker
from bots.policy_host import PolicyHost
from bots.reminders.notify import Notifier
from bots.settings import Settings
from bots.store.db import Database

DATABASE = web.AppKey("admin_database", Database)
log = logging.getLogger(__name__)

FLUSH_SECONDS = 5.0

__all__ = ["CONFIG", "DATABASE", "AdminConfig", "database_of", "mount_admin"]


def database_of(app: web.Application) -> Database | None:
    """The app's Database: `app[DATABASE]`, else one another part of the wiring already opened."""
    if DATABASE in app:
        return app[DATABASE]
    for value in app.values():
        found = value if isinstance(value, Database) else getattr(value, "db", None)
        if isinstance(found, Database):
            return found
    return None


def mount_admin(
    app: web.Application,
    host: PolicyHost,
    settings: Settings,
    checker: Checker | None = None,
    notifiers: Mapping[str, Notifier] | None = None,
    db: Database | None = None,
) -> AdminConfig:
    """Add /admin, count the checker's reports, tell admins of refused edits, watch policies."""
    token = settings.admin_token.get_secret_value() if settings.admin_token else None
    config = AdminConfig(
        host,
        token or None,
        db,
        settings.noisy_dismissal_rate,
        settings.noisy_min_sample,
        secure_cookies=settings.environment == "production",
    )
    if db is not None:
        app[DATABASE] = db
    add_routes(app, config)
    app.cleanup_ctx.append(_database(config, settings.database_url))
    if checker is not None:
        checker.observers.append(config.tally.add)
    # Added after the database context, so at shutdown the last flush runs before it closes.
    app.cleanup_ctx.append(flusher(config.tally, lambda: config.db, FLUSH_SECONDS))
    if notifiers:
        app.cleanup_ctx.append(_admin_notices(host, notifiers, settings.admins))
    if settings.policy_watch_interval > 0:
        app.cleanup_ctx.append(_watcher(host, settings.policy_watch_interval))
    return config


def _database(config: AdminConfig, url: str) -> Callable[[web.Application], AsyncIterator[None]]:
    async def share_or_open(app: web.Application) -> AsyncIterator[None]:
        # Share the Database another part of the wiring opened (it may do so after mount_admin);
        # otherwise open our own on the same URL, so counts and charts work without Slack.
        own = None
        if config.db is None:
            config.db = database_of(app) or (own := Database(url))
        yield
        if own is not None:
            await own.dispose()

    return share_or_open


def _admin_notices(
    host: PolicyHost, notifiers: Mapping[str, Notifier], extra: list[str]
) -> Callable[[web.Application], AsyncIterator[None]]:
    hooks = [
        admin_notifier(n, owns=functools.partial(on_platform, n.platform), fallback=extra)
        for n in notifiers.values()
    ]

    async def registered(app: web.Application) -> AsyncIterator[None]:
        # Registered only while this app runs: hosts outlive apps in tests and reloads.
        host.on_failure.extend(hooks)
        yield
        for hook in hooks:
            host.on_failure.remove(hook)

    return registered


def _watcher(host: PolicyHost, interval: float) -> Callable[[web.Application], AsyncIterator[None]]:
    async def run(app: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(host.watch(interval), name="policy-watch")
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return run
