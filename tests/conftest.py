"""Fixtures shared by every test folder: the bundled policies and a fixed, known time."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
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


@pytest.fixture(scope="session", autouse=True)
def _verified_examples_in_a_temporary_folder(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    """Servers and commands started by tests record passed examples for this session only,
    never in the checkout's var/ (and never trust an earlier run's record)."""
    before = os.environ.get("NUDGE_EXAMPLES_CACHE")
    folder = tmp_path_factory.mktemp("var")
    os.environ["NUDGE_EXAMPLES_CACHE"] = str(folder / "verified-examples.json")
    yield
    if before is None:
        os.environ.pop("NUDGE_EXAMPLES_CACHE", None)
    else:
        os.environ["NUDGE_EXAMPLES_CACHE"] = before


@pytest.fixture(scope="session")
def policies() -> PolicySet:
    return load_policy_dir(POLICIES, TEMPLATES)


@pytest.fixture(scope="session")
def en_policy(policies: PolicySet):  # type: ignore[no-untyped-def]
    return policies.for_language("en")


@pytest.fixture
def now() -> dt.datetime:
    return WEDNESDAY_10AM
