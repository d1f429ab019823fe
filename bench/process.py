"""Process cost: time from start to ready (/readyz answers 200) and resident memory."""

from __future__ import annotations

import asyncio
import compileall
import statistics
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import synthetic
from bench.load import run_load
from bench.server import playground
from bench.spawn import NUDGE, ROOT, free_port, nudge_env, spawn


def run(quick: bool = False, log: Callable[[str], None] = print) -> dict[str, Any]:
    starts = 1 if quick else 3
    # An installed Nudge has its bytecode (pip compiles it; so does the image build). A checkout
    # under PYTHONDONTWRITEBYTECODE=1 never gets any and would compile every module at each
    # start (~6% of the instructions to ready), which no deployment does.
    compileall.compile_dir(ROOT / "bots", quiet=1)
    rows = []
    with tempfile.TemporaryDirectory(prefix="nudge-bench-") as tmp:
        # Development mounts Teams (botbuilder) for the Emulator; production without a Teams app
        # id does not, so the two differ by botbuilder's imports.
        runs: list[tuple[str, Path, dict[str, str]]] = [
            ("bundled policies, development (Teams on)", ROOT / "policies", {}),
            ("bundled policies, production, Slack only", ROOT / "policies", PRODUCTION_SLACK),
            # What a deployment of this bot runs: both platforms (botbuilder's imports included).
            (
                "bundled policies, production, Slack + Teams",
                ROOT / "policies",
                PRODUCTION_SLACK | PRODUCTION_TEAMS,
            ),
        ]
        if not quick:
            # A start whose policies' examples have not passed on this code before (the first
            # after an edit): every example runs, as it did at every start before they were kept.
            cold = {"NUDGE_EXAMPLES_CACHE": "off"}
            runs.append(("bundled policies, development, examples run", ROOT / "policies", cold))
            synthetic.write_policy(ROOT / "policies" / "default.yaml", Path(tmp) / "rules-500", 500)
            runs.append(("500 synthetic rules, development", Path(tmp) / "rules-500", {}))
        for label, directory, extra in runs:
            rows.append(_measure(label, directory, Path(tmp), starts, log, extra))
    return {"rows": rows}


PRODUCTION_SLACK = {
    "NUDGE_ENV": "production",
    "SLACK_SIGNING_SECRET": "bench-signing-secret",
    "SLACK_BOT_TOKEN": "xoxb-0000-bench",
    "SLACK_API_URL": "http://127.0.0.1:9/api/",  # never called before the first Slack request
}

PRODUCTION_TEAMS = {  # no token is fetched before the first Teams activity
    "MICROSOFT_APP_ID": "00000000-0000-0000-0000-00000000beef",
    "MICROSOFT_APP_PASSWORD": "bench-app-password",
    "MICROSOFT_APP_TENANT_ID": "00000000-0000-0000-0000-0000000000aa",
}


def _measure(
    label: str,
    directory: Path,
    tmp: Path,
    starts: int,
    log: Callable[[str], None],
    extra: dict[str, str],
) -> dict[str, Any]:
    ready: list[float] = []
    cpu_ready: list[float] = []
    rss_ready: list[float] = []
    rss_loaded = float("nan")
    for attempt in range(starts):
        port = free_port()
        env = nudge_env(
            port,
            NUDGE_POLICY_DIR=str(directory),
            NUDGE_DATABASE_URL=f"sqlite+aiosqlite:///{tmp / f'p{port}.sqlite3'}",
            **extra,
        )
        if env.get("NUDGE_ENV") == "production":  # production never migrates by itself
            subprocess.run([str(NUDGE), "db", "upgrade"], env=env, check=True, capture_output=True)
        server = spawn([str(NUDGE), "serve"], env, port, "/readyz")
        try:
            ready.append(server.ready_after_s)
            cpu_ready.append(
                server.cpu_seconds()
            )  # wall time is at the mercy of the machine's load
            rss_ready.append(server.rss_mib())
            if attempt == starts - 1:
                # Memory after real work: a few thousand checks through HTTP.
                asyncio.run(run_load(server.url, playground(), 8, 2.0))
                rss_loaded = server.rss_mib()
        finally:
            server.stop()
    row = {
        "policy": label,
        "ready_s": round(statistics.median(ready), 3),
        "cpu_s_to_ready": round(statistics.median(cpu_ready), 3),
        "rss_mib_ready": round(statistics.median(rss_ready), 1),
        "rss_mib_after_load": round(rss_loaded, 1),
        "starts": starts,
    }
    log(
        f"  process {label}: ready {row['ready_s']} s, "
        f"RSS {row['rss_mib_ready']} MiB → {row['rss_mib_after_load']} MiB"
    )
    return row
