"""slack_sdk's async InstallationStore and OAuthStateStore on our database tables."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from sqlalchemy import Select, delete, select

from bots.store.db import Database
from bots.store.models import SlackInstallation, SlackOAuthState

log = logging.getLogger(__name__)


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    """The SDK's dict with datetimes as ISO strings (its constructors accept those back)."""
    return {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in data.items()}


class SqlInstallationStore(AsyncInstallationStore):
    """Every install is a new row; lookups take the newest matching one."""

    def __init__(self, db: Database, client_id: str) -> None:
        self.db = db
        self.client_id = client_id

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        async with self.db.session() as session:
            session.add(
                SlackInstallation(
                    client_id=self.client_id,
                    enterprise_id=installation.enterprise_id,
                    team_id=installation.team_id,
                    user_id=installation.user_id,
                    is_enterprise_install=bool(installation.is_enterprise_install),
                    data=_jsonable(installation.to_dict_for_copying()),
                )
            )

    def _query(
        self,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None,
        user_id: str | None = None,
    ) -> Select[Any]:
        query = select(SlackInstallation).where(
            SlackInstallation.client_id == self.client_id,
            SlackInstallation.enterprise_id.is_(None)
            if enterprise_id is None
            else SlackInstallation.enterprise_id == enterprise_id,
        )
        if not is_enterprise_install:
            query = query.where(SlackInstallation.team_id == team_id)
        if user_id is not None:
            query = query.where(SlackInstallation.user_id == user_id)
        return query.order_by(SlackInstallation.id.desc()).limit(1)

    async def _newest(self, query: Select[Any]) -> Installation | None:
        async with self.db.session() as session:
            row = (await session.execute(query)).scalars().first()
        return Installation(**row.data) if row is not None else None

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        installation = await self._newest(
            self._query(enterprise_id, team_id, is_enterprise_install)
        )
        if installation is None or not installation.bot_token:
            return None
        return installation.to_bot()

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        return await self._newest(
            self._query(enterprise_id, team_id, is_enterprise_install, user_id)
        )

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.async_delete_installation(enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        query = delete(SlackInstallation).where(
            SlackInstallation.client_id == self.client_id,
            SlackInstallation.enterprise_id.is_(None)
            if enterprise_id is None
            else SlackInstallation.enterprise_id == enterprise_id,
            SlackInstallation.team_id == team_id,
        )
        if user_id is not None:
            query = query.where(SlackInstallation.user_id == user_id)
        async with self.db.session() as session:
            await session.execute(query)


class SqlOAuthStateStore(AsyncOAuthStateStore):
    """One-time OAuth `state` values that expire."""

    def __init__(self, db: Database, expiration_seconds: int = 600) -> None:
        self.db = db
        self.expiration_seconds = expiration_seconds

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = uuid.uuid4().hex
        expires = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self.expiration_seconds)
        async with self.db.session() as session:
            session.add(SlackOAuthState(state=state, expires_at=expires))
        return state

    async def async_consume(self, state: str) -> bool:
        """True once for a known, unexpired state; the row is removed either way."""
        async with self.db.session() as session:
            row = await session.get(SlackOAuthState, state)
            if row is None:
                return False
            await session.delete(row)
            expires = (
                row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.UTC)
            )
            return expires > dt.datetime.now(dt.UTC)
