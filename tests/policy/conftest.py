"""Policy tests use the same subprocess runner as the CLI tests."""

from tests.cli.conftest import nudge, run_nudge  # noqa: F401
