"""Small real policies for reminder tests, loaded through the real loader."""

from __future__ import annotations

from bots.engine.policy.compiled import Policy
from bots.engine.policy.loader import load_policy_bytes
from tests.conftest import TEMPLATES


def policy(
    *,
    language: str = "en",
    timezone: str = "Europe/London",
    holidays: tuple[str, ...] = (),
    channels: str = "[]",
) -> Policy:
    """A one-rule policy with the given office hours and client channels (YAML flow text)."""
    text = f"""schema: 1
name: reminders-test
version: "1"
language: {language}
office_hours:
  timezone: {timezone}
  start: "09:00"
  end: "18:00"
  holidays: [{", ".join(f'"{h}"' for h in holidays)}]
client_channels: {channels}
rules:
  - id: late
    kind: after_hours
    category: after_hours
    message: "Outside office hours."
    why: "Late replies teach clients you are available late."
"""
    return load_policy_bytes(text.encode(), "reminders-test.yaml", TEMPLATES)


OWNED = '[{platform: slack, channel: C1, name: "#acme", owners: [UOWN1, UOWN2]}]'
