"""Fixtures for reminders: real databases (from tests.store), a fake platform, a movable clock."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.reminders.fakes import FakeClock, FakePlatform, HttpNotifier
from tests.store.conftest import pg_db, pg_url, sqlite_db, sqlite_url

__all__ = ["pg_db", "pg_url", "sqlite_db", "sqlite_url"]


@pytest.fixture
async def platform() -> AsyncIterator[FakePlatform]:
    fake = FakePlatform()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def notifier(platform: FakePlatform) -> AsyncIterator[HttpNotifier]:
    client = HttpNotifier("slack", platform.url)
    yield client
    await client.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
