"""The playground page in a real browser: paste, pick a time, check, read, copy the rewrite."""

from __future__ import annotations

import pytest

from tests.server.browser import browser_page

pytestmark = pytest.mark.browser


def test_a_person_checks_a_draft_and_uses_the_rewrite(server, tmp_path):
    with browser_page() as page:
        page.goto(server.url + "/")
        assert page.title() == "Nudge playground"
        page.fill("#client", "This is the third delay and I'm fed up.")
        page.fill("#draft", "Hi Sam,\nI guarantee it ships Friday. Call me any time.\nBest, Dana")
        page.fill("#sent_at", "2026-03-04T22:30")
        page.fill("#timezone", "America/New_York")
        page.click("#check")
        page.wait_for_selector(".finding")
        rules = page.eval_on_selector_all(".finding", "els => els.map(e => e.dataset.rule)")
        assert {
            "overpromise.guarantee",
            "boundary.always_available",
            "validation.acknowledge_first",
            "after_hours.sending_late",
        } <= set(rules)
        assert "frustrated" in page.inner_text("#meta") or "angry" in page.inner_text("#meta")
        assert "After hours" in page.inner_text("#meta")
        marks = page.eval_on_selector_all("#highlighted mark", "els => els.map(e => e.textContent)")
        assert "guarantee" in marks and "any time" in marks
        rewrite = page.inner_text("#rewrite")
        assert (
            rewrite.startswith("Hi Sam,") and "Best, Dana" in rewrite and "guarantee" not in rewrite
        )
        page.screenshot(path=str(tmp_path / "playground.png"), full_page=True)
        page.click("#use")
        assert page.input_value("#draft") == rewrite
        page.click("#check")
        # The page's CSP forbids eval, so wait with selectors rather than wait_for_function.
        page.wait_for_selector("#summary:not(:has-text('Checking'))")
        remaining = page.eval_on_selector_all(".finding", "els => els.map(e => e.className)")
        assert all("info" in c for c in remaining), remaining


def test_errors_are_shown_not_swallowed(server):
    with browser_page() as page:
        page.goto(server.url + "/")
        page.click("#check")
        assert page.inner_text("#error") == "Paste a draft to check."
        page.fill("#draft", "hello")
        page.fill("#timezone", "Nowhere/Land")
        page.click("#check")
        page.wait_for_selector("#error:not(.hidden):has-text('time zone')")


def test_draft_markup_is_shown_as_text_never_run(server):
    with browser_page() as page:
        page.goto(server.url + "/")
        page.fill("#draft", "I guarantee <img src=x onerror=\"document.title='pwned'\"> it.")
        page.click("#check")
        page.wait_for_selector(".finding")
        assert page.title() == "Nudge playground"
        assert "<img" in page.inner_text("#highlighted")
