"""A slow or failing Slack: people get a short apology, and the acknowledgement stays fast."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import aiohttp
import pytest

from bots.slack.payloads import draft_value
from bots.slack.service import APOLOGY, BROKEN
from tests.slack.conftest import Slack, slack_settings, start
from tests.slack.fake_slack import FakeSlack, fixture
from tests.slack.test_command import RISKY
from tests.slack.test_interactions import button, submission

SECRET_DRAFT = "Zebra-9931: I guarantee it ships tomorrow"


async def test_views_open_error_gives_an_apology_in_place(slack: Slack) -> None:
    slack.fake.script("views.open", {"ok": False, "error": "expired_trigger_id"})
    await slack.interact(button(slack, "nudge_edit", draft_value(RISKY, None)))
    (call,) = await slack.fake.wait("response_url")
    assert call.params["text"] == APOLOGY and call.params["response_type"] == "ephemeral"


async def test_slow_views_open_gives_an_apology_and_a_fast_ack(slack: Slack) -> None:
    slack.fake.script("views.open", fixture("api_views_open"), delay=3.0)
    started = time.perf_counter()
    resp = await slack.command("")
    assert resp.status == 200 and time.perf_counter() - started < 1.0
    (call,) = await slack.fake.wait("response_url", timeout=5)
    assert call.params["text"] == APOLOGY


async def test_global_shortcut_failure_apologises_by_dm(slack: Slack) -> None:
    slack.fake.script("views.open", {"ok": False, "error": "internal_error"}, status=500)
    payload = fixture("global_shortcut") | {"callback_id": "nudge_check_draft"}
    await slack.interact(payload)
    (call,) = await slack.fake.wait("chat.postMessage")
    assert call.params["channel"] == "UXXXXXXXXX" and call.params["text"] == APOLOGY


async def test_failing_response_url_apologises_by_dm(slack: Slack) -> None:
    slack.fake.script("response_url", {}, status=500, always=True)
    await slack.interact(button(slack, "nudge_why", draft_value(RISKY, None)))
    (call,) = await slack.fake.wait("chat.postMessage")
    assert call.params["channel"] == "U0000000001" and call.params["text"] == APOLOGY


async def test_slow_users_info_does_not_hold_up_the_report(slack: Slack) -> None:
    slack.fake.script("users.info", fixture("api_users_info"), delay=2.5, always=True)
    started = time.perf_counter()
    body = json.loads(await (await slack.command(RISKY)).text())
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, elapsed
    assert body["text"].startswith("Nudge found")
    # Without the author's zone, 18:00 UTC is judged in London: after hours.
    assert "after_hours.sending_late" in json.dumps(body["blocks"])


async def test_users_info_error_falls_back_and_is_retried_next_time(slack: Slack) -> None:
    slack.fake.script("users.info", {"ok": False, "error": "user_not_found"})
    await slack.command(RISKY)
    body = json.loads(await (await slack.command(RISKY)).text())
    assert len(slack.fake.of("users.info")) == 2
    assert "after_hours.sending_late" not in json.dumps(body["blocks"])  # LA zone this time


async def test_an_internal_failure_still_answers(
    fake: FakeSlack, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_clock() -> dt.datetime:
        raise RuntimeError(f"clock broke while checking {SECRET_DRAFT}")

    settings = slack_settings(fake, tmp_path)
    app, server = await start(settings, fake, broken_clock)
    async with aiohttp.ClientSession() as session:
        slack = Slack(str(server.make_url("")).rstrip("/"), fake, session, server, app)
        resp = await slack.command(SECRET_DRAFT)
        assert resp.status == 200
        assert json.loads(await resp.text())["text"] == BROKEN
        answer = json.loads(await (await slack.interact(submission(SECRET_DRAFT, None))).text())
        assert answer == {"response_action": "errors", "errors": {"draft": BROKEN[:150]}}
    await server.close()
    assert not any("Zebra" in json.dumps(r.__dict__, default=str) for r in caplog.records)
