"""Fixtures shared by every test folder: the bundled policies and a fixed, known time."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from bots.engine import PolicySet, load_policy_dir

ROOT = Path(__file__).resolve().parents[1]
POLICIES = ROOT / "policies"
TEMPLATES = ROOT / "templates"
SHARED = ROOT.parent / "shared"
REQUIRE_SERVICES = os.environ.get("NUDGE_REQUIRE_SERVICES") == "1"

#: A Wednesday morning in London: inside the default office hours.
WEDNESDAY_10AM = dt.datetime(2026, 1, 7, 10, 0, tzinfo=dt.UTC)


def need(condition: bool, reason: str) -> None:
    """Skip when a service or tool is missing; in CI (NUDGE_REQUIRE_SERVICES=1) fail instead."""
    if condition:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def policies() -> PolicySet:
    return load_policy_dir(POLICIES, TEMPLATES)


@pytest.fixture(scope="session")
def en_policy(policies: PolicySet):  # type: ignore[no-untyped-def]
    return policies.for_language("en")


@pytest.fixture
def now() -> dt.datetime:
    return WEDNESDAY_10AM
