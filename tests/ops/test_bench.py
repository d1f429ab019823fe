"""The benchmark harness still runs against the engine it measures (it uses check()'s internals)."""

from __future__ import annotations

import json
from pathlib import Path

from bench.__main__ import main
from bench.engine import NOW, full, scan
from bots.engine import Draft, check


def test_scan_finds_exactly_what_check_finds(en_policy) -> None:
    draft = Draft("I guarantee delivery by Friday. Call me anytime, even at the weekend.")
    assert scan(en_policy)(draft) == list(check(draft, en_policy, now=NOW).findings)
    assert full(en_policy)(draft) == check(draft, en_policy, now=NOW)


def test_quick_engine_run_prints_a_table_and_writes_json(tmp_path: Path, capsys) -> None:
    output = tmp_path / "engine.json"
    assert main(["--only", "engine", "--quick", "--output", str(output)]) == 0
    results = json.loads(output.read_text(encoding="utf-8"))
    rows = results["engine"]["rows"]
    assert {(r["words"], r["stage"]) for r in rows} >= {(200, "scan"), (200, "full")}
    assert all(r["p50_us"] > 0 and r["p99_us"] >= r["p50_us"] for r in rows)
    assert any(r["findings_per_draft"] > 0 for r in rows)  # the drafts do contain problems
    assert "Engine, µs per draft" in capsys.readouterr().out
