"""Pure translation rules of Teams after hours: who is a client, which ids, which moment."""

from __future__ import annotations

import datetime as dt

from botbuilder.schema import Activity

from bots.teams.after_hours import channel_ids, home_tenant, moment_of, sender_tenant
from tests.teams.conftest import fixture

FALLBACK = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)


def test_the_sender_tenant_is_from_tenant_id_else_the_channel_data_tenant() -> None:
    activity = fixture("message_channel_mention")
    assert sender_tenant(activity) == "00000000-0000-0000-0000-000000000008"
    activity["from"]["tenantId"] = "other"
    assert sender_tenant(activity) == "other"


def test_home_is_the_configured_tenant_else_the_conversations() -> None:
    activity = fixture("message_channel_mention")
    assert home_tenant(activity, None) == "00000000-0000-0000-0000-000000000008"
    assert home_tenant(activity, "ours") == "ours"


def test_a_thread_reply_is_found_by_channel_and_by_bare_conversation_id() -> None:
    ids = channel_ids(fixture("message_channel_mention"))
    assert ids == [
        "19:00000000000000000000000000000002@thread.tacv2",
        "19:00000000000000000000000000000002@thread.tacv2;messageid=1759881511856",
    ]


def test_the_moment_is_the_activitys_timestamp_then_local_timestamp() -> None:
    activity = Activity().deserialize(fixture("message_channel_mention"))
    assert moment_of(activity, FALLBACK) == dt.datetime(
        2025, 10, 8, 17, 33, 1, 495374, tzinfo=dt.UTC
    )
    local_only = fixture("message_channel_mention")
    del local_only["timestamp"]
    moment = moment_of(Activity().deserialize(local_only), FALLBACK)
    assert moment.utcoffset() == dt.timedelta(hours=-7)
    assert moment.astimezone(dt.UTC).hour == 17
    bare = fixture("message_channel_mention")
    del bare["timestamp"], bare["localTimestamp"]
    assert moment_of(Activity().deserialize(bare), FALLBACK) == FALLBACK
