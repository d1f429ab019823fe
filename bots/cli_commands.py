"""What each `nudge` subcommand does; parsing and error handling live in bots.cli."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bots.cli import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    emit_json,
    load_policies,
    parse_at,
    read_file,
    read_text_arg,
    system_now,
)
from bots.engine import Draft, Trace, check
from bots.engine.policy.examples import run_examples
from bots.evaluation import evaluate, read_corpus
from bots.rendering import text as render


def _draft(args: argparse.Namespace) -> Draft:
    text = (
        read_text_arg(args.file, "draft")
        if args.file == "-"
        else read_file(Path(args.file), "draft")
    )
    client = read_text_arg(args.client_message, "client message") if args.client_message else None
    return Draft(text, client, parse_at(args.at), locale=args.locale, timezone=args.timezone)


def cmd_check(args: argparse.Namespace) -> int:
    policies = load_policies(args, examples=False)
    draft = _draft(args)
    policy = policies.select(draft.text, draft.locale)
    report = check(draft, policy, now=draft.sent_at or system_now())
    if args.format == "json":
        emit_json(report.to_dict())
    else:
        sys.stdout.write(render.report(report, draft.text))
    return EXIT_FINDINGS if report.findings else EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    policies = load_policies(args, examples=False)
    draft = _draft(args)
    policy = policies.select(draft.text, draft.locale)
    trace = Trace(enabled=True)
    report = check(draft, policy, now=draft.sent_at or system_now(), trace=trace)
    if args.format == "json":
        emit_json(
            {
                "policy": {
                    "name": policy.name,
                    "version": policy.version,
                    "language": policy.language,
                },
                "client": report.client.to_dict(),
                "after_hours": report.after_hours,
                "events": [
                    {
                        "rule": e.rule,
                        "what": e.what,
                        "detail": e.detail,
                        "start": e.start,
                        "end": e.end,
                    }
                    for e in trace.events
                ],
                "findings": [f.to_dict() for f in report.findings],
            }
        )
    else:
        sys.stdout.write(render.explanation(policy, report, trace.events))
    return EXIT_FINDINGS if report.findings else EXIT_OK


cmd_policy_explain = cmd_explain


def cmd_eval(args: argparse.Namespace) -> int:
    policies = load_policies(args, examples=False)
    path = Path(args.corpus)
    try:
        handle = path.open(encoding="utf-8", errors="strict")
    except OSError as exc:
        print(f"nudge: error: cannot read corpus {path}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    with handle:
        try:
            result = evaluate(read_corpus(handle), policies)
        except UnicodeDecodeError as exc:
            print(
                f"nudge: error: corpus {path} is not valid UTF-8 (byte {exc.start})",
                file=sys.stderr,
            )
            return EXIT_USAGE
    for bad in result.bad_lines:
        where = f"line {bad.line}" if bad.line else "skipped"
        print(f"nudge: {path}: {where}: {bad.message}", file=sys.stderr)
    if args.format == "json":
        emit_json(result.to_dict(by_rule=args.by_rule))
    else:
        sys.stdout.write(render.evaluation(result, by_rule=args.by_rule))
    return EXIT_OK if result.cases else EXIT_USAGE


def cmd_policy_validate(args: argparse.Namespace) -> int:
    from bots.engine.policy.verified import VerifiedExamples
    from bots.settings import load_settings

    passed = VerifiedExamples()  # empty: validate runs every example, whatever was recorded
    policies = load_policies(args, examples=True, verified=passed)
    # ...and records the passes, so a server started next on the same files skips them.
    VerifiedExamples.open(load_settings().examples_cache).record(passed)
    if args.format == "json":
        emit_json(
            {
                "ok": True,
                "policies": [
                    {
                        "name": p.name,
                        "version": p.version,
                        "language": p.language,
                        "rules": len(p.rules),
                        "file": p.source,
                    }
                    for p in policies
                ],
            }
        )
    else:
        for p in policies:
            print(
                f"ok  {p.source}: policy {p.name} {p.version} ({p.language}), {len(p.rules)} rules"
            )
    return EXIT_OK


def cmd_policy_test(args: argparse.Namespace) -> int:
    from bots.engine.policy.invariants import rewrite_problems

    policies = load_policies(args, examples=False)
    failures = 0
    rows = []
    for policy in policies:
        for result in run_examples(policy):
            problems = rewrite_problems(policy, result) if result.ok else []
            ok = result.ok and not problems
            failures += not ok
            rows.append((policy, result, ok, problems))
    untested = [
        (p.name, r.id)
        for p in policies
        for r in p.rules
        if r.spec.enabled and not (r.spec.examples.flag and r.spec.examples.pass_)
    ]
    if args.format == "json":
        emit_json(
            {
                "passed": sum(1 for row in rows if row[2]),
                "failed": failures,
                "failures": [
                    {
                        "policy": p.name,
                        "rule": r.rule,
                        "expect": r.expect,
                        "index": r.index,
                        "draft": r.draft,
                        "detail": r.detail,
                        "rewrite_problems": probs,
                        **_located(policies, p.name, r),
                    }
                    for p, r, ok, probs in rows
                    if not ok
                ],
                "rules_without_examples": [{"policy": n, "rule": r} for n, r in untested],
            }
        )
    else:
        from bots.admin.policytest import render as render_policy_test

        sys.stdout.write(render_policy_test(policies, rows, untested))
    return EXIT_FINDINGS if failures else EXIT_OK


def _located(policies: Any, policy: str, result: Any) -> dict[str, Any]:
    from bots.engine.policy.locate import example_location

    file, line, _ = example_location(policies, policy, result.rule, result.expect, result.index)
    return {"file": file, "line": line}


def cmd_serve(args: argparse.Namespace) -> int:
    from bots.settings import load_settings
    from bots.startup import collector_paused

    with collector_paused():  # aiohttp, SQLAlchemy and the SDKs: all long-lived
        from bots.server import serve

    overrides: dict[str, object] = {}
    if args.host:
        overrides["NUDGE_HOST"] = args.host
    if args.port is not None:
        overrides["PORT"] = args.port
    if args.policy:
        overrides["NUDGE_POLICY_DIR"] = args.policy
    return serve(load_settings(**overrides))


def cmd_teams_package(args: argparse.Namespace) -> int:
    """Build the Teams zip from the settings (MICROSOFT_APP_ID) and validate it."""
    from bots.cli import fail
    from bots.settings import ROOT, load_settings
    from bots.teams.package import PackageError, PackageInputs, build_package

    bot_id = load_settings().microsoft_app_id
    if not bot_id:
        fail("set MICROSOFT_APP_ID (the bot's Microsoft App ID) to build the Teams package")
    source = Path(args.source) if args.source else ROOT / "deploy" / "teams"
    inputs = PackageInputs(bot_id, args.domain, args.version, args.app_id)
    try:
        blob, manifest = build_package(source, inputs)
    except PackageError as exc:
        fail(str(exc))
    Path(args.out).write_bytes(blob)
    print(f"wrote {args.out}: Teams app {manifest['id']} for bot {bot_id}", file=sys.stderr)
    return EXIT_OK


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from bots.settings import load_settings
    from bots.store.admin import db_upgrade

    return db_upgrade(args.database_url or load_settings().database_url)


def cmd_db_check(args: argparse.Namespace) -> int:
    from bots.settings import load_settings
    from bots.store.admin import db_check

    return db_check(args.database_url or load_settings().database_url)
