"""Policies whose examples have already passed, so a restart or reload need not run them again.

Running every example of the bundled policies is most of a server's start-up. Their outcome is
fixed by the policy's content (a child's digest includes its parents'), the bundled templates,
the engine's own code and the versions of the libraries it runs on; a key over all of these
that once passed passes again. Only passes are remembered: a policy whose examples fail is run,
reported and refused every time. The keys live in a small JSON file; a missing, unreadable or
corrupt file just means the examples run.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bots.engine.policy.compiled import Policy
from bots.engine.templating import default_template_root

#: The newest keys kept: every policy of a few dozen edits.
KEEP = 256
_ENGINE = Path(__file__).resolve().parents[1]
_LIBRARIES = ("google-re2", "jinja2", "pydantic", "PyYAML")


@functools.cache
def code_fingerprint() -> str:
    """A hash of the engine's source and the libraries and Python it runs on."""
    digest = hashlib.sha256(sys.version.encode())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name}=?".encode())
    digest.update(folder_fingerprint(_ENGINE, "*.py").encode())
    return digest.hexdigest()


def folder_fingerprint(root: Path, pattern: str = "*") -> str:
    """A hash of every file under `root` (the template folder), by relative path and content."""
    digest = hashlib.sha256()
    if root.is_dir():
        for path in sorted(p for p in root.rglob(pattern) if p.is_file()):
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass
class VerifiedExamples:
    """Keys of policies whose examples passed; `path` None keeps them in memory only."""

    path: Path | None = None
    keys: dict[str, None] = field(default_factory=dict)  # insertion-ordered, oldest first
    changed: bool = False

    @classmethod
    def open(cls, path: Path | None) -> VerifiedExamples:
        """The keys stored at `path`; none when it is missing or unreadable."""
        found = cls(path)
        if path is None:
            return found
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            keys = data["verified"] if data.get("schema") == 1 else []
        except (OSError, ValueError, TypeError, AttributeError, KeyError):
            return found
        found.keys = {k: None for k in keys if isinstance(k, str)}
        return found

    def key(self, policy: Policy, templates: str) -> str:
        """What a pass of `policy`'s examples depends on; `templates` is a folder_fingerprint."""
        parts = (code_fingerprint(), templates, policy.digest)
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def __contains__(self, key: str) -> bool:
        return key in self.keys

    def add(self, key: str) -> None:
        self.changed = self.changed or key not in self.keys
        self.keys.pop(key, None)
        self.keys[key] = None
        while len(self.keys) > KEEP:
            del self.keys[next(iter(self.keys))]

    def record(self, other: VerifiedExamples) -> bool:
        """Add `other`'s keys and save; False when nothing was written."""
        for key in other.keys:
            self.add(key)
        return self.save()

    def save(self) -> bool:
        """Write the keys if any were added (atomically); False when nothing was written."""
        if self.path is None or not self.changed:
            return False
        body = json.dumps({"schema": 1, "verified": list(self.keys)}, indent=0)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".verified-", suffix=".tmp")
        except OSError:
            return False  # a read-only file system: the examples run at each start
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(body)
            os.replace(temp, self.path)  # readers see the old file or the new one, never half
        except OSError:
            Path(temp).unlink(missing_ok=True)
            return False
        self.changed = False
        return True


@dataclass(frozen=True)
class ExampleGate:
    """One load's view of the verified keys: whose examples must run, and who passed."""

    verified: VerifiedExamples | None = None
    templates: str = ""

    @classmethod
    def for_load(cls, verified: VerifiedExamples | None, template_root: Path | None) -> ExampleGate:
        if verified is None:
            return cls()
        return cls(verified, folder_fingerprint(template_root or default_template_root()))

    def needed(self, policy: Policy) -> bool:
        """True unless these examples passed before, on this code and these templates."""
        return (
            self.verified is None or self.verified.key(policy, self.templates) not in self.verified
        )

    def passed(self, policy: Policy) -> None:
        if self.verified is not None:
            self.verified.add(self.verified.key(policy, self.templates))
