"""Run the delivery worker for as long as the aiohttp application runs."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from bots.reminders.worker import Worker

WORKER = web.AppKey("reminder_worker", Worker)


def attach_worker(app: web.Application, worker: Worker) -> None:
    """Start `worker` with the app; on shutdown it finishes its delivery and releases leases."""
    app[WORKER] = worker

    async def lifecycle(_: web.Application) -> AsyncIterator[None]:
        worker.start()
        yield
        await worker.stop()

    app.cleanup_ctx.append(lifecycle)
