"""Drafts and client messages are confidential: no log record may carry their text."""

from __future__ import annotations

import logging

import pytest

from tests.teams.conftest import FakeConnector, TeamsServer, fixture

SECRET_DRAFT = "Zanzibar-7 I guarantee it ships Friday, call me any time."
SECRET_CLIENT = "Quokka-9 I am furious about the delay."


def _record_text(record: logging.LogRecord) -> str:
    return record.getMessage() + repr(record.__dict__) + repr(record.exc_info or "")


async def test_no_draft_text_in_any_log_record(
    teams: TeamsServer, connector: FakeConnector, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        await teams.post(teams.activity("message_personal", text=f"check {SECRET_DRAFT}"))
        submit = teams.activity("invoke_fetchtask_compose")
        value = fixture("invoke_submitaction")["value"]
        value["data"] = {"nudge": "check", "draft": SECRET_DRAFT, "client_message": SECRET_CLIENT}
        submit.update(name="composeExtension/submitAction", value=value)
        status, _ = await teams.post(submit)
        connector.refuse[teams.activity("message_personal")["conversation"]["id"]] = 500
        failing = await teams.post(teams.activity("message_personal", text=SECRET_DRAFT))
    assert status == 200 and failing[0] == 500  # the connector failure is a failed turn
    assert len(connector.received) == 2  # the card reply, and the refused one
    assert caplog.records, "debug logging was on, so something must have been recorded"
    for record in caplog.records:
        text = _record_text(record)
        assert "Zanzibar-7" not in text and "Quokka-9" not in text, record.name
