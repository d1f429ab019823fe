"""Bot Framework clients kept across turns instead of built anew for each one.

botbuilder's CloudAdapter asks its BotFrameworkAuthentication for a new ConnectorClient and a new
UserTokenClient on every turn. Each is an msrest client whose configuration builds a retry
policy that scans a 501-item list 999 times (msrest 0.7.1): several milliseconds of CPU per
client, most of a Teams turn. Each new ConnectorClient also gets new app credentials, whose MSAL
token cache starts empty, so with authentication on every turn also fetched a fresh token.

botbuilder's older BotFrameworkAdapter kept one ConnectorClient per service URL, app id and
scope; this does the same for CloudAdapter, through the SDK's public BotFrameworkAuthentication
and ConnectorFactory interfaces.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)

#: Distinct (app id, service URL, audience) places kept; Teams uses a handful of service URLs.
KEPT = 64


class Kept:
    """The most recently used clients, at most `size` (the least recently used is dropped)."""

    def __init__(self, size: int = KEPT) -> None:
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def find(self, key: Any) -> Any | None:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def keep(self, key: Any, value: Any) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


def app_id_of(identity: ClaimsIdentity) -> str | None:
    """The bot's app id in the claims, as botbuilder reads it (audience, else appid)."""
    return identity.get_claim_value(
        AuthenticationConstants.AUDIENCE_CLAIM
    ) or identity.get_claim_value(AuthenticationConstants.APP_ID_CLAIM)


class KeptConnectors(ConnectorFactory):
    """A ConnectorFactory that answers with the client it already built for the same place."""

    def __init__(self, inner: ConnectorFactory, app_id: str | None, kept: Kept) -> None:
        self.inner, self.app_id, self.kept = inner, app_id, kept

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        key = (self.app_id, service_url, audience)
        client = self.kept.find(key)
        if client is None:
            client = await self.inner.create(service_url, audience)
            self.kept.keep(key, client)
        return client


class KeptClientsAuthentication(ConfigurationBotFrameworkAuthentication):
    """ConfigurationBotFrameworkAuthentication whose outbound clients outlive the turn.

    Authentication of every inbound request is unchanged (it is the parent's).
    """

    def __init__(self, configuration: Any, **kwargs: Any) -> None:
        super().__init__(configuration, **kwargs)
        self.connectors = Kept()
        self.token_clients = Kept()

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        result = await super().authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = self._kept(result.connector_factory, result.claims_identity)
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        """For proactive messages (continue_conversation): the same kept clients."""
        inner = super().create_connector_factory(claims_identity)
        return self._kept(inner, claims_identity)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        key = app_id_of(claims_identity)
        client = self.token_clients.find(key)
        if client is None:
            client = await super().create_user_token_client(claims_identity)
            self.token_clients.keep(key, client)
        return client

    def _kept(self, inner: ConnectorFactory, identity: ClaimsIdentity) -> KeptConnectors:
        return KeptConnectors(inner, app_id_of(identity), self.connectors)
