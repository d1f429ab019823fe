"""Run the real `nudge` command in a subprocess, as scripts and CI do."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_nudge(*args: str, stdin: bytes | str | None = None, cwd: Path | None = None) -> Result:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    proc = subprocess.run(
        [sys.executable, "-m", "bots", *args],
        input=data,
        capture_output=True,
        cwd=cwd or ROOT,
        timeout=60,
        check=False,
    )
    return Result(proc.returncode, proc.stdout.decode(), proc.stderr.decode())


@pytest.fixture
def nudge():  # type: ignore[no-untyped-def]
    return run_nudge
