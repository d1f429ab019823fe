"""Counts and rates on a real PostgreSQL (a throwaway database per test run)."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator

import pytest

from bots.admin.counts import record_report
from bots.admin.feedback import rule_stats
from bots.admin.stats import dashboard_data
from bots.engine import Draft, check
from bots.store.db import Database
from bots.store.feedback import record_feedback
from bots.store.models import Base
from tests.conftest import need

pytestmark = pytest.mark.postgres
SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432"


async def _admin(sql: str) -> bool:
    try:
        import asyncpg

        conn = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test", timeout=3)
    except (TimeoutError, OSError, ImportError):
        return False
    try:
        await conn.execute(sql)
    finally:
        await conn.close()
    return True


@pytest.fixture
async def pg() -> AsyncIterator[Database]:
    name = f"nudge_admin_{uuid.uuid4().hex[:10]}"
    need(await _admin(f'CREATE DATABASE "{name}"'), "PostgreSQL is not reachable on 127.0.0.1:5432")
    db = Database(f"{SERVER}/{name}")
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        yield db
    finally:
        await db.dispose()
        await _admin(f'DROP DATABASE IF EXISTS "{name}"')


async def test_concurrent_counting_on_postgres_loses_nothing(pg, policies, now):
    legal = policies.select("x", team="T0LEGAL")
    report = check(Draft("The judge will agree, I guarantee it."), legal, now=now)
    day = now.date()
    await asyncio.gather(*(record_report(pg, report, day) for _ in range(12)))
    stats = {s.rule: s for s in await rule_stats(pg, day)}
    assert stats["overpromise.guarantee"].shown == 12
    assert stats["overpromise.court_outcome"].shadow == 12
    for i in range(5):
        await record_feedback(
            pg, platform="slack", user_id=f"U{i}", rule_id="overpromise.guarantee",
            signal="not_applicable", policy_version=legal.version,
        )  # fmt: skip
    data = await dashboard_data(pg, day + dt.timedelta(days=1), threshold=0.3, min_sample=10)
    guarantee = next(r for r in data["rules"] if r["rule"] == "overpromise.guarantee")
    assert guarantee["dismissed"] == 5 and guarantee["noisy"]
    assert data["drafts_checked"] == 12
    per_draft = sum(f.category == "overpromise" for f in report.findings)
    assert per_draft >= 1
    assert sum(data["findings_per_week"]["overpromise"]) == 12 * per_draft
