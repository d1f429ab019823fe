"""An admin's visit in headless Chromium: sign in, read the charts, reload, see no drafts."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator

import aiohttp
import pytest

from tests.admin.conftest import SECRET_DRAFTS, TOKEN
from tests.conftest import need

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
async def page() -> AsyncIterator[object]:
    need(shutil.which(CHROMIUM) is not None, "Chromium is not installed at /usr/bin/chromium")
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            yield await browser.new_page()
        finally:
            await browser.close()


async def test_an_admin_signs_in_sees_charts_and_the_policy_version(
    page, make_app, serve, db, host
):
    base = await serve(make_app(db))
    async with aiohttp.ClientSession() as http:
        for text in SECRET_DRAFTS:  # drafts first, so there is something that could leak
            answer = await http.post(f"{base}/api/check", json={"draft": text})
            assert (await answer.json())["findings"]
    await page.goto(f"{base}/admin")
    assert page.url.endswith("/admin/login")
    await page.fill("#token", "wrong")
    await page.click("button[type=submit]")
    assert await page.get_by_role("alert").text_content() == "That token is not right."
    await page.fill("#token", TOKEN)
    await page.click("button[type=submit]")
    await page.wait_for_selector("#policy-version")
    assert await page.text_content("#policy-version") == host.version
    assert await page.text_content("#policy-digest") == host.digest
    assert await page.locator("svg.chart").count() >= 5
    assert await page.locator("#findings rect.bar[data-category=overpromise]").count() >= 1
    assert (
        await page.locator("#top-rules rect.bar[data-label='overpromise.guarantee']").count() == 1
    )
    cookies = await page.context.cookies()
    assert [c["httpOnly"] for c in cookies if c["name"] == "nudge_admin"] == [True]
    await page.click("#reload")
    await page.wait_for_selector("#reload-result:has-text('loaded')")
    await page.wait_for_selector("#reloads td:has-text('api')")
    html = await page.content()
    for text in SECRET_DRAFTS:
        for fragment in (text, text[:12], "Zanzibar", "Okonkwo", "Quillfeather"):
            assert fragment not in html
