"""axe-core finds no serious or critical violation on the main pages, in French and Dutch."""

import pytest

from tests.browser.conftest import axe_violations, log_in

PUBLIC_PAGES = [
    "/",
    "/login",
    "/register",
    "/categories",
    "/categories/catering",
    "/cpv?q=nettoyage",
    "/cpv/90910000-9",
    "/authorities",
    "/accessibility",
    "/password/reset",
]

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["fr", "nl"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_serious_axe_violations(page, path, lang):
    separator = "&" if "?" in path else "?"
    response = page.goto(f"{path}{separator}lang={lang}")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == lang
    assert axe_violations(page) == []
    assert page.js_errors == []


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_account_pages_have_no_serious_axe_violations(page, lang):
    page.goto(f"/?lang={lang}")
    log_in(page, "coordinator@demo.clausier.brussels")
    for path in (
        "/account",
        "/account/password",
        "/admin/users",
        "/admin/users/new",
        "/admin/audit",
    ):
        page.goto(path)
        assert axe_violations(page) == [], path


def test_form_errors_are_announced_and_accessible(page):
    page.goto("/login?lang=fr")
    page.fill("#email", "someone@example.be")
    page.fill("#password", "wrong-password")
    page.click("form button[type=submit]")
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert summary.get_attribute("role") == "alert"
    assert axe_violations(page) == []


def test_skip_link_is_the_first_tab_stop_and_jumps_to_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#content"


def test_language_switch_keeps_the_page(page):
    page.goto("/categories?lang=fr")
    page.click("nav.lang-switch a[lang=nl]")
    page.wait_for_load_state()
    assert page.url.endswith("/categories")
    assert page.locator("html").get_attribute("lang") == "nl"
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "nl"


def test_cpv_autocomplete_suggests_codes(page):
    page.goto("/cpv?lang=nl")
    page.fill("#cpv-q", "reinigingsdiensten")
    page.locator("#cpv-q-list option").first.wait_for(state="attached", timeout=5000)
    values = page.eval_on_selector_all("#cpv-q-list option", "els => els.map(e => e.value)")
    assert "90910000-9" in values


def test_company_registers_in_the_browser(page):
    page.goto("/register?lang=fr")
    page.fill("#company_name", "Atelier Réemploi ASBL")
    page.select_option("#size", "micro")
    page.check("#is_social_economy")
    page.fill("#full_name", "Lina Haddad")
    page.fill("#email", "lina@reemploi.example")
    page.fill("#password", "reemploi-2026-ok")
    page.fill("#confirm", "reemploi-2026-ok")
    page.click("form button[type=submit]")
    page.wait_for_url("**/company")
    assert page.locator("#name").input_value() == "Atelier Réemploi ASBL"
