"""Signatures, malformed bodies, escaping, redeliveries, and drafts kept out of logs."""

from __future__ import annotations

import json
import logging
import time
import urllib.parse

import pytest

from tests.slack.conftest import Slack
from tests.slack.fake_slack import fixture

MENTIONS = (
    "<!channel> <!here|here> <@U0000000009> hi <https://evil.example/x|click> & "
    "<#C0000000001> I guarantee it *now* ```code``` @channel"
)


async def test_bad_signature_is_401_and_reaches_no_listener(slack: Slack) -> None:
    resp = await slack.post(
        "command=%2Fnudge&text=hi", "application/x-www-form-urlencoded", secret="not-the-secret"
    )
    assert resp.status == 401
    assert slack.fake.calls == []


async def test_stale_signature_is_401(slack: Slack) -> None:
    form = fixture("slash_command") | {"command": "/nudge", "text": "I guarantee it"}
    body = urllib.parse.urlencode(form)
    resp = await slack.post(
        body, "application/x-www-form-urlencoded", timestamp=int(time.time()) - 6 * 60
    )
    assert resp.status == 401
    assert slack.fake.calls == []


async def test_missing_signature_headers_is_401(slack: Slack) -> None:
    async with slack.session.post(
        f"{slack.url}/slack/events",
        data=b"command=%2Fnudge&text=hi",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    ) as resp:
        assert resp.status == 401


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("payload=%7Bnot+json", "application/x-www-form-urlencoded"),
        ("payload=%5B1%2C2%5D", "application/x-www-form-urlencoded"),
        ("{not json", "application/json"),
        ('["a list"]', "application/json"),
    ],
)
async def test_signed_malformed_payload_is_400(slack: Slack, body: str, content_type: str) -> None:
    resp = await slack.post(body, content_type)
    assert resp.status == 400
    assert slack.fake.calls == []


async def test_unsigned_malformed_payload_is_401(slack: Slack) -> None:
    resp = await slack.post(
        "payload=%7Bnot+json", "application/x-www-form-urlencoded", secret="wrong"
    )
    assert resp.status == 401


async def test_mentions_and_links_in_a_draft_are_escaped(slack: Slack) -> None:
    # A hidden zone puts 18:00 UTC after London hours: that finding quotes the first sentence.
    slack.fake.script("users.info", fixture("api_users_info_stranger"), always=True)
    body = json.loads(await (await slack.command(MENTIONS)).text())
    mrkdwn = [
        obj["text"]
        for block in body["blocks"]
        for obj in [block.get("text"), *block.get("elements", [])]
        if isinstance(obj, dict) and obj.get("type") == "mrkdwn"
    ]
    rendered = "\n".join(mrkdwn)
    assert "&lt;!channel&gt; &lt;!here|here&gt; &lt;@U0000000009&gt;" in rendered
    assert "&lt;https://evil.example/x|click&gt; &amp; &lt;#C0000000001&gt;" in rendered
    for text in mrkdwn:
        assert "<" not in text
        assert ">" not in text.replace("\n>", "\n").removeprefix(">")  # only quote markers
    for block in body["blocks"]:
        for obj in [block.get("text"), *block.get("elements", [])]:
            if isinstance(obj, dict) and obj.get("type") == "mrkdwn":
                assert obj["verbatim"] is True
    assert body["unfurl_links"] is False and body["unfurl_media"] is False


async def test_rewrite_cannot_escape_its_code_block(slack: Slack) -> None:
    body = json.loads(await (await slack.command(MENTIONS)).text())
    code = [
        b["text"]["text"]
        for b in body["blocks"]
        if b.get("text", {}).get("text", "").startswith("```")
    ]
    for text in code:
        assert text.count("```") == 2


async def test_event_redelivery_is_acknowledged_once_processed_once(slack: Slack) -> None:
    event = fixture("event_app_home_opened")
    assert (await slack.event(event)).status == 200
    await slack.fake.wait("views.publish")
    for retry in (1, 2):
        assert (await slack.event(event, retry=retry)).status == 200
    other = event | {"event_id": "Ev0000000099"}
    assert (await slack.event(other, retry=1)).status == 200
    await slack.fake.wait("views.publish", count=2)
    assert len(slack.fake.of("views.publish")) == 2


async def test_draft_text_is_never_logged(slack: Slack, caplog: pytest.LogCaptureFixture) -> None:
    secret_draft = "Zebra-quartz-7781 I guarantee this ships tomorrow"
    caplog.set_level(logging.DEBUG)
    await slack.command(secret_draft)
    edit = fixture("block_actions_button")
    edit["actions"][0] |= {
        "action_id": "nudge_why",
        "value": json.dumps({"d": secret_draft, "c": ""}),
    }
    edit["response_url"] = slack.fake.response_url("why")
    await slack.interact(edit)
    await slack.fake.wait("response_url")
    assert caplog.records, "logging was captured"
    for record in caplog.records:
        assert "Zebra-quartz" not in record.getMessage()
        assert "Zebra-quartz" not in json.dumps(record.__dict__, default=str)


async def test_url_verification_echoes_the_challenge(slack: Slack) -> None:
    # Slack's documented example (https://api.slack.com/apis/http), sent when a URL is saved.
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    resp = await slack.event({"token": "x", "challenge": challenge, "type": "url_verification"})
    assert resp.status == 200
    assert challenge in await resp.text()
