"""Readiness hooks: /readyz asks each registered check (the database, for one) with a time limit.

A failing check makes /readyz answer 503 so the load balancer stops sending traffic; nothing
is cached, so the same replica turns ready again as soon as the dependency is back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy import text

from bots.store.db import Database

log = logging.getLogger(__name__)
Check = Callable[[], Awaitable[None]]
CHECKS = web.AppKey("readiness_checks", dict)
#: Shorter than the probe's own timeout (deploy/k8s: 3 s), so /readyz always answers.
TIMEOUT_S = 2.0


def add_readiness_check(app: web.Application, name: str, check: Check) -> None:
    """Register `check` (raises when not ready) under `name`; call before the app starts."""
    app.setdefault(CHECKS, {})[name] = check


def database_check(db: Database) -> Check:
    """Ready when the database answers a trivial query."""

    async def check() -> None:
        async with db.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    return check


async def readiness(app: web.Application) -> dict[str, str]:
    """Run every registered check concurrently: {name: "ok" | reason}."""
    checks: dict[str, Check] = app.get(CHECKS, {})
    names = list(checks)
    results = await asyncio.gather(*(_run(name, checks[name]) for name in names))
    return dict(zip(names, results, strict=True))


async def _run(name: str, check: Check) -> str:
    try:
        await asyncio.wait_for(check(), TIMEOUT_S)
    except TimeoutError:
        log.warning("readiness check timed out", extra={"check": name})
        return f"no answer within {TIMEOUT_S:g} s"
    except Exception as exc:  # any failure means not ready; say which kind, not the details
        log.warning("readiness check failed", extra={"check": name, "error": type(exc).__name__})
        return f"failed: {type(exc).__name__}"
    return "ok"
