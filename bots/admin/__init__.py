"""Admin surface: /admin dashboard, policy reload API, counts and feedback rates.

`mount_admin(app, host, settings, db)` is the one call server wiring makes. Slack/Teams admin
commands reload with `await host.refresh("slack")` and register failure notifiers by appending
an async callback to `host.on_failure` (it receives the ReloadOutcome, incl. `.admins`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from bots.admin.counts import record_report
from bots.admin.routes import CONFIG, AdminConfig, add_routes
from bots.engine import Report
from bots.policy_host import PolicyHost
from bots.settings import Settings
from bots.store.db import Database

DATABASE = web.AppKey("admin_database", Database)
log = logging.getLogger(__name__)

__all__ = ["CONFIG", "DATABASE", "AdminConfig", "count_report", "database_of", "mount_admin"]


async def count_report(app: web.Application, report: Report) -> None:
    """Add a checked draft's findings to today's counts, if the app has a database.

    Counting must never cost the person their check, so database errors are logged, not raised.
    """
    config = app.get(CONFIG)
    db = (config.db if config else None) or database_of(app)
    if db is None:
        return
    now = config.clock() if config else dt.datetime.now(dt.UTC)
    try:
        await record_report(db, report, now.date())
    except SQLAlchemyError as exc:
        log.warning("could not record counts", extra={"error": type(exc).__name__})


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
    app: web.Application, host: PolicyHost, settings: Settings, db: Database | None = None
) -> AdminConfig:
    """Add /admin routes, and a task that watches the policy folder while the app runs."""
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


def _watcher(host: PolicyHost, interval: float) -> Callable[[web.Application], AsyncIterator[None]]:
    async def run(app: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(host.watch(interval), name="policy-watch")
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return run
