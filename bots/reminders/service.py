"""Run the delivery worker for as long as the aiohttp application runs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping

from aiohttp import web

from bots.reminders.notify import Notifier
from bots.reminders.worker import Clock, Worker, system_clock
from bots.settings import Settings
from bots.store.db import Database

WORKER = web.AppKey("reminder_worker", Worker)


def attach_worker(app: web.Application, worker: Worker, *, owns_db: bool = False) -> None:
    """Start `worker` with the app; on shutdown it finishes its deliveries and releases leases."""
    app[WORKER] = worker

    async def lifecycle(_: web.Application) -> AsyncIterator[None]:
        worker.start()
        yield
        await worker.stop()  # before the pool goes: stopping still records and releases
        if owns_db:
            await worker.db.dispose()

    app.cleanup_ctx.append(lifecycle)


def mount_reminders(
    app: web.Application,
    settings: Settings,
    notifiers: Mapping[str, Notifier],
    *,
    clock: Clock = system_clock,
    db: Database | None = None,
) -> None:
    """Deliver reminders from this replica when any platform can (no-op without notifiers).

    `db` is the process's shared Database; without one, the worker opens (and closes) its own.
    """
    if not notifiers:
        return
    worker = Worker(db or Database(settings.database_url), notifiers, clock=clock)
    attach_worker(app, worker, owns_db=db is None)
