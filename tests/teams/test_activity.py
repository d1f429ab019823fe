"""Pure translation of recorded Teams payloads into Drafts and chat commands."""

from __future__ import annotations

import pytest

from bots.teams.activity import (
    ChatRequest,
    draft_from,
    html_to_text,
    locale_of,
    message_text,
    parse_chat,
    quoted_message,
    timezone_of,
    user_key,
)
from tests.teams.conftest import FIXTURES, SHARED_FIXTURES, fixture


def test_personal_message_gives_zone_locale_and_author() -> None:
    activity = fixture("message_personal")
    draft = draft_from(activity, "hello")
    assert (draft.timezone, draft.locale) == ("Europe/London", "en-GB")
    assert draft.author_id == "00000000-0000-0000-0000-000000000005"
    assert draft.channel_id == activity["conversation"]["id"]


def test_channel_mention_is_stripped_and_team_kept() -> None:
    activity = fixture("message_channel_mention")
    assert message_text(activity) == "reply to thread"
    draft = draft_from(activity, "x")
    assert draft.team_id == activity["channelData"]["team"]["id"]
    assert draft.timezone == "America/Los_Angeles"


def test_older_channel_capture_strips_its_mention_too() -> None:
    activity = fixture("message_channel_mention_2021")
    assert "<at>" not in message_text(activity)


def test_zone_falls_back_to_client_info_and_ignores_nonsense() -> None:
    activity = fixture("message_personal")
    del activity["localTimezone"]
    assert timezone_of(activity) == "Europe/London"
    activity["entities"][0]["timezone"] = "Mars/Olympus_Mons"
    assert timezone_of(activity) is None
    activity = fixture("invoke_fetchtask_compose")  # clientInfo without a zone
    assert timezone_of(activity) is None
    assert locale_of(activity) == "en-US"


def test_locale_falls_back_to_client_info() -> None:
    activity = fixture("message_personal")
    del activity["locale"]
    activity["entities"][0]["locale"] = "pt-BR"
    assert locale_of(activity) == "pt-BR"


def test_user_key_prefers_the_aad_object_id() -> None:
    activity = fixture("message_personal")
    assert user_key(activity) == activity["from"]["aadObjectId"]
    del activity["from"]["aadObjectId"]
    assert user_key(activity) == activity["from"]["id"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("help", ChatRequest("help")),
        ("  HOURS ", ChatRequest("hours")),
        ("check I promise", ChatRequest("check", "I promise")),
        ("Check\nline one\nline two", ChatRequest("check", "line one\nline two")),
        ("check", ChatRequest("help")),
        ("", ChatRequest("help")),
        ("help me, I will fix it tonight", ChatRequest("check", "help me, I will fix it tonight")),
        ("I will call you tonight", ChatRequest("check", "I will call you tonight")),
    ],
)
def test_parse_chat(text: str, expected: ChatRequest) -> None:
    assert parse_chat(text) == expected


def test_quoted_message_comes_from_the_html_body_without_mentions() -> None:
    assert quoted_message(fixture("invoke_fetchtask_message")) == "- Hi"
    assert quoted_message(fixture("invoke_fetchtask_compose")) == ""


def test_html_to_text_keeps_lines_and_entities() -> None:
    assert (
        html_to_text("<p>Hi &amp; thanks</p><p>Second&nbsp;line<br>third</p>")
        == "Hi & thanks\nSecond line\nthird"
    )


def test_fixtures_match_the_shared_copies() -> None:
    copies = sorted(p.name for p in FIXTURES.glob("*.json"))
    assert len(copies) == 10
    if SHARED_FIXTURES is None:
        pytest.skip("the shared fixtures folder is not beside this clone")
    for name in copies:
        assert (FIXTURES / name).read_bytes() == (SHARED_FIXTURES / name).read_bytes(), name
