"""Live reload: the last good policy keeps serving, hooks hear of failures, /readyz tells."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp

from bots.cli import main as nudge
from bots.policy_host import PolicyHost, ReloadOutcome
from tests.admin.conftest import TOKEN

BROKEN = "  - id: overpromise.guarantee\n    category: overpromise\n"


def break_default(policy_dir: Path) -> None:
    """An edit an admin might make: a YAML key with a typo inside the first rule."""
    path = policy_dir / "default.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("    severity: warning\n", "    severity: warning\n    colour: red\n", 1)
    )


def colour_line(policy_dir: Path) -> int:
    lines = (policy_dir / "default.yaml").read_text(encoding="utf-8").splitlines()
    return lines.index("    colour: red") + 1


def add_admin(policy_dir: Path, who: str) -> None:
    path = policy_dir / "default.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("admins: []", f"admins: [{who}]"), encoding="utf-8")


async def test_a_broken_edit_keeps_the_last_good_policy_and_tells_the_hooks(host, policy_dir):
    add_admin(policy_dir, "U0ADMIN")
    assert (await host.refresh()).ok
    good = host.version
    heard: list[ReloadOutcome] = []

    async def notifier(outcome: ReloadOutcome) -> None:
        heard.append(outcome)

    async def broken_notifier(outcome: ReloadOutcome) -> None:
        raise RuntimeError("Slack is down")

    host.on_failure += [broken_notifier, notifier]
    break_default(policy_dir)
    outcome = await host.refresh("test")
    assert not outcome.ok and host.version == good
    assert heard == [outcome]  # the broken hook did not stop the next one
    (issue,) = outcome.issues
    assert issue.file.endswith("default.yaml") and issue.path == "rules[0].colour"
    assert issue.line == colour_line(policy_dir) and "unknown key 'colour'" in issue.message
    assert outcome.admins == ("U0ADMIN",)
    assert host.describe()["serving_last_good"] is True


async def test_the_watcher_reloads_on_edit_and_survives_a_bad_one(policy_dir):
    host = PolicyHost(policy_dir, None)
    assert host.reload("startup").ok
    first = host.digest
    task = asyncio.create_task(host.watch(0.05))
    try:
        add_admin(policy_dir, "U0NEW")
        await _until(lambda: host.digest != first)
        assert host.history[-1].trigger == "watch" and host.history[-1].ok
        second = host.digest
        break_default(policy_dir)
        await _until(lambda: not host.history[-1].ok)
        assert host.digest == second
    finally:
        task.cancel()


async def _until(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def test_readyz_shows_version_hash_load_time_and_last_error(
    make_app, serve, policy_dir, host
):
    base = await serve(make_app())
    async with aiohttp.ClientSession() as http:
        ready = await (await http.get(f"{base}/readyz")).json()
        assert ready["ready"] is True
        assert ready["policy"]["digest"] == host.digest and len(host.digest) == 12
        assert ready["policy"]["loaded_at"] and ready["policy"]["last_error"] is None
        break_default(policy_dir)
        answer = await http.post(
            f"{base}/admin/api/reload", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert answer.status == 422
        body = await answer.json()
        assert body["errors"][0]["path"] == "rules[0].colour" and body["errors"][0][
            "line"
        ] == colour_line(policy_dir)
        ready = await (await http.get(f"{base}/readyz")).json()
        assert ready["policy"]["serving_last_good"] is True
        assert "unknown key 'colour'" in ready["policy"]["last_error"][0]
        check = await http.post(f"{base}/api/check", json={"draft": "I guarantee it lands Friday."})
        assert check.status == 200 and (await check.json())["findings"]  # still serving


async def test_reload_api_needs_the_token(make_app, serve):
    base = await serve(make_app())
    async with aiohttp.ClientSession() as http:
        assert (await http.post(f"{base}/admin/api/reload")).status == 401
        wrong = {"Authorization": "Bearer not-the-token"}
        assert (await http.post(f"{base}/admin/api/reload", headers=wrong)).status == 401


async def test_without_a_token_admin_is_off_with_a_clear_message(make_app, serve):
    base = await serve(make_app(NUDGE_ADMIN_TOKEN=""))
    async with aiohttp.ClientSession() as http:
        for method, path in (
            ("GET", "/admin"),
            ("POST", "/admin/api/reload"),
            ("GET", "/admin/login"),
        ):
            answer = await http.request(method, f"{base}{path}", allow_redirects=False)
            assert answer.status == 404
            assert "set NUDGE_ADMIN_TOKEN" in await answer.text()


async def test_nudge_policy_reload_calls_the_running_server(make_app, serve, policy_dir, capsys):
    base = await serve(make_app())
    add_admin(policy_dir, "U0CLI")
    code = await asyncio.to_thread(nudge, ["policy", "reload", "--url", base, "--token", TOKEN])
    assert code == 0
    assert "reloaded:" in capsys.readouterr().out
    break_default(policy_dir)
    code = await asyncio.to_thread(nudge, ["policy", "reload", "--url", base, "--token", TOKEN])
    err = capsys.readouterr().err
    assert code == 1 and "reload refused" in err and "rules[0].colour: unknown key 'colour'" in err
    code = await asyncio.to_thread(nudge, ["policy", "reload", "--url", base, "--token", "nope"])
    assert code == 2 and "401" in capsys.readouterr().err


async def test_the_app_watches_the_policy_folder_while_it_runs(make_app, serve, policy_dir, host):
    await serve(make_app(NUDGE_POLICY_WATCH_SECONDS=0.05))
    before = host.digest
    add_admin(policy_dir, "U0WATCH")
    await _until(lambda: host.digest != before)
    assert host.current is not None and "U0WATCH" in host.current.default.spec.admins


async def test_a_host_filled_without_reload_is_not_reloaded_until_something_changes(policy_dir):
    from bots.engine import load_policy_dir

    host = PolicyHost(policy_dir, None, current=load_policy_dir(policy_dir))
    task = asyncio.create_task(host.watch(0.02))
    try:
        await asyncio.sleep(0.2)
        assert host.history == []
        add_admin(policy_dir, "U0LATER")
        await _until(lambda: bool(host.history))
        assert host.history[-1].ok and host.history[-1].trigger == "watch"
    finally:
        task.cancel()
