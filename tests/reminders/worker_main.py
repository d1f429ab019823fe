"""A reminder worker in its own process, for the SIGKILL test (run with python -m)."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os

from bots.reminders.worker import Worker, WorkerConfig
from bots.store.db import Database
from tests.reminders.fakes import HttpNotifier


async def main(args: argparse.Namespace) -> None:
    db = Database(args.db)
    notifier = HttpNotifier("slack", args.platform)
    config = WorkerConfig(
        batch=args.batch, lease=dt.timedelta(seconds=args.lease), poll_seconds=0.05
    )
    worker = Worker(db, {"slack": notifier}, config=config, owner=args.owner)
    print("ready", flush=True)
    worker.start()
    parent = os.getppid()
    while os.getppid() == parent:  # never outlive the test that started us
        await asyncio.sleep(0.2)
    await worker.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--platform", required=True)
    parser.add_argument("--owner", required=True)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--lease", type=float, default=2.0)
    asyncio.run(main(parser.parse_args()))
