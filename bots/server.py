"""Wiring only: one aiohttp application for the playground, health, Slack and Teams."""

from __future__ import annotations

import logging
import sys

from aiohttp import web

from bots import observability
from bots.admin import mount_admin
from bots.checking import Checker
from bots.engine.policy.verified import VerifiedExamples
from bots.logs import configure_logging
from bots.policy_host import PolicyHost
from bots.reminders.notify import Notifier
from bots.reminders.service import mount_reminders
from bots.settings import Settings
from bots.startup import collector_paused, settle
from bots.store.admin import schema_problem
from bots.store.db import Database
from bots.web import playground

log = logging.getLogger(__name__)
HOST = web.AppKey("policy_host", PolicyHost)
SETTINGS = web.AppKey("settings", Settings)

MAX_BODY = 1024 * 1024  # a 20,000-character draft is ~80 KB even in 4-byte UTF-8


async def healthz(request: web.Request) -> web.Response:
    """Alive: the process answers."""
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """Ready: a policy is loaded (even after a failed reload) and every readiness hook passes."""
    host = request.app[HOST]
    checks = await observability.readiness(request.app)
    ready = host.ready and all(result == "ok" for result in checks.values())
    body = {"ready": ready, "policy": host.describe(), "checks": checks}
    return web.json_response(body, status=200 if ready else 503)


def create_app(
    settings: Settings, host: PolicyHost, checker: Checker | None = None
) -> web.Application:
    """Build the application; the caller has loaded the policy into `host`."""
    app = web.Application(client_max_size=MAX_BODY)
    app[SETTINGS] = settings
    app[HOST] = host
    checker = checker or Checker(host)
    # One Database (one connection pool) per process, shared by every part that stores things.
    db = Database(settings.database_url)

    async def close_database(_: web.Application) -> None:
        await db.dispose()  # after the cleanup contexts (worker stop, last count flush)

    app.on_cleanup.append(close_database)
    observability.mount(app, host)
    observability.add_readiness_check(app, "database", observability.database_check(db))
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    playground.add_routes(app, checker)
    if settings.teams_enabled:
        from bots.teams import mount_teams  # botbuilder loads only when Teams is on

        mount_teams(app, settings, checker, db=db)
    if settings.slack_enabled:
        from bots.slack.mount import mount_slack  # slack_bolt loads only when Slack is on

        mount_slack(app, settings, checker, host, db=db)
    delivery = notifiers(app, settings)
    mount_reminders(app, settings, delivery, db=db)
    mount_admin(app, host, settings, checker, delivery, db=db)
    return app


def notifiers(app: web.Application, settings: Settings) -> dict[str, Notifier]:
    """The platforms that can deliver reminders from this replica (after they are mounted)."""
    found: dict[str, Notifier] = {}
    if settings.slack_bot_token is not None:
        from bots.slack.notifier import slack_notifier  # slack_sdk only when it can deliver

        found["slack"] = slack_notifier(settings)
    if settings.teams_enabled:
        from bots.teams.hosting import TEAMS  # botbuilder loads only when Teams is on

        found["teams"] = app[TEAMS].notifier
    return found


def serve(settings: Settings) -> int:
    """Load the policy, build the app and run it until interrupted."""
    configure_logging(settings.log_level)
    with collector_paused():
        app = start(settings)
        if app is None:
            return 2
        settle()
    # On SIGTERM: stop accepting, run on_shutdown hooks, let in-flight requests finish for up
    # to shutdown_timeout, then on_cleanup. Exit status 0 either way.
    web.run_app(
        app,
        host=settings.host,
        port=settings.port,
        print=None,
        access_log=None,
        shutdown_timeout=settings.shutdown_timeout,
    )
    return 0


def start(settings: Settings) -> web.Application | None:
    """Load the policy, check the schema, build the app; None (problems on stderr) if it can't."""
    verified = VerifiedExamples.open(settings.examples_cache)
    host = PolicyHost(settings.policy_dir, settings.template_dir, verified=verified)
    outcome = host.reload()
    if not outcome.ok:
        print(
            f"nudge: cannot start: the policy in {settings.policy_dir} has problems:",
            file=sys.stderr,
        )
        for error in outcome.errors:
            print(f"  {error}", file=sys.stderr)
        return None
    dev = settings.environment == "development"
    if problem := schema_problem(settings.database_url, auto_upgrade=dev):
        print(f"nudge: cannot start: {problem}", file=sys.stderr)
        return None
    app = create_app(settings, host)
    log.info(
        "serving", extra={"url": f"http://{settings.host}:{settings.port}/", "policy": host.version}
    )
    print(
        f"Nudge is running: open http://{settings.host}:{settings.port}/ (Ctrl+C to stop)",
        file=sys.stderr,
    )
    return app
