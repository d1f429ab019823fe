"""Rule feedback from Slack and Teams ("Not applicable", "used the rewrite")."""

from __future__ import annotations

from typing import Literal

from bots.store.db import Database
from bots.store.models import RuleFeedback

Signal = Literal["not_applicable", "used_rewrite"]


async def record_feedback(
    db: Database, *, platform: str, user_id: str, rule_id: str, signal: Signal, policy_version: str
) -> None:
    async with db.session() as session:
        session.add(
            RuleFeedback(
                platform=platform,
                user_id=user_id,
                rule_id=rule_id,
                signal=signal,
                policy_version=policy_version,
            )
        )
