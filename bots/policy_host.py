"""The policy a running server serves: loaded at start, swapped whole on reload.

A failed reload keeps the last good policy serving, remembers the error and tells whoever
registered in `on_failure` (Slack/Teams notifiers DM the policy's admins). `watch()` polls the
policy and template folders (mtime + size, about once a second) and reloads on any change.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bots.engine import PolicyError, PolicySet, load_policy_dir
from bots.engine.policy.loader import PolicyIssue
from bots.engine.policy.verified import VerifiedExamples

log = logging.getLogger(__name__)
Snapshot = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True, slots=True)
class ReloadOutcome:
    """What one reload attempt did; on failure `version` is what keeps serving."""

    ok: bool
    at: dt.datetime
    version: str
    errors: tuple[str, ...] = ()
    trigger: str = "manual"
    digest: str = ""
    issues: tuple[PolicyIssue, ...] = ()
    admins: tuple[str, ...] = ()  # who should hear about a failure (from the serving policies)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "at": self.at.isoformat(),
            "version": self.version,
            "digest": self.digest,
            "trigger": self.trigger,
            "errors": [
                {
                    "file": i.file,
                    "line": i.line,
                    "column": i.column,
                    "path": i.path,
                    "message": i.message,
                }
                for i in self.issues
            ],
        }


FailureHook = Callable[[ReloadOutcome], Awaitable[None]]


def set_digest(policies: PolicySet) -> str:
    """A short content hash of every policy in the set: changes with any edit to any file."""
    joined = "\n".join(f"{p.name}:{p.digest}" for p in policies)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:12]


@dataclass
class PolicyHost:
    """Holds the active PolicySet; one attribute assignment swaps it atomically."""

    directory: Path
    template_root: Path | None = None
    current: PolicySet | None = None
    loaded_at: dt.datetime | None = None
    last_error: ReloadOutcome | None = None
    history: list[ReloadOutcome] = field(default_factory=list)
    on_failure: list[FailureHook] = field(default_factory=list)
    clock: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))
    seen: Snapshot = ()  # the folders as they were when the last reload read them
    #: Policies whose examples passed before (kept across reloads; None: always run them all).
    verified: VerifiedExamples | None = None
    _lock: asyncio.Lock | None = field(default=None, repr=False)

    def reload(self, trigger: str = "startup") -> ReloadOutcome:
        """Load the directory; on success swap it in, on failure keep what was serving."""
        now = self.clock()
        self.seen = self.snapshot()  # taken first: an edit made during loading is seen next poll
        try:
            fresh = load_policy_dir(self.directory, self.template_root, verified=self.verified)
        except PolicyError as exc:
            self._remember_passes()  # the files that did pass need not run again
            outcome = ReloadOutcome(
                False, now, self.version, tuple(str(i) for i in exc.issues), trigger,
                self.digest, exc.issues, self._admins_for(exc.issues),
            )  # fmt: skip
            self.last_error = outcome
            log.warning(
                "policy reload failed; keeping the last good policy",
                extra={"version": self.version, "errors": len(exc.issues), "trigger": trigger},
            )
            self.history = [*self.history[-49:], outcome]
            return outcome
        self._remember_passes()
        outcome = ReloadOutcome(True, now, fresh.version, (), trigger, set_digest(fresh))
        # History first, then the swap: a reader that sees the new policy also sees its record.
        self.history = [*self.history[-49:], outcome]
        self.current, self.loaded_at = fresh, now
        log.info("policy loaded", extra={"version": fresh.version, "trigger": trigger})
        return outcome

    def _remember_passes(self) -> None:
        verified = self.verified
        if verified is None or verified.path is None or not verified.changed:
            return
        if not verified.save():
            log.info(
                "cannot write the verified-examples file; examples will run again at start",
                extra={"path": str(verified.path)},
            )
            verified.path = None  # remembered in memory from now on; said once

    async def refresh(self, trigger: str = "manual") -> ReloadOutcome:
        """Reload off the event loop (examples take a moment), then tell `on_failure` hooks."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:  # two triggers at once must not interleave their swaps
            outcome = await asyncio.to_thread(self.reload, trigger)
        if not outcome.ok:
            await self._notify(outcome)
        return outcome

    async def _notify(self, outcome: ReloadOutcome) -> None:
        for hook in list(self.on_failure):
            try:
                await hook(outcome)
            except Exception:  # one broken notifier must not stop the others, nor the watcher
                log.exception(
                    "policy failure hook raised", extra={"hook": getattr(hook, "__name__", "?")}
                )

    def _admins_for(self, issues: tuple[PolicyIssue, ...]) -> tuple[str, ...]:
        """Admins of the serving policies whose files failed; all admins when none match."""
        if self.current is None:
            return ()
        files = {i.file for i in issues}
        named = [p for p in self.current if p.source in files]
        chosen = named or list(self.current)
        return tuple(dict.fromkeys(a for p in chosen for a in p.spec.admins))

    def snapshot(self) -> Snapshot:
        """Path, mtime and size of every file under the policy and template folders."""
        entries = []
        for root in (self.directory, self.template_root):
            if root is None or not root.is_dir():
                continue
            for path in sorted(root.rglob("*")):
                try:
                    stat = path.stat()
                except OSError:
                    continue  # deleted between listing and stat: the next poll sees it
                if path.is_file():
                    entries.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(entries)

    async def watch(self, interval: float = 1.0) -> None:
        """Poll for edits forever and reload on each change (cancel the task to stop)."""
        if not self.seen:  # never reloaded through this host: what is there now is the baseline
            self.seen = await asyncio.to_thread(self.snapshot)
        while True:
            await asyncio.sleep(interval)
            now = await asyncio.to_thread(self.snapshot)
            if now == self.seen:
                continue
            # Editors save in several steps; wait until the folder is quiet before loading it.
            while True:
                await asyncio.sleep(min(0.2, interval))
                settled = await asyncio.to_thread(self.snapshot)
                if settled == now:
                    break
                now = settled
            await self.refresh("watch")

    @property
    def version(self) -> str:
        return self.current.version if self.current else "none"

    @property
    def digest(self) -> str:
        return set_digest(self.current) if self.current else ""

    @property
    def ready(self) -> bool:
        return self.current is not None

    def policies(self) -> PolicySet:
        if self.current is None:
            raise RuntimeError("no policy loaded")
        return self.current

    def describe(self) -> dict[str, Any]:
        """What /readyz and the dashboard show: version, content hash, load time, last error."""
        error = self.last_error
        return {
            "version": self.version,
            "digest": self.digest,
            "loaded_at": self.loaded_at.isoformat() if self.loaded_at else None,
            "last_error": list(error.errors) if error else None,
            "last_error_at": error.at.isoformat() if error else None,
            "serving_last_good": bool(error and self.loaded_at and error.at > self.loaded_at),
        }
