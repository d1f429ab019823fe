"""/admin over real HTTP with a real SQLite file: sign-in, counts, rates, and no draft text."""

from __future__ import annotations

import datetime as dt

import aiohttp
from sqlalchemy import select

from bots.admin.counts import record_report
from bots.admin.feedback import is_noisy, rule_stats
from bots.engine import Draft, check
from bots.store.feedback import record_feedback
from bots.store.models import DailyCount, Reminder
from tests.admin.conftest import SECRET_DRAFTS, TOKEN


def browser() -> aiohttp.ClientSession:
    """A client that keeps cookies for 127.0.0.1 like a browser (aiohttp refuses IPs by default)."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def sign_in(
    http: aiohttp.ClientSession, base: str, token: str = TOKEN
) -> aiohttp.ClientResponse:
    return await http.post(f"{base}/admin/login", data={"token": token}, allow_redirects=False)


async def test_signing_in_sets_an_httponly_cookie_that_opens_the_dashboard(make_app, serve, host):
    base = await serve(make_app())
    async with browser() as http:
        first = await http.get(f"{base}/admin", allow_redirects=False)
        assert first.status == 303 and first.headers["Location"] == "/admin/login"
        wrong = await sign_in(http, base, "guess")
        assert wrong.status == 401 and "not right" in await wrong.text()
        right = await sign_in(http, base)
        assert right.status == 303
        cookie = right.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and TOKEN not in cookie
        assert "Secure" not in cookie  # plain-HTTP development; production sets it
        page = await http.get(f"{base}/admin")
        html = await page.text()
        assert page.status == 200 and host.digest in html and host.version in html
        assert html.count("<svg") >= 4
        assert "The database could not be read" in html  # this app's database has no tables
        view = await (await http.get(f"{base}/admin/api/policy?team=T0LEGAL")).json()
        assert view["policy"] == "legal" and view["chain"] == ["default", "legal"]
        await http.post(f"{base}/admin/logout", allow_redirects=False)
        http.cookie_jar.clear()
        assert (await http.get(f"{base}/admin", allow_redirects=False)).status == 303


async def test_a_cookie_session_cannot_post_without_our_header(make_app, serve):
    base = await serve(make_app())
    async with browser() as http:
        await sign_in(http, base)
        assert (await http.post(f"{base}/admin/api/reload")).status == 403
        ok = await http.post(
            f"{base}/admin/api/reload", headers={"X-Requested-With": "nudge-admin"}
        )
        assert ok.status == 200 and (await ok.json())["ok"] is True


async def test_checks_are_counted_and_no_draft_text_reaches_the_admin_pages(make_app, serve, db):
    base = await serve(make_app(db))
    async with browser() as http:
        for text in SECRET_DRAFTS:
            answer = await http.post(f"{base}/api/check", json={"draft": text})
            assert (await answer.json())["findings"]  # these drafts really were checked
        await sign_in(http, base)
        pages = [
            await (await http.get(f"{base}{p}")).text() for p in ("/admin", "/admin/api/summary")
        ]
        summary = await (await http.get(f"{base}/admin/api/summary")).json()
    async with db.session() as session:
        rows = {
            (r.rule_id, r.category): r.count
            for r in (await session.execute(select(DailyCount))).scalars()
        }
    assert rows[("_drafts", "checked")] == 2  # written once, by the dashboard's flush
    assert rows[("overpromise.guarantee", "overpromise")] >= 2
    assert summary["drafts_checked"] == 2
    assert sum(summary["findings_per_week"]["overpromise"]) >= 3
    for page in pages:
        for text in SECRET_DRAFTS:
            for fragment in (text, text[:12], "Zanzibar", "Okonkwo", "Quillfeather"):
                assert fragment not in page


async def test_shadow_findings_are_counted_apart(db, policies, now):
    legal = policies.select("x", team="T0LEGAL")
    report = check(Draft("The judge will agree, I guarantee it."), legal, now=now)
    await record_report(db, report, now.date())
    await record_report(db, report, now.date())
    stats = {s.rule: s for s in await rule_stats(db, now.date())}
    assert stats["overpromise.court_outcome"].shadow == 2
    assert stats["overpromise.court_outcome"].shown == 0
    assert stats["overpromise.guarantee"].shown == 2


async def test_a_rule_dismissed_too_often_is_marked_noisy(db, now):
    day = now.date()
    from collections import Counter

    from bots.admin.counts import record_counts

    await record_counts(
        db,
        Counter(
            {("boundary.self_blame", "boundary"): 25, ("overpromise.guarantee", "overpromise"): 25}
        ),
        day,
    )
    await feedback(db, "boundary.self_blame", "not_applicable", 9)
    await feedback(db, "overpromise.guarantee", "not_applicable", 7)
    await feedback(db, "overpromise.guarantee", "used_rewrite", 1)
    stats = {s.rule: s for s in await rule_stats(db, day - dt.timedelta(days=7))}
    assert (
        stats["boundary.self_blame"].noisy and stats["boundary.self_blame"].dismissal_rate == 9 / 25
    )
    assert not stats["overpromise.guarantee"].noisy  # 7/25 = 28% is under 30%
    assert stats["overpromise.guarantee"].acceptance_rate == 1 / 25
    strict = {s.rule: s for s in await rule_stats(db, day, threshold=0.25, min_sample=30)}
    assert not strict["boundary.self_blame"].noisy  # not enough evidence yet


async def feedback(db, rule: str, signal: str, times: int) -> None:  # type: ignore[no-untyped-def]
    for i in range(times):
        await record_feedback(
            db, platform="slack", user_id=f"U{i}", rule_id=rule, signal=signal, policy_version="v"
        )


def reminder(key: str, kind: str, created: dt.datetime, user: str = "U1") -> Reminder:
    return Reminder(
        idempotency_key=f"{key}:{user}", platform="slack", user_id=user, channel_id="C1",
        kind=kind, due_at=created, created_at=created, payload={"message_id": key},
    )  # fmt: skip


def test_noisy_needs_both_rate_and_sample():
    assert is_noisy(7, 20, 0.3, 20)
    assert not is_noisy(6, 20, 0.3, 20)
    assert not is_noisy(19, 19, 0.3, 20)


async def test_after_hours_client_contacts_are_counted_per_week(make_app, serve, db):
    now = dt.datetime.now(dt.UTC)
    async with db.session() as session:
        for i, days_ago in enumerate((0, 1, 8, 8, 8)):
            session.add(reminder(f"m{i}", "after_hours_note", now - dt.timedelta(days=days_ago)))
        # one client message, three people told: still one contact
        session.add(reminder("m0", "after_hours_note", now, user="U2"))
        session.add(reminder("m0", "after_hours_note", now, user="U3"))
        session.add(reminder("m9", "late_reply_nudge", now))
    base = await serve(make_app(db))
    async with browser() as http:
        await sign_in(http, base)
        summary = await (await http.get(f"{base}/admin/api/summary")).json()
    weekly = summary["after_hours_per_week"]
    assert sum(weekly) == 5 and max(weekly) <= 3
    assert weekly[-1] + weekly[-2] >= 2


async def test_production_cookies_are_secure(make_app, serve):
    base = await serve(make_app(NUDGE_ENV="production"))
    async with browser() as http:
        answer = await sign_in(http, base)
        assert answer.status == 303 and "Secure" in answer.headers["Set-Cookie"]


async def test_counts_wait_in_memory_and_survive_a_failed_write(db, tmp_path, policies, now):
    from bots.admin.tally import Tally
    from bots.store.db import Database

    counts = Tally(lambda: now)
    report = check(Draft("I guarantee it lands Friday."), policies.default, now=now)
    counts.add(report)
    counts.add(report)
    broken = Database(f"sqlite+aiosqlite:///{tmp_path / 'no-tables.sqlite3'}")
    try:
        await counts.flush(broken)  # no tables: the write fails, nothing is lost
    finally:
        await broken.dispose()
    assert counts.pending[now.date()][("_drafts", "checked")] == 2
    await counts.flush(db)
    assert counts.pending == {}
    stats = {s.rule: s for s in await rule_stats(db, now.date())}
    assert stats["overpromise.guarantee"].shown == 2


async def test_counts_are_flushed_when_the_server_stops(make_app, db):
    from aiohttp import web

    app = make_app(db)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    async with aiohttp.ClientSession() as http:
        await http.post(f"{base}/api/check", json={"draft": "I guarantee it."})
    await runner.cleanup()
    async with db.session() as session:
        rows = {
            (r.rule_id, r.category) for r in (await session.execute(select(DailyCount))).scalars()
        }
    assert ("_drafts", "checked") in rows
