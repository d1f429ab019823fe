"""Tables. No draft or client-message text is ever stored here unless a policy opts in."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, Date, DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        dt.datetime: DateTime(timezone=True),
    }


class SlackInstallation(Base):
    """One Slack workspace (or org) install from the OAuth flow; the SDK's fields as JSON."""

    __tablename__ = "slack_installations"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64))
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    team_id: Mapped[str | None] = mapped_column(String(32))
    user_id: Mapped[str | None] = mapped_column(String(32))
    is_enterprise_install: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    installed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    __table_args__ = (
        Index("ix_slack_installations_lookup", "client_id", "enterprise_id", "team_id"),
    )


class SlackOAuthState(Base):
    __tablename__ = "slack_oauth_states"
    state: Mapped[str] = mapped_column(String(200), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column()


class ConversationRef(Base):
    """A Teams conversation reference, so reminders can reach the user proactively."""

    __tablename__ = "teams_conversations"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_key: Mapped[str] = mapped_column(String(200))
    conversation_id: Mapped[str] = mapped_column(String(400))
    service_url: Mapped[str] = mapped_column(String(400))
    tenant_id: Mapped[str | None] = mapped_column(String(64))
    reference: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    __table_args__ = (
        UniqueConstraint("user_key", "conversation_id", name="uq_teams_conversation"),
    )


class UserPrefs(Base):
    """Per-user settings: time zone, locale, snoozes, mutes, opt-in for after-hours notes."""

    __tablename__ = "user_prefs"
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    timezone: Mapped[str | None] = mapped_column(String(64))
    locale: Mapped[str | None] = mapped_column(String(16))
    snoozed_until: Mapped[dt.datetime | None] = mapped_column()
    muted_channels: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    opted_in: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Reminder(Base):
    """Something to tell someone at a due time; delivered exactly once (idempotency key)."""

    __tablename__ = "reminders"
    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(200))
    channel_id: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[dt.datetime] = mapped_column()
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[dt.datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    __table_args__ = (Index("ix_reminders_due", "status", "due_at"),)


class RuleFeedback(Base):
    """A person's signal about one finding: `not_applicable` or `used_rewrite`."""

    __tablename__ = "rule_feedback"
    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(200))
    rule_id: Mapped[str] = mapped_column(String(80))
    signal: Mapped[str] = mapped_column(String(32))
    policy_version: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    __table_args__ = (Index("ix_rule_feedback_rule", "rule_id", "signal"),)


class DailyCount(Base):
    """How often each rule and category fired per day (counts only, never text)."""

    __tablename__ = "daily_counts"
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    category: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
