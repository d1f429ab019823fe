"""The policy a running server serves: loaded at start, swapped whole on reload.

A failed reload keeps the last good policy serving and remembers the error.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from bots.engine import PolicyError, PolicySet, load_policy_dir

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReloadOutcome:
    ok: bool
    at: dt.datetime
    version: str
    errors: tuple[str, ...] = ()


@dataclass
class PolicyHost:
    """Holds the active PolicySet; one attribute assignment swaps it atomically."""

    directory: Path
    template_root: Path | None = None
    current: PolicySet | None = None
    loaded_at: dt.datetime | None = None
    last_error: ReloadOutcome | None = None
    history: list[ReloadOutcome] = field(default_factory=list)

    def reload(self) -> ReloadOutcome:
        """Load the directory; on success swap it in, on failure keep what was serving."""
        now = dt.datetime.now(dt.UTC)
        try:
            fresh = load_policy_dir(self.directory, self.template_root)
        except PolicyError as exc:
            outcome = ReloadOutcome(False, now, self.version, tuple(str(i) for i in exc.issues))
            self.last_error = outcome
            log.warning("policy reload failed; keeping %s", self.version, extra={"errors": len(exc.issues)})
        else:
            self.current, self.loaded_at = fresh, now
            outcome = ReloadOutcome(True, now, fresh.version)
            log.info("policy loaded", extra={"version": fresh.version})
        self.history = [*self.history[-49:], outcome]
        return outcome

    @property
    def version(self) -> str:
        return self.current.version if self.current else "none"

    @property
    def ready(self) -> bool:
        return self.current is not None

    def policies(self) -> PolicySet:
        if self.current is None:
            raise RuntimeError("no policy loaded")
        return self.current
