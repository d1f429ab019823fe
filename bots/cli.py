"""The `nudge` command: check, eval, policy validate|test|explain, serve.

Exit status like a linter: 0 nothing found, 1 findings (or failures), 2 usage or policy error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from bots.startup import collector_paused

if TYPE_CHECKING:
    from bots.engine import PolicySet
    from bots.engine.policy.verified import VerifiedExamples

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in how the command was called; printed on stderr, exit 2."""


def main(argv: Sequence[str] | None = None) -> int:
    with collector_paused():  # the commands' modules (the engine, pydantic) import faster
        parser = build_parser()
        from bots.engine import DraftError, PolicyError
        from bots.settings import SettingsError
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.handler(args))
    except (UsageError, DraftError, SettingsError) as exc:
        print(f"nudge: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except PolicyError as exc:
        print(f"nudge: the policy has {len(exc.issues)} problem(s):", file=sys.stderr)
        for issue in exc.issues:
            print(f"  {issue}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    from bots import cli_commands as commands

    parser = argparse.ArgumentParser(
        prog="nudge", description="Check replies to difficult clients before they are sent."
    )
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    check = sub.add_parser("check", help="check one draft (a file, or - for standard input)")
    check.add_argument("file", nargs="?", default="-", help="draft file, or - (default) for stdin")
    check.add_argument(
        "--client-message", metavar="TEXT|@FILE", help="the client's message, as context"
    )
    check.add_argument("--at", metavar="ISO-8601", help="when the draft is sent (default: now)")
    check.add_argument(
        "--locale", help="the writer's locale, e.g. en-GB or pt-BR (default: detected)"
    )
    check.add_argument(
        "--timezone", help="the writer's IANA time zone (default: the offset of --at)"
    )
    _policy_and_format(check)
    check.set_defaults(handler=commands.cmd_check)

    ev = sub.add_parser("eval", help="measure detection on a labelled corpus (JSON Lines)")
    ev.add_argument("corpus", help="corpus file in the format of DESIGN.md")
    ev.add_argument(
        "--by-rule", action="store_true", help="list each rule's true and false positives"
    )
    _policy_and_format(ev)
    ev.set_defaults(handler=commands.cmd_eval)

    policy = sub.add_parser("policy", help="validate, test or explain a policy")
    psub = policy.add_subparsers(title="policy commands", metavar="ACTION")
    validate = psub.add_parser("validate", help="load every policy file and report every problem")
    _policy_and_format(validate)
    validate.set_defaults(handler=commands.cmd_policy_validate)
    test = psub.add_parser("test", help="run every rule's examples (and the rewrite invariant)")
    _policy_and_format(test)
    test.set_defaults(handler=commands.cmd_policy_test)
    explain = psub.add_parser("explain", help="show what every rule did with one draft")
    explain.add_argument("file", nargs="?", default="-")
    explain.add_argument("--client-message", metavar="TEXT|@FILE")
    explain.add_argument("--at", metavar="ISO-8601")
    explain.add_argument("--locale")
    explain.add_argument("--timezone")
    _policy_and_format(explain)
    explain.set_defaults(handler=commands.cmd_policy_explain)
    from bots.cli_policy import add_commands as add_admin_commands

    add_admin_commands(psub)

    serve = sub.add_parser("serve", help="start the server (playground, Slack, Teams)")
    serve.add_argument("--host", help="address to bind (default 127.0.0.1; NUDGE_HOST)")
    serve.add_argument("--port", type=int, help="port (default 3978; PORT)")
    serve.add_argument("--policy", metavar="DIR", help="policy directory (NUDGE_POLICY_DIR)")
    serve.set_defaults(handler=commands.cmd_serve)

    pkg = sub.add_parser("teams-package", help="build and validate the Teams app package (zip)")
    pkg.add_argument("--domain", required=True, help="public host, e.g. nudge.example.com")
    pkg.add_argument("--out", default="nudge-teams.zip", help="zip to write")
    pkg.add_argument("--version", default="1.0.0", help="app version, e.g. 1.0.0")
    pkg.add_argument("--app-id", help="Teams app GUID (default: derived from MICROSOFT_APP_ID)")
    pkg.add_argument("--source", help="folder with manifest.json and icons (default deploy/teams)")
    pkg.set_defaults(handler=commands.cmd_teams_package)

    db = sub.add_parser("db", help="database schema: upgrade, check")
    dsub = db.add_subparsers(title="db commands", metavar="ACTION")
    for action, text, handler in (
        ("upgrade", "apply pending schema migrations", commands.cmd_db_upgrade),
        ("check", "exit 0 if the schema matches this code, else 2", commands.cmd_db_check),
    ):
        cmd = dsub.add_parser(action, help=text)
        cmd.add_argument("--database-url", help="default: NUDGE_DATABASE_URL or the SQLite file")
        cmd.set_defaults(handler=handler)
    return parser


def _policy_and_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--policy", metavar="DIR", help="policy directory (default: NUDGE_POLICY_DIR or ./policies)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")


def load_policies(
    args: argparse.Namespace, examples: bool = True, verified: VerifiedExamples | None = None
) -> PolicySet:
    from bots.engine import load_policy_dir
    from bots.settings import load_settings

    directory = Path(args.policy) if args.policy else load_settings().policy_dir
    return load_policy_dir(directory, template_dir(), examples=examples, verified=verified)


def template_dir() -> Path:
    from bots.settings import ROOT, load_settings

    return load_settings().template_dir if (ROOT / "templates").exists() else Path("templates")


def read_text_arg(value: str, what: str) -> str:
    """`TEXT` as is, `@FILE` read as UTF-8, `-` read from stdin."""
    if value == "-":
        return decode(sys.stdin.buffer.read(), "standard input")
    if value.startswith("@"):
        return read_file(Path(value[1:]), what)
    return value


def read_file(path: Path, what: str) -> str:
    try:
        return decode(path.read_bytes(), str(path))
    except FileNotFoundError:
        raise UsageError(f"{what} file not found: {path}") from None
    except IsADirectoryError:
        raise UsageError(f"{what} path is a directory: {path}") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None


def decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{source} is not valid UTF-8 (bad byte at offset {exc.start})") from None


def parse_at(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"--at {value!r} is not an ISO-8601 time, e.g. 2026-03-02T21:30:00-05:00"
        ) from None


def system_now() -> dt.datetime:
    """Now, in this machine's zone: the default `--at`, read when the command runs."""
    return dt.datetime.now().astimezone()


def emit_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def fail(message: str) -> NoReturn:
    raise UsageError(message)
