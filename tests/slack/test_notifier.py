"""The Slack notifier against the fake Web API: success, rate limits and permanent errors."""

from __future__ import annotations

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bots.reminders.notify import DeliveryError, Notice, Notifier
from bots.slack.notifier import SlackNotifier
from tests.slack.fake_slack import FakeSlack, fixture, ratelimited

BLOCKS = {
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "A client wrote at 22:00"}}]
}


def notice(channel_id: str | None = None) -> Notice:
    return Notice("slack", "U0000000001", channel_id, "A client wrote at 22:00", "k1", BLOCKS)


def notifier(fake: FakeSlack, timeout: float = 5.0) -> SlackNotifier:
    return SlackNotifier(AsyncWebClient(token="xoxb-n", base_url=fake.api_url), timeout=timeout)


def test_it_is_a_notifier(fake: FakeSlack) -> None:
    checked: Notifier = notifier(fake)
    assert checked.platform == "slack"


async def test_dm_by_default(fake: FakeSlack) -> None:
    await notifier(fake).send(notice())
    (call,) = fake.of("chat.postMessage")
    assert call.params["channel"] == "U0000000001"
    assert call.params["text"] == "A client wrote at 22:00"
    assert call.params["blocks"] == BLOCKS["blocks"]
    assert call.params["unfurl_links"] is False
    assert call.headers["Authorization"] == "Bearer xoxb-n"


async def test_ephemeral_in_a_channel(fake: FakeSlack) -> None:
    await notifier(fake).send(notice("C0000000001"))
    (call,) = fake.of("chat.postEphemeral")
    assert (call.params["channel"], call.params["user"]) == ("C0000000001", "U0000000001")


async def test_rate_limit_is_retryable_with_retry_after(fake: FakeSlack) -> None:
    limited = ratelimited()
    fake.script("chat.postMessage", limited.body, status=limited.status, headers=limited.headers)
    with pytest.raises(DeliveryError) as caught:
        await notifier(fake).send(notice())
    assert caught.value.retryable is True and caught.value.retry_after == 1.0


@pytest.mark.parametrize("error", ["channel_not_found", "user_not_found", "account_inactive"])
async def test_permanent_errors_are_not_retryable(fake: FakeSlack, error: str) -> None:
    body = fixture("api_error_channel_not_found") | {"error": error}
    fake.script("chat.postEphemeral", body)
    with pytest.raises(DeliveryError) as caught:
        await notifier(fake).send(notice("C0000000001"))
    assert caught.value.retryable is False and error in str(caught.value)


async def test_server_errors_and_timeouts_are_retryable(fake: FakeSlack) -> None:
    fake.script("chat.postMessage", {"ok": False, "error": "internal_error"}, status=500)
    with pytest.raises(DeliveryError) as caught:
        await notifier(fake).send(notice())
    assert caught.value.retryable is True
    fake.script("chat.postMessage", {"ok": True}, delay=1.0)
    with pytest.raises(DeliveryError) as slow:
        await notifier(fake, timeout=0.2).send(notice())
    assert slow.value.retryable is True


async def test_a_resend_of_a_delivered_key_is_dropped(fake: FakeSlack) -> None:
    sender = notifier(fake)
    await sender.send(notice())
    await sender.send(notice())
    (call,) = fake.of("chat.postMessage")
    assert call.params["metadata"] == {
        "event_type": "nudge_reminder",
        "event_payload": {"key": "k1"},
    }
    await sender.send(Notice("slack", "U0000000001", None, "other", "k2"))
    assert len(fake.of("chat.postMessage")) == 2


async def test_a_failed_send_is_not_remembered(fake: FakeSlack) -> None:
    sender = notifier(fake)
    fake.script("chat.postMessage", {"ok": False, "error": "internal_error"})
    with pytest.raises(DeliveryError):
        await sender.send(notice())
    await sender.send(notice())
    assert len(fake.of("chat.postMessage")) == 2


def redelivery(attempt: int) -> Notice:
    return Notice("slack", "U0000000001", None, "A client wrote", "key-7", None, attempt)


def dm_history(*keys: str) -> dict:
    messages = [
        {"type": "message", "text": "x", "ts": f"1.{i}"}
        | {"metadata": {"event_type": "nudge_reminder", "event_payload": {"key": key}}}
        for i, key in enumerate(keys)
    ]
    return {"ok": True, "messages": [{"type": "message", "text": "hi", "ts": "0.1"}, *messages]}


async def test_a_first_try_does_not_look_back(fake: FakeSlack) -> None:
    await notifier(fake).send(redelivery(1))
    assert fake.of("conversations.history") == [] and len(fake.of("chat.postMessage")) == 1


async def test_a_retry_finds_the_copy_a_dead_worker_posted_and_sends_nothing(fake: FakeSlack):
    fake.script("conversations.open", {"ok": True, "channel": {"id": "D0000000001"}})
    fake.script("conversations.history", dm_history("other", "key-7"))
    await notifier(fake).send(redelivery(2))
    (look,) = fake.of("conversations.history")
    assert look.params["channel"] == "D0000000001"
    assert fake.of("chat.postMessage") == []


async def test_a_retry_with_no_earlier_copy_sends(fake: FakeSlack) -> None:
    fake.script("conversations.open", {"ok": True, "channel": {"id": "D0000000001"}})
    fake.script("conversations.history", dm_history("other"))
    await notifier(fake).send(redelivery(3))
    (post,) = fake.of("chat.postMessage")
    assert post.params["metadata"]["event_payload"]["key"] == "key-7"


async def test_without_the_history_scope_a_retry_still_sends(fake: FakeSlack) -> None:
    fake.script("conversations.open", {"ok": True, "channel": {"id": "D0000000001"}})
    fake.script("conversations.history", {"ok": False, "error": "missing_scope"})
    await notifier(fake).send(redelivery(2))
    assert len(fake.of("chat.postMessage")) == 1


async def test_a_failed_look_is_retryable_not_a_blind_resend(fake: FakeSlack) -> None:
    fake.script("conversations.open", {"ok": False, "error": "internal_error"}, status=500)
    with pytest.raises(DeliveryError) as caught:
        await notifier(fake).send(redelivery(2))
    assert caught.value.retryable is True and fake.of("chat.postMessage") == []
