"""One middleware per request: its id (X-Request-Id in and out), an access log line, metrics.

The access log names the route pattern, method, status and duration, never the path's query,
the body or any header but the request id: drafts and client messages must not reach logs.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from aiohttp import web
from aiohttp.typedefs import Handler

from bots import metrics
from bots.logs import REQUEST_ID

log = logging.getLogger("nudge.access")
HEADER = "X-Request-Id"
#: Ids from a load balancer or caller are kept when they look like ids; anything else is replaced.
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
#: Probes and scrapes arrive every few seconds; log them only at debug level.
_QUIET = frozenset({"/healthz", "/readyz", "/metrics"})


def request_id_of(request: web.Request) -> str:
    """The caller's X-Request-Id when it is a plausible id, else a fresh one."""
    given = request.headers.get(HEADER, "")
    return given if _ACCEPTABLE.match(given) else uuid.uuid4().hex


def route_of(request: web.Request) -> str:
    """The matched route's pattern (bounded label values), or "unmatched"."""
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "unmatched"


@web.middleware
async def request_context(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Tag the request (and every log line it causes) with an id; log and count it."""
    request_id = request_id_of(request)
    token = REQUEST_ID.set(request_id)
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        response.headers[HEADER] = request_id
        return response
    except web.HTTPException as exc:
        status = exc.status
        exc.headers[HEADER] = request_id
        raise
    finally:
        elapsed = time.perf_counter() - started
        route = route_of(request)
        metrics.record_request(route, request.method, status, elapsed)
        level = logging.DEBUG if route in _QUIET and status < 500 else logging.INFO
        log.log(
            level,
            "request",
            extra={
                "method": request.method,
                "route": route,
                "status": status,
                "duration_ms": round(elapsed * 1000, 2),
            },
        )
        REQUEST_ID.reset(token)
