"""The in-process delivery worker: claims due reminders and sends each through its platform.

Exactly once as the user sees it: a row is settled only by the worker holding its lease, and
every attempt carries the reminder's idempotency key, so when a worker dies between sending and
recording, the next owner's resend is recognised by the platform (or the notifier) and dropped.
The wall clock is read through `clock` each time it is needed, never cached.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import socket
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bots import metrics
from bots.reminders import queue
from bots.reminders.notify import DeliveryError, Notice, Notifier
from bots.reminders.prefs import Prefs, many_prefs, verdict
from bots.store.db import Database
from bots.store.models import Reminder

log = logging.getLogger(__name__)
Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    """The wall clock (libfaketime moves it in end-to-end tests)."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    """Tuning; the defaults suit one to a few replicas."""

    batch: int = 20
    concurrency: int = 4  # deliveries in flight at once per worker (platform latency dominates)
    lease: dt.timedelta = dt.timedelta(seconds=60)
    max_attempts: int = 6
    base_backoff: dt.timedelta = dt.timedelta(seconds=5)
    max_backoff: dt.timedelta = dt.timedelta(hours=1)
    poll_seconds: float = 1.0  # real time between polls when nothing is due
    error_pause_seconds: float = 0.5  # real time before retrying after the database failed
    send_timeout_seconds: float = 30.0  # one notifier call, at most


class Worker:
    """Delivers due reminders until stopped; several may share one PostgreSQL database."""

    def __init__(
        self,
        db: Database,
        notifiers: Mapping[str, Notifier],
        *,
        clock: Clock = system_clock,
        config: WorkerConfig | None = None,
        owner: str | None = None,
    ) -> None:
        self.db = db
        self.notifiers = dict(notifiers)
        self.clock = clock
        self.config = config or WorkerConfig()
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.delivered = 0

    def start(self) -> asyncio.Task[None]:
        """Run in the background of the current event loop."""
        self._task = asyncio.create_task(self.run(), name=f"reminder-worker {self.owner}")
        return self._task

    async def stop(self) -> None:
        """Finish the deliveries in flight, hand back unstarted leases, and return."""
        self._stopping.set()
        if self._task is not None:
            await self._task

    async def run(self) -> None:
        """Poll until stopped; a database outage pauses the loop, it never ends it."""
        while not self._stopping.is_set():
            try:
                handled = await self.run_once()
            except Exception as exc:
                log.warning("reminder batch failed; retrying", extra={"error": _describe(exc)})
                await self._pause(self.config.error_pause_seconds)
                continue
            if handled == 0:
                await self._pause(self.config.poll_seconds)

    async def run_once(self) -> int:
        """Claim one batch and settle every row of it; returns how many rows were claimed."""
        rows = await queue.claim(
            self.db, self.owner, self.clock(), limit=self.config.batch, lease=self.config.lease
        )
        if not rows:
            return 0
        for row in rows:
            metrics.reminder_due(row.platform)
        batch = _Batch(self.clock() + self.config.lease, {r.id for r in rows}, {r.id for r in rows})
        gate = asyncio.Semaphore(self.config.concurrency)
        try:
            prefs = await many_prefs(self.db, {(r.platform, r.user_id) for r in rows})
            # A TaskGroup cancels the siblings when one fails (the database went away): a
            # cancelled send keeps its lease, which expires, and the resend carries the same key.
            async with asyncio.TaskGroup() as group:
                for row in rows:
                    group.create_task(self._one(row, prefs, batch, gate))
        finally:
            if batch.unstarted:
                await queue.release(self.db, self.owner, sorted(batch.unstarted))
        return len(rows)

    async def _one(
        self,
        row: Reminder,
        prefs: dict[tuple[str, str], Prefs],
        batch: _Batch,
        gate: asyncio.Semaphore,
    ) -> None:
        async with gate:
            if self._stopping.is_set():
                return
            await self._keep_lease(batch)
            batch.unstarted.discard(row.id)
            try:
                await self._settle(row, prefs.get((row.platform, row.user_id)))
            finally:
                batch.held.discard(row.id)

    async def _keep_lease(self, batch: _Batch) -> None:
        """Extend the lease on everything still held once half of it has run out."""
        lease = self.config.lease
        if self.clock() + lease / 2 >= batch.lease_until:
            batch.lease_until = self.clock() + lease
            await queue.extend(self.db, self.owner, sorted(batch.held), batch.lease_until)

    async def _settle(self, row: Reminder, prefs: Prefs | None) -> None:
        now = self.clock()
        action, until = verdict(prefs or Prefs(row.platform, row.user_id), row.channel_id, now)
        if action == "cancel":
            await queue.cancel(self.db, self.owner, row.id, "muted by the user")
            return
        if action == "postpone" and until is not None:
            await queue.postpone(self.db, self.owner, row.id, until)
            return
        if _expired(row, now):
            await queue.cancel(self.db, self.owner, row.id, "expired before it could be delivered")
            return
        if row.attempts > self.config.max_attempts:
            reason = f"gave up after {row.attempts - 1} attempts; last: {row.last_error}"
            metrics.reminder_failed(row.platform, retryable=False)
            await queue.mark_failed(self.db, self.owner, row.id, reason)
            return
        notifier = self.notifiers.get(row.platform)
        if notifier is None:
            metrics.reminder_failed(row.platform, retryable=False)
            await queue.mark_failed(self.db, self.owner, row.id, f"no notifier for {row.platform}")
            return
        await self._deliver(row, notifier)

    async def _deliver(self, row: Reminder, notifier: Notifier) -> None:
        try:
            # A hung platform must not hold the batch (and its leases) forever.
            await asyncio.wait_for(notifier.send(notice_for(row)), self.config.send_timeout_seconds)
        except DeliveryError as exc:
            await self._failed(row, str(exc), exc.retryable, exc.retry_after)
            return
        except TimeoutError:
            await self._failed(row, "timed out waiting for the platform", True, None)
            return
        except Exception as exc:  # a notifier bug or a network error it did not wrap
            await self._failed(row, _describe(exc), True, None)
            return
        if await queue.mark_sent(self.db, self.owner, row.id, self.clock()):
            self.delivered += 1
            metrics.reminder_sent(row.platform)
            log.info("reminder sent", extra=_fields(row))
        else:
            log.warning("lease lost before recording a delivery", extra=_fields(row))

    async def _failed(
        self, row: Reminder, error: str, retryable: bool, retry_after: float | None
    ) -> None:
        if not retryable or row.attempts >= self.config.max_attempts:
            metrics.reminder_failed(row.platform, retryable=False)
            await queue.mark_failed(self.db, self.owner, row.id, error)
            log.warning("reminder failed", extra={**_fields(row), "error": error})
            return
        metrics.reminder_failed(row.platform, retryable=True)
        at = self.clock() + self.backoff(row.attempts, retry_after)
        await queue.retry_later(self.db, self.owner, row.id, at, error)
        log.info("reminder retry scheduled", extra={**_fields(row), "at": at.isoformat()})

    def backoff(self, attempts: int, retry_after: float | None) -> dt.timedelta:
        """Exponential from `base_backoff`, capped, and never sooner than the platform asked."""
        exponential = self.config.base_backoff * (2 ** max(attempts - 1, 0))
        delay = min(exponential, self.config.max_backoff)
        if retry_after is not None:
            delay = max(delay, dt.timedelta(seconds=retry_after))
        return delay

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)


@dataclass(slots=True)
class _Batch:
    """Rows of one claim: `held` until settled, `unstarted` until their delivery begins."""

    lease_until: dt.datetime
    held: set[int]
    unstarted: set[int]


def notice_for(row: Reminder) -> Notice:
    """The Notice a reminder row stands for (text was rendered when it was scheduled).

    `channel_id` goes to the notifier only for `via: channel` (a Slack ephemeral where the person
    is writing); otherwise None, which both notifiers deliver as a private 1:1 message.
    """
    payload = row.payload or {}
    return Notice(
        platform=row.platform,
        user_id=row.user_id,
        channel_id=row.channel_id if payload.get("via") == "channel" else None,
        text=str(payload.get("text", "")),
        idempotency_key=row.idempotency_key,
        card=payload.get("card"),
    )


def _expired(row: Reminder, now: dt.datetime) -> bool:
    """A note that only makes sense until a moment ("no need to reply now") is dropped after it."""
    expires = (row.payload or {}).get("expires_at")
    return bool(expires) and now >= dt.datetime.fromisoformat(str(expires))


def _fields(row: Reminder) -> dict[str, object]:
    # Ids and kinds only: reminder text may quote a channel name but never a message.
    return {"reminder": row.id, "kind": row.kind, "platform": row.platform, "attempt": row.attempts}


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]
