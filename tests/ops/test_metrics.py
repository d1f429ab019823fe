"""/metrics over real HTTP: requests by route and status, check latency, findings, policy."""

from __future__ import annotations

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from bots import metrics


async def scrape(
    http: aiohttp.ClientSession, url: str
) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    async with http.get(f"{url}/metrics") as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        text = await response.text()
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_requests_checks_and_findings_are_counted(app_url, http) -> None:
    _, url = app_url
    before = await scrape(http, url)
    draft = {"draft": "I guarantee the parts arrive Friday. Call me anytime."}
    async with http.post(f"{url}/api/check", json=draft) as response:
        assert response.status == 200
    async with http.post(f"{url}/api/check", data=b"not json") as response:
        assert response.status == 400
    async with http.get(f"{url}/no/such/page") as response:
        assert response.status == 404
    after = await scrape(http, url)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("nudge_http_requests_total", route="/api/check", method="POST", status="200") == 1
    assert delta("nudge_http_requests_total", route="/api/check", method="POST", status="400") == 1
    # Unknown paths share one label value, so scanners cannot blow up the series count.
    assert delta("nudge_http_requests_total", route="unmatched", method="GET", status="404") == 1
    assert delta("nudge_check_duration_seconds_count") == 1
    assert delta("nudge_findings_total", category="overpromise", rule="overpromise.guarantee") == 1
    assert delta("nudge_findings_total", category="boundary", rule="boundary.always_available") == 1


async def test_policy_version_and_reload_status_are_exposed(app_url, http) -> None:
    app, url = app_url
    samples = await scrape(http, url)
    from bots.server import HOST

    version = app[HOST].version
    assert value(samples, "nudge_policy_info", version=version) == 1
    assert value(samples, "nudge_policy_ready") == 1
    assert value(samples, "nudge_policy_last_reload_success") == 1


async def test_a_failed_reload_shows_while_the_old_version_keeps_serving(tmp_path, http) -> None:
    import shutil

    from aiohttp.test_utils import TestServer

    from bots.checking import Checker
    from bots.policy_host import PolicyHost
    from bots.server import create_app
    from bots.settings import load_settings
    from tests.conftest import POLICIES, TEMPLATES

    policies = tmp_path / "policies"
    shutil.copytree(POLICIES, policies)
    host = PolicyHost(policies, TEMPLATES)
    assert host.reload().ok
    server = TestServer(create_app(load_settings(), host, Checker(host)), host="127.0.0.1")
    await server.start_server()
    try:
        (policies / "default.yaml").write_text("schema: 1\nname: [broken\n", encoding="utf-8")
        assert not host.reload().ok
        samples = await scrape(http, str(server.make_url("")).rstrip("/"))
    finally:
        await server.close()
    assert value(samples, "nudge_policy_last_reload_success") == 0
    assert value(samples, "nudge_policy_info", version=host.version) == 1
    assert value(samples, "nudge_policy_recent_reload_failures") == 1


async def test_the_reminder_counters_other_workers_increment_are_scraped(app_url, http) -> None:
    _, url = app_url
    before = await scrape(http, url)
    metrics.reminder_due("slack")
    metrics.reminder_sent("slack")
    metrics.reminder_failed("teams", retryable=True)
    after = await scrape(http, url)
    for name, labels in (
        ("nudge_reminders_due_total", {"platform": "slack"}),
        ("nudge_reminders_sent_total", {"platform": "slack"}),
        ("nudge_reminders_failed_total", {"platform": "teams", "retryable": "true"}),
    ):
        assert value(after, name, **labels) - value(before, name, **labels) == 1, name


async def test_a_slack_slash_command_is_counted_by_route_and_its_findings(tmp_path, http) -> None:
    import urllib.parse

    from aiohttp.test_utils import TestServer

    from bench.fakes import app as fake_platforms
    from bench.server import SECRET, signed
    from tests.ops.conftest import build_app, slash_form

    fake = TestServer(fake_platforms(), host="127.0.0.1")
    await fake.start_server()
    app, _ = build_app(
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_BOT_TOKEN="xoxb-0000-test",
        SLACK_API_URL=str(fake.make_url("/api/")),
        NUDGE_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'nudge.sqlite3'}",
    )
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    url = str(server.make_url("")).rstrip("/")
    form = slash_form("I guarantee it ships Friday.", url)
    body = urllib.parse.urlencode(form).encode()
    try:
        before = await scrape(http, url)
        async with http.post(f"{url}/slack/events", data=body, headers=signed(body)) as r:
            assert r.status == 200
        after = await scrape(http, url)
    finally:
        await server.close()
        await fake.close()

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert (
        delta("nudge_http_requests_total", route="/slack/events", method="POST", status="200") == 1
    )
    assert delta("nudge_findings_total", category="overpromise", rule="overpromise.guarantee") == 1
