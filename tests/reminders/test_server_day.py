"""A whole `nudge serve` moved through a night with libfaketime, delivering to a fake Slack.

The client writes at 22:00: the owners' notes leave at once; the reminders wait, with the
server's wall clock, until 09:00 the next business day. Time is moved by rewriting libfaketime's
timestamp file while the server runs; the monotonic clock stays real so asyncio keeps time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import glob
import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

from bots.reminders.after_hours import on_client_message
from bots.reminders.channels import client_channel
from bots.store.db import Database
from tests.conftest import ROOT, need
from tests.reminders.policies import OWNED, policy
from tests.slack.fake_slack import FakeSlack

WED_10PM = dt.datetime(2026, 1, 7, 22, 0, tzinfo=dt.UTC)  # London is on GMT in January
LIBFAKETIME = sorted(glob.glob("/usr/lib/*/faketime/libfaketime.so.1"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def healthy(port: int, server: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        assert server.poll() is None, "the server exited"
        try:
            await asyncio.to_thread(
                urllib.request.urlopen, f"http://127.0.0.1:{port}/healthz", None, 1
            )
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise AssertionError("the server never answered")


async def test_a_night_at_the_server_note_at_once_reminder_at_nine(
    sqlite_db: Database, sqlite_url: str, tmp_path: Path
) -> None:
    need(bool(LIBFAKETIME), "libfaketime is not installed (apt-get install faketime)")
    p = policy(channels=OWNED)
    channel = client_channel(p, "slack", "C1")
    assert channel
    # What the Slack adapter does on a client's message, before acknowledging the event.
    await on_client_message(
        sqlite_db, p, channel, author_id="UCLIENT", message_id="1767823200.000100", moment=WED_10PM
    )
    clock_file = tmp_path / "faketime"
    clock_file.write_text("@2026-01-07 22:00:00\n")
    port = free_port()
    async with FakeSlack() as slack:
        env = {
            **os.environ,
            "LD_PRELOAD": LIBFAKETIME[0],
            "FAKETIME_TIMESTAMP_FILE": str(clock_file),
            "FAKETIME_NO_CACHE": "1",
            "FAKETIME_DONT_FAKE_MONOTONIC": "1",
            "TZ": "UTC",
            "NUDGE_ENV": "production",
            "NUDGE_DATABASE_URL": sqlite_url,
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": "not-a-real-secret",
            "SLACK_API_URL": slack.api_url,
            "PORT": str(port),
        }
        code = "import sys; from bots.cli import main; sys.exit(main(sys.argv[1:]))"
        server = subprocess.Popen(
            [sys.executable, "-c", code, "serve"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            await healthy(port, server)
            notes = await slack.wait("chat.postMessage", 2, timeout=20)
            assert {n.params["channel"] for n in notes} == {"UOWN1", "UOWN2"}
            assert all("A client wrote in #acme at 22:00" in n.params["text"] for n in notes)
            await asyncio.sleep(1.5)  # a poll or two at 22:00: nothing else is due
            assert len(slack.of("chat.postMessage")) == 2

            clock_file.write_text("@2026-01-08 08:59:58\n")
            await asyncio.sleep(1.2)
            assert len(slack.of("chat.postMessage")) == 2  # 08:59: not yet
            clock_file.write_text("@2026-01-08 09:00:00\n")
            calls = await slack.wait("chat.postMessage", 4, timeout=20)
        finally:
            server.terminate()
            server.wait(timeout=20)
    answers = calls[2:]
    assert {a.params["channel"] for a in answers} == {"UOWN1", "UOWN2"}
    assert all("now is a good moment to answer" in a.params["text"] for a in answers)
    assert server.returncode == 0 or server.returncode == -15
