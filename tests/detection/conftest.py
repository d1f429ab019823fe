"""Fixtures for the detection tests: both bundled policies and a known Wednesday morning."""

from __future__ import annotations

import pytest

from bots.engine import Policy, PolicySet


@pytest.fixture(scope="session")
def pt_policy(policies: PolicySet) -> Policy:
    return policies.for_language("pt")
