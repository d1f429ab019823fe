"""Operating Nudge: request ids and access logs, /metrics, readiness hooks for /readyz."""

from __future__ import annotations

from aiohttp import web

from bots.observability.exposition import add_metrics_route
from bots.observability.health import (
    add_readiness_check,
    database_check,
    readiness,
)
from bots.observability.middleware import request_context
from bots.policy_host import PolicyHost

__all__ = ["add_readiness_check", "database_check", "mount", "readiness"]


def mount(app: web.Application, host: PolicyHost) -> None:
    """Add request ids, access logs and metrics to every route, and serve /metrics."""
    app.middlewares.append(request_context)
    add_metrics_route(app, host)
