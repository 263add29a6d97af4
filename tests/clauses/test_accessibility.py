"""axe-core finds no serious or critical violation on the clause library's pages, in French and
Dutch, for visitors, buyers, curators and the coordinator (Debian's Chromium; skipped without
it, like tests/browser)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (  # noqa: F401 - fixtures
    axe_violations,
    browser,
    live_server,
    log_in,
    page,
)

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
def test_public_clause_pages(page, lang):  # noqa: F811
    for path in PUBLIC:
        separator = "&" if "?" in path else "?"
        response = page.goto(f"{path}{separator}lang={lang}")
        assert response.status == 200, path
        assert axe_violations(page) == [], path
    assert page.js_errors == []


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_helpdesk_pages(page, lang):  # noqa: F811
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


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_buyer_and_coordinator_pages(page, lang):  # noqa: F811
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
