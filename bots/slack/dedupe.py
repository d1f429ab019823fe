"""Events API redeliveries (X-Slack-Retry-Num) of an event we already took are acknowledged only."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse


@dataclass
class SeenEvents(AsyncMiddleware):
    """event_ids seen in the last `ttl` seconds (Slack retries within about an hour).

    A Bolt global middleware (`app.use(SeenEvents())`) that runs after signature verification.
    A middleware object, not a function: Bolt builds every injectable argument (some 30, with
    the payload looked up eight ways) for each call of a function middleware, on every request.
    """

    ttl: float = 3600.0
    size: int = 50_000
    clock: Callable[[], float] = time.monotonic
    _seen: OrderedDict[str, float] = field(default_factory=OrderedDict)

    def first_time(self, event_id: str) -> bool:
        """True the first time an id is offered (within the window), False for repeats."""
        now = self.clock()
        while self._seen and (next(iter(self._seen.values())) < now or len(self._seen) > self.size):
            self._seen.popitem(last=False)
        if event_id in self._seen:
            return False
        self._seen[event_id] = now + self.ttl
        return True

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse | None:
        """A redelivered event is answered 200 at once; anything else goes on down the chain."""
        event_id = req.body.get("event_id")
        if isinstance(event_id, str) and not self.first_time(event_id):
            return BoltResponse(status=200, body="")
        await next()
        return None
