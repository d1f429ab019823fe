"""`python -m bench [--quick] [--only engine,server,process]`: run, print a table, write JSON."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
from pathlib import Path
from typing import Any

from bench import report
from bench.timing import one_core

RESULTS = Path(__file__).resolve().parent / "results"
SUITES = ("engine", "server", "process")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="fewer sizes, shorter runs (a smoke test)"
    )
    parser.add_argument(
        "--only", default=",".join(SUITES), help=f"comma-separated: {', '.join(SUITES)}"
    )
    parser.add_argument("--output", type=Path, help="JSON file (default bench/results/<time>.json)")
    args = parser.parse_args(argv)
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(chosen) - set(SUITES)
    if unknown:
        parser.error(f"unknown suite(s): {', '.join(sorted(unknown))}")
    with one_core() as cpu:
        results: dict[str, Any] = {"meta": _meta(cpu, args.quick)}
        for suite in chosen:
            print(f"running {suite} ...", file=sys.stderr)
            results[suite] = _suite(suite, args.quick)
    results["targets"] = report.targets(results)
    print(report.render(results))
    output = args.output or RESULTS / f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {output}", file=sys.stderr)
    return 0


def _suite(name: str, quick: bool) -> dict[str, Any]:
    log = lambda line: print(line, file=sys.stderr)  # noqa: E731
    if name == "engine":
        from bench import engine

        return engine.run(quick, log)
    if name == "server":
        from bench import server

        return server.run(quick, log)
    from bench import process

    return process.run(quick, log)


def _meta(cpu: int | None, quick: bool) -> dict[str, Any]:
    return {
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "processor": platform.processor() or platform.machine(),
        "pinned_cpu": cpu,
        "quick": quick,
    }


if __name__ == "__main__":
    raise SystemExit(main())
