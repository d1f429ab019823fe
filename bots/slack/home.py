"""The App Home tab, published when someone opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bots.slack.service import SlackDeps
from bots.slack.views import home_view


def register(app: AsyncApp, deps: SlackDeps) -> None:
    """Attach the app_home_opened listener (the Home tab only; the Messages tab needs nothing)."""

    async def ack_only(ack: AsyncAck) -> None:
        await ack()

    async def publish(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        user_id = event.get("user", "")
        info = await deps.home_info(client, user_id, body.get("team_id"))
        await deps.call(
            "views.publish", lambda: client.views_publish(user_id=user_id, view=home_view(info))
        )

    app.event("app_home_opened")(ack=ack_only, lazy=[publish])
