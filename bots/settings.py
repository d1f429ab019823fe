"""Settings: read once from the environment (and an optional .env file), typed and validated."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[1]


class SettingsError(ValueError):
    """Settings that cannot start a server (say what to set, never echo a secret)."""


class Settings(BaseSettings):
    """Everything configurable, with embedded defaults that need no credentials."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    environment: Literal["development", "production"] = Field("development", alias="NUDGE_ENV")
    policy_dir: Path = Field(ROOT / "policies", alias="NUDGE_POLICY_DIR")
    template_dir: Path = Field(ROOT / "templates", alias="NUDGE_TEMPLATE_DIR")
    database_url: str = Field(
        f"sqlite+aiosqlite:///{ROOT / 'var' / 'nudge.sqlite3'}", alias="NUDGE_DATABASE_URL"
    )
    host: str = Field("127.0.0.1", alias="NUDGE_HOST")
    port: int = Field(3978, alias="PORT", ge=0, le=65535)
    log_level: str = Field("INFO", alias="NUDGE_LOG_LEVEL")
    shutdown_timeout: float = Field(20.0, alias="NUDGE_SHUTDOWN_TIMEOUT", gt=0, le=600)
    admin_token: SecretStr | None = Field(None, alias="NUDGE_ADMIN_TOKEN")
    admins: list[str] = Field(default_factory=list, alias="NUDGE_ADMINS")
    policy_watch_interval: float = Field(1.0, alias="NUDGE_POLICY_WATCH_SECONDS", ge=0)
    #: Keys of policies whose examples passed, so a restart skips them; empty or `off`: none.
    examples_cache: Path | None = Field(
        ROOT / "var" / "verified-examples.json", alias="NUDGE_EXAMPLES_CACHE"
    )
    noisy_dismissal_rate: float = Field(0.3, alias="NUDGE_NOISY_DISMISSAL_RATE", gt=0, le=1)
    noisy_min_sample: int = Field(20, alias="NUDGE_NOISY_MIN_SAMPLE", ge=1)

    slack_bot_token: SecretStr | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_client_id: str | None = Field(None, alias="SLACK_CLIENT_ID")
    slack_client_secret: SecretStr | None = Field(None, alias="SLACK_CLIENT_SECRET")
    slack_api_url: str = Field("https://slack.com/api/", alias="SLACK_API_URL")

    microsoft_app_id: str | None = Field(None, alias="MICROSOFT_APP_ID")
    microsoft_app_password: SecretStr | None = Field(None, alias="MICROSOFT_APP_PASSWORD")
    microsoft_app_type: Literal["SingleTenant", "MultiTenant", "UserAssignedMSI"] = Field(
        "SingleTenant", alias="MICROSOFT_APP_TYPE"
    )
    microsoft_app_tenant_id: str | None = Field(None, alias="MICROSOFT_APP_TENANT_ID")

    @field_validator("examples_cache", mode="before")
    @classmethod
    def _off(cls, value: object) -> object:
        return None if isinstance(value, str) and value.strip().lower() in ("", "off") else value

    @model_validator(mode="after")
    def _whole_integrations(self) -> Settings:
        slack = {
            "SLACK_BOT_TOKEN": self.slack_bot_token,
            "SLACK_SIGNING_SECRET": self.slack_signing_secret,
        }
        given = [k for k, v in slack.items() if v]
        if (
            given
            and len(given) != len(slack)
            and not (self.slack_client_id and self.slack_signing_secret)
        ):
            missing = ", ".join(k for k, v in slack.items() if not v)
            raise ValueError(
                f"Slack is half-configured: {', '.join(given)} is set but {missing} is not"
            )
        if (self.slack_app_token or self.slack_client_id) and not self.slack_signing_secret:
            raise ValueError(
                "Slack needs SLACK_SIGNING_SECRET with SLACK_APP_TOKEN or SLACK_CLIENT_ID"
            )
        if self.slack_app_token and not (self.slack_bot_token or self.slack_client_id):
            raise ValueError("SLACK_APP_TOKEN (Socket Mode) also needs SLACK_BOT_TOKEN")
        if bool(self.slack_client_id) != bool(self.slack_client_secret):
            raise ValueError("Slack OAuth needs both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET")
        if (
            self.microsoft_app_id
            and not self.microsoft_app_password
            and self.microsoft_app_type != "UserAssignedMSI"
        ):
            raise ValueError("MICROSOFT_APP_ID is set but MICROSOFT_APP_PASSWORD is not")
        if (
            self.microsoft_app_type == "SingleTenant"
            and self.microsoft_app_id
            and not self.microsoft_app_tenant_id
        ):
            raise ValueError("a SingleTenant Teams bot needs MICROSOFT_APP_TENANT_ID")
        return self

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_signing_secret and (self.slack_bot_token or self.slack_client_id))

    @property
    def teams_enabled(self) -> bool:
        """Teams is mounted always in development (Emulator, no auth), and when an app id is set."""
        return bool(self.microsoft_app_id) or self.environment == "development"


def load_settings(**overrides: object) -> Settings:
    """Read the environment once; raise SettingsError with a readable message."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = [
            f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: {e['msg']}" for e in exc.errors()
        ]
        raise SettingsError("invalid settings:\n  " + "\n  ".join(lines)) from None
