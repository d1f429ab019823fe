"""Socket Mode: with SLACK_APP_TOKEN the same listeners answer over a WebSocket link."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from tests.slack.conftest import slack_settings, start
from tests.slack.fake_slack import FakeSlack, fixture
from tests.slack.test_command import RISKY


async def test_slash_command_over_socket_mode(
    fake: FakeSlack, tmp_path: Path, clock: Callable[[], dt.datetime]
) -> None:
    settings = slack_settings(fake, tmp_path, SLACK_APP_TOKEN="xapp-1-test")
    _, server = await start(settings, fake, clock)
    try:
        (opened,) = await fake.wait("apps.connections.open")
        assert opened.headers["Authorization"] == "Bearer xapp-1-test"
        payload = fixture("slash_command") | {"command": "/nudge", "text": RISKY}
        await fake.outbox.put(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "payload": payload,
                "accepts_response_payload": True,
            }
        )
        (ack,) = await fake.wait("socket_ack")
        assert ack.params["envelope_id"] == "env-1"
        assert ack.params["payload"]["text"].startswith("Nudge found")
        assert ack.params["payload"]["response_type"] == "ephemeral"
    finally:
        await server.close()
