"""`nudge policy reload|show|diff`: the admin's side of policies."""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bots.cli import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    emit_json,
    load_policies,
    template_dir,
)
from bots.engine import load_policy_dir
from bots.settings import load_settings


def add_commands(psub: Any) -> None:
    """Register reload, show and diff under `nudge policy`."""
    reload = psub.add_parser("reload", help="ask the running server to reload its policies now")
    reload.add_argument("--url", help="server base URL (default http://127.0.0.1:PORT)")
    reload.add_argument("--token", help="admin token (default: NUDGE_ADMIN_TOKEN)")
    reload.add_argument("--format", choices=("text", "json"), default="text")
    reload.set_defaults(handler=cmd_reload)

    show = psub.add_parser(
        "show", help="print the effective policy for a team/channel, with sources"
    )
    show.add_argument("--team", help="team id (Slack team / Teams team)")
    show.add_argument("--channel", help="channel id")
    show.add_argument("--language", help="en or pt (default: the default policy's)")
    show.add_argument(
        "--policy", metavar="DIR", help="policy directory (default: NUDGE_POLICY_DIR)"
    )
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.set_defaults(handler=cmd_show)

    diff = psub.add_parser("diff", help="compare two policy folders on a corpus before shipping")
    diff.add_argument("old", metavar="OLD_DIR")
    diff.add_argument("new", metavar="NEW_DIR")
    diff.add_argument(
        "--corpus", required=True, metavar="FILE", help="JSON Lines, as for `nudge eval`"
    )
    diff.add_argument("--format", choices=("text", "json"), default="text")
    diff.set_defaults(handler=cmd_diff)


def cmd_show(args: argparse.Namespace) -> int:
    from bots.admin.show import effective, render_text

    view = effective(load_policies(args, examples=False), language=args.language, team=args.team,
                     channel=args.channel)  # fmt: skip
    if args.format == "json":
        emit_json(view)
    else:
        sys.stdout.write(render_text(view))
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from bots.admin.diff import diff, read_samples, render_text

    old = load_policy_dir(Path(args.old), template_dir(), examples=False)
    new = load_policy_dir(Path(args.new), template_dir(), examples=False)
    try:
        with open(args.corpus, encoding="utf-8") as handle:
            result = diff(read_samples(handle), old, new)
    except OSError as exc:
        raise UsageError(f"cannot read corpus {args.corpus}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"corpus {args.corpus} is not valid UTF-8 (byte {exc.start})") from None
    for bad in result.bad_lines:
        print(f"nudge: {args.corpus}: line {bad.line}: {bad.message}", file=sys.stderr)
    if args.format == "json":
        emit_json(result.to_dict())
    else:
        sys.stdout.write(render_text(result))
    return EXIT_FINDINGS if result.rules else EXIT_OK


def cmd_reload(args: argparse.Namespace) -> int:
    settings = load_settings()
    token = (
        args.token
        or os.environ.get("NUDGE_ADMIN_TOKEN")
        or (settings.admin_token.get_secret_value() if settings.admin_token else None)
    )
    if not token:
        raise UsageError("no admin token: pass --token or set NUDGE_ADMIN_TOKEN")
    base = (args.url or f"http://127.0.0.1:{settings.port}").rstrip("/")
    status, body = _post(f"{base}/admin/api/reload", token)
    if args.format == "json":
        emit_json(body)
    elif body.get("ok"):
        print(f"reloaded: {body.get('version')} (hash {body.get('digest')})")
    else:
        _print_failure(status, body)
    return EXIT_OK if body.get("ok") else EXIT_FINDINGS if status == 422 else EXIT_USAGE


def _print_failure(status: int, body: dict[str, Any]) -> None:
    if status != 422:
        print(
            f"nudge: error: the server answered {status}: {body.get('error', body)}",
            file=sys.stderr,
        )
        return
    print(f"reload refused; still serving {body.get('version')}:", file=sys.stderr)
    for e in body.get("errors", []):
        print(
            f"  {e['file']}:{e['line']}:{e['column']}: {e['path']}: {e['message']}", file=sys.stderr
        )


def _post(url: str, token: str) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        url, data=b"", method="POST", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        try:
            return exc.code, json.loads(raw)
        except ValueError:
            return exc.code, {"error": raw.decode("utf-8", "replace")[:200]}
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise UsageError(f"cannot reach {url}: {reason} (is `nudge serve` running?)") from None


__all__ = ["EXIT_USAGE", "add_commands"]
