"""Count every checked draft in memory (no I/O on the request path) and flush to DailyCount.

The Checker calls `Tally.add` after each check, whichever surface asked (Slack, Teams, the
playground); a background task writes the sums every few seconds and once more at shutdown.
A failed write keeps the sums for the next attempt.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections import Counter
from collections.abc import AsyncIterator, Callable

from sqlalchemy.exc import SQLAlchemyError

from bots.admin.counts import count_into, record_counts
from bots.engine import Report
from bots.store.db import Database

log = logging.getLogger(__name__)


class Tally:
    """Per-day sums of findings (shown and shadow) and drafts checked, waiting to be written."""

    def __init__(self, clock: Callable[[], dt.datetime]) -> None:
        self.clock = clock
        self.pending: dict[dt.date, Counter[tuple[str, str]]] = {}

    def add(self, report: Report) -> None:
        """Count one report (sync and cheap: called inline after every check)."""
        day = self.clock().astimezone(dt.UTC).date()
        count_into(self.pending.setdefault(day, Counter()), report)

    async def flush(self, db: Database | None) -> None:
        """Write what is pending; on a database error put it back for next time."""
        if db is None or not self.pending:
            return
        batch, self.pending = self.pending, {}
        for day, counts in sorted(batch.items()):
            try:
                await record_counts(db, counts, day)
            except SQLAlchemyError as exc:
                self.pending.setdefault(day, Counter()).update(counts)
                log.warning(
                    "could not write counts; will retry", extra={"error": type(exc).__name__}
                )

    async def run(self, db: Callable[[], Database | None], interval: float) -> None:
        """Flush every `interval` seconds until cancelled."""
        while True:
            await asyncio.sleep(interval)
            await self.flush(db())


def flusher(
    counts: Tally, db: Callable[[], Database | None], interval: float
) -> Callable[[object], AsyncIterator[None]]:
    """An aiohttp cleanup context: flush periodically while running, and once at shutdown."""

    async def run(_: object) -> AsyncIterator[None]:
        task = asyncio.create_task(counts.run(db, interval), name="admin-count-flush")
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await counts.flush(db())

    return run
