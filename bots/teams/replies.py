"""Shared pieces of Teams replies: the services a turn needs, checking, activity as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botbuilder.schema import Activity

from bots.checking import Checker
from bots.engine import Draft, Report
from bots.store.db import Database
from bots.store.feedback import Signal, record_feedback
from bots.teams.cards import CardRenderer
from bots.teams.references import ReferenceStore


@dataclass
class TeamsServices:
    """Everything a Teams turn uses; built once in hosting.mount_teams."""

    checker: Checker
    cards: CardRenderer
    db: Database
    references: ReferenceStore
    bot_name: str = "Nudge"
    home_tenant: str | None = None  # MICROSOFT_APP_TENANT_ID: senders from elsewhere are clients

    def check(self, draft: Draft) -> tuple[Report, str]:
        """Check a draft (raises DraftError) and word the summary line in the policy's language."""
        policy = self.checker.policy_for(draft)  # once: it may mean detecting the language
        report = self.checker.check(draft, policy)
        summary = policy.named["summary.j2"].render(
            findings=[f.to_dict() for f in report.findings],
            mood=report.client.mood,
            after_hours=report.after_hours,
        )
        return report, summary.strip()

    def hours_card(self, locale: str | None, timezone: str | None) -> dict[str, Any]:
        """Office hours of the policy for this person's language, and whether they are open now."""
        policy = self.checker.host.policies().for_language(locale)
        now = self.checker.clock()
        hours = policy.hours
        return self.cards.hours(
            hours.describe(),
            hours.is_open(now, timezone),
            hours.next_start(now, timezone),
            lang=policy.language,
        )

    def known_rule(self, rule: str) -> bool:
        """Whether any loaded policy has this rule (button data comes back from the client)."""
        return any(policy.rule(rule) is not None for policy in self.checker.host.policies())

    async def feedback(
        self, user: str, rule: str, signal: Signal, policy_version: str | None
    ) -> bool:
        """Record one signal about a known rule; False (nothing stored) for an unknown rule."""
        if not self.known_rule(rule):
            return False
        await record_feedback(
            self.db,
            platform="teams",
            user_id=user,
            rule_id=rule[:80],
            signal=signal,
            policy_version=(policy_version or self.checker.host.version)[:80],
        )
        return True


def as_dict(activity: Activity) -> dict[str, Any]:
    """The activity as the JSON Teams sent. msrest's serialize() drops every entity's own
    fields (mention.mentioned, clientInfo.timezone) and unmodelled account fields, so they
    are put back here."""
    data: dict[str, Any] = activity.serialize()
    entities = []
    for entity in activity.entities or []:
        extra = getattr(entity, "additional_properties", None) or {}
        entities.append({**extra, "type": entity.type})
    data["entities"] = entities
    # Fields the schema does not model (from.tenantId, conversation.tenantId on some versions)
    # are dropped the same way; the after-hours client test needs the tenants.
    for key, account in (("from", activity.from_property), ("conversation", activity.conversation)):
        extra = getattr(account, "additional_properties", None) or {}
        if extra and isinstance(data.get(key), dict):
            data[key] = {**extra, **data[key]}
    return data
