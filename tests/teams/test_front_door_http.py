"""Bad input and authentication at /api/messages: 4xx with a reason, never a 500."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bots.teams import TeamsConfigError, mount_teams
from tests.teams.conftest import FakeConnector, TeamsServer, checker, make_settings, serve_teams

TENANT = "00000000-0000-0000-0000-0000000000aa"
APP_ID = "00000000-0000-0000-0000-0000000000bb"


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b'"just a string"', "application/json", 400),
        (b"\xff\xfe", "application/json", 400),
        (b'{"type": "message"}', "application/json", 400),
        (b"type=message", "application/x-www-form-urlencoded", 415),
    ],
)
async def test_malformed_requests_get_a_4xx_with_a_reason(
    teams: TeamsServer, body: bytes, content_type: str, status: int
) -> None:
    async with teams.session.post(
        teams.url + "/api/messages", data=body, headers={"Content-Type": content_type}
    ) as response:
        assert response.status == status
        assert "error" in await response.json()
    assert teams.connector.received == []


async def test_an_activity_with_ill_typed_fields_is_a_400(teams: TeamsServer) -> None:
    activity = teams.activity("message_personal", conversation="not an object")
    status, body = await teams.post(activity)
    assert status == 400 and "error" in body
    activity = teams.activity("message_personal", timestamp="yesterday-ish")
    status, body = await teams.post(activity)
    assert status == 400 and "error" in body


async def test_without_content_type_it_is_a_415_not_a_500(teams: TeamsServer) -> None:
    async with teams.session.post(teams.url + "/api/messages", data=b"{}", headers={}) as response:
        assert response.status == 415


@pytest.mark.parametrize("environment", ["development", "production"])
async def test_with_an_app_id_a_request_without_a_token_is_401(
    tmp_path: Path, connector: FakeConnector, environment: str
) -> None:
    settings = make_settings(
        tmp_path,
        microsoft_app_id=APP_ID,
        microsoft_app_password="s3cret",
        microsoft_app_tenant_id=TENANT,
        environment=environment,
    )
    async with serve_teams(settings, connector) as teams:
        status, body = await teams.post(teams.activity("message_personal", text="help"))
        assert status == 401 and "token" in body["error"]
        status, _ = await teams.post(teams.activity("invoke_fetchtask_compose"))
        assert status == 401
        # Headers that are not Bot Framework tokens at all are refused before any network call.
        for header in ("Basic abc", "Bearer", "Bearer not-a-jwt", "Bearer e30.e30.x"):
            status, _ = await teams.post(
                teams.activity("message_personal", text="help"), {"Authorization": header}
            )
            assert status == 401, header
    assert connector.received == []


async def test_auth_off_warns_loudly_at_start(
    tmp_path: Path, connector: FakeConnector, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bots.teams"):
        async with serve_teams(make_settings(tmp_path), connector):
            pass
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any("AUTHENTICATION IS OFF" in r.getMessage() for r in warnings)


async def test_auth_on_does_not_warn(
    tmp_path: Path, connector: FakeConnector, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(
        tmp_path,
        microsoft_app_id=APP_ID,
        microsoft_app_password="s3cret",
        microsoft_app_tenant_id=TENANT,
    )
    with caplog.at_level(logging.WARNING, logger="bots.teams"):
        async with serve_teams(settings, connector):
            pass
    assert not any("AUTHENTICATION IS OFF" in r.getMessage() for r in caplog.records)


def test_auth_off_is_refused_in_production(tmp_path: Path) -> None:
    from aiohttp import web

    settings = make_settings(tmp_path, environment="production")
    with pytest.raises(TeamsConfigError, match="MICROSOFT_APP_ID"):
        mount_teams(web.Application(), settings, checker())


async def test_production_without_an_app_id_does_not_mount_teams(
    tmp_path: Path, connector: FakeConnector
) -> None:
    settings = make_settings(tmp_path, environment="production")
    async with serve_teams(settings, connector) as teams:
        status, _ = await teams.post(teams.activity("message_personal", text="help"))
    assert status == 404  # never an unauthenticated bot endpoint in production


@pytest.mark.parametrize("value", ["text", 5, [], None])
@pytest.mark.parametrize(
    "name", ["composeExtension/submitAction", "composeExtension/fetchTask", "adaptiveCard/action"]
)
async def test_an_invoke_without_an_object_value_is_a_400(
    teams: TeamsServer, name: str, value: object
) -> None:
    activity = teams.activity("invoke_fetchtask_compose", name=name, value=value)
    status, body = await teams.post(activity)
    assert status == 400 and "value" in body["error"]


async def test_invokes_nudge_does_not_handle_get_the_sdks_status_not_a_500(
    teams: TeamsServer,
) -> None:
    card_action = teams.activity("invoke_fetchtask_compose", name="adaptiveCard/action", value={})
    assert (await teams.post(card_action))[0] == 400  # botbuilder: "Missing action property"
    unknown = teams.activity("invoke_fetchtask_compose", name="nudge/unknown", value={})
    assert (await teams.post(unknown))[0] == 501
    query = teams.activity("invoke_fetchtask_compose", name="composeExtension/query", value={})
    assert (await teams.post(query))[0] == 501


async def test_submit_with_junk_data_answers_with_the_form(teams: TeamsServer) -> None:
    activity = teams.activity(
        "invoke_fetchtask_compose",
        name="composeExtension/submitAction",
        value={"commandId": 3, "data": {"nudge": ["x"], "draft": 7, "dismissed": "all"}},
    )
    status, body = await teams.post(activity)
    assert status == 200
    card = body["task"]["value"]["card"]["content"]
    assert card["body"][-1]["color"] == "Attention"  # an empty draft: the form says why
