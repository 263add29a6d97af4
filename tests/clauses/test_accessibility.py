"""axe-core finds no serious or critical violation on the clause library's pages, in French and
Dutch, for visitors, buyers, curators and the coordinator (Debian's Chromium; skipped without
it, like tests/browser)."""

from __future__ import annotations

import threading

import pytest

from tests.browser.conftest import (  # noqa: F401 - live_server is a fixture
    CHROMIUM_ARGS,
    axe_violations,
    chromium_path,
    live_server,
    log_in,
)


@pytest.fixture()
def in_browser(live_server):  # type: ignore[no-untyped-def]  # noqa: F811
    """Run a function with a Playwright page in a thread of its own.

    tests/browser keeps its own Playwright running for the whole session, and a second sync
    Playwright cannot start in the same thread; a thread of our own can.
    """
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")

    def run(check):  # type: ignore[no-untyped-def]
        outcome: dict[str, BaseException] = {}

        def work() -> None:
            from playwright.sync_api import sync_playwright

            try:
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(
                        executable_path=path, headless=True, args=CHROMIUM_ARGS
                    )
                    context = browser.new_context(
                        base_url=live_server, viewport={"width": 1280, "height": 900}
                    )
                    page = context.new_page()
                    page.set_default_timeout(15000)
                    errors: list[str] = []
                    page.on("pageerror", lambda exc: errors.append(str(exc)))
                    page.js_errors = errors  # type: ignore[attr-defined]
                    check(page)
                    browser.close()
            except BaseException as exc:  # re-raised in the test's thread
                outcome["error"] = exc

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        if "error" in outcome:
            raise outcome["error"]

    return run


pytestmark = pytest.mark.browser

PUBLIC = [
    "/clauses",
    "/clauses?q=nettoyage&family=environmental",
    "/clauses?family=cosmic",
    "/clauses/CLEAN-ENV-001",
    "/clauses/CLEAN-ENV-001/v/1?show=nl",
    "/clauses/GEN-SME-001?p-turnover_ratio=9",
    "/clauses/CLEAN-ENV-001/diff?from=1&to=1",
    "/categories/cleaning",
]


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_public_clause_pages(in_browser, lang):
    def check(page):  # type: ignore[no-untyped-def]
        for path in PUBLIC:
            separator = "&" if "?" in path else "?"
            response = page.goto(f"{path}{separator}lang={lang}")
            assert response.status == 200, path
            assert axe_violations(page) == [], path
        assert page.js_errors == []

    in_browser(check)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_helpdesk_pages(in_browser, lang):
    def check(page):  # type: ignore[no-untyped-def]
        page.goto(f"/?lang={lang}")
        log_in(page, "curator.env2@demo.clausier.brussels")
        page.goto("/helpdesk/clauses")
        assert axe_violations(page) == [], "workspace"
        page.click("#review a[href^='/clauses/drafts/']")
        page.wait_for_load_state()
        assert "/clauses/drafts/" in page.url
        assert axe_violations(page) == [], page.url
        page.goto(page.url + "/diff")
        assert axe_violations(page) == [], page.url
        page.goto("/clauses/new")
        assert axe_violations(page) == [], "new clause"
        page.click("button[name=add][value=parameters]")
        page.wait_for_load_state()
        assert page.locator("fieldset[data-param-editor]").count() == 1
        page.select_option("select[name='parameters-0-type']", "text")
        assert page.locator("[data-param-types='choice multichoice']").first.is_hidden()
        assert page.locator("[data-param-types='text']").first.is_visible()
        assert axe_violations(page) == [], "editor with a parameter"
        page.click("form.clause-editor button[type=submit]:not([name])  >> nth=1")
        page.wait_for_load_state()
        assert page.locator(".error-summary").is_visible()
        assert axe_violations(page) == [], "editor with errors"
        assert page.js_errors == []

    in_browser(check)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_buyer_and_coordinator_pages(in_browser, lang):
    def check(page):  # type: ignore[no-untyped-def]
        page.goto(f"/?lang={lang}")
        log_in(page, "buyer.ixelles@demo.clausier.brussels")
        page.goto("/clauses/CLEAN-ENV-001")
        assert axe_violations(page) == [], "clause page for a buyer"
        page.goto("/clauses/CLEAN-ENV-001/v/1/feedback")
        assert axe_violations(page) == [], "feedback form"
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert page.locator(".error-summary").is_visible()
        assert axe_violations(page) == [], "feedback form with errors"
        page.goto("/?lang=" + lang)
        page.click("form[action='/logout'] button")
        log_in(page, "coordinator@demo.clausier.brussels")
        page.goto("/helpdesk/mandatory")
        assert axe_violations(page) == [], "mandatory criteria"
        assert page.js_errors == []

    in_browser(check)
