"""The tender builder in Chromium: a buyer creates a dossier, accepts the mandatory clause, adds
optional ones with parameters, sets the weights (the live total follows), generates the Word
document in French and in Dutch and downloads it; a curator publishes a newer version of the
mandatory clause; the buyer sees it, upgrades and regenerates. axe-core checks the dossier pages
in French and Dutch.
"""

from __future__ import annotations

import re

import docx
import pytest

from tests.browser.conftest import axe_violations, log_in

pytestmark = pytest.mark.browser

BUYER = "buyer.ixelles@demo.clausier.brussels"
#: The second environmental curator publishes what the first one wrote (four eyes).
PUBLISHER = "curator.env2@demo.clausier.brussels"


def _log_out(page) -> None:  # type: ignore[no-untyped-def]
    page.click("form[action='/logout'] button")
    page.wait_for_load_state()


def _download(page, link, tmp_path):  # type: ignore[no-untyped-def]
    with page.expect_download() as info:
        link.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return docx.Document(str(target)), target.name


def _generate(page, lang: str) -> None:  # type: ignore[no-untyped-def]
    page.check(f"input[name=lang][value={lang}]")
    page.click("form button[type=submit]:not([disabled]) >> text=/Générer|Genereren|Generate/")
    page.wait_for_load_state()


def test_buyer_builds_generates_and_upgrades_a_dossier(page, tmp_path):
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/?lang=fr")
    log_in(page, BUYER)

    # A new dossier, with the CPV autocomplete on the main code.
    page.goto("/tenders/new")
    page.fill("#title", "Nettoyage du centre sportif « Mounier » & de la piscine")
    page.fill("#title_nl", "Schoonmaak van het sportcentrum ‘Mounier’ & het zwembad")
    page.select_option("#category", "cleaning")
    page.fill("#main_cpv", "nettoyage de bureaux")
    page.locator("#main-cpv-list option").first.wait_for(state="attached", timeout=5000)
    page.fill("#main_cpv", "90910000-9")
    page.fill("#additional_cpv-0", "39830000-9")
    page.fill("#estimated_value", "320 000")
    page.fill("#publication_date", "2027-06-01")
    page.fill("#reference", "IXL-BROWSER-01")
    page.click("form.tb-dossier-form button[type=submit]")
    page.wait_for_load_state()
    match = re.search(r"/tenders/(\d+)/clauses", page.url)
    assert match, page.url
    dossier = match.group(1)

    # The mandatory criterion is pre-selected; add optional clauses and weigh them.
    assert page.is_checked("#c-CLEAN-ENV-001-include")
    page.check("#c-CLEAN-ENV-002-include")
    page.click("#clause-CLEAN-ENV-002 .tb-params-box summary")
    page.fill("#c-CLEAN-ENV-002-p-microfibre_share", "95")
    page.check("#c-CLEAN-ENV-003-include")
    page.fill("#c-CLEAN-ENV-003-weight", "15")
    page.fill("#price_weight", "80")
    live = page.locator("#tb-live-total")
    assert "95" in live.inner_text() and "tb-live-wrong" in live.get_attribute("class")
    page.fill("#price_weight", "85")
    assert "100" in live.inner_text() and "tb-live-ok" in live.get_attribute("class")
    assert page.is_hidden("#clause-CLEAN-ENV-001 .tb-justification")
    page.locator("#weights button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".flash-success").count() == 1
    assert page.locator("#tb-clauses-weights").inner_text().count("100") >= 1
    assert axe_violations(page) == []

    # Generate in French and in Dutch, and download both.
    page.goto(f"/tenders/{dossier}/documents")
    _generate(page, "fr")
    _generate(page, "nl")
    links = page.locator("table.tb-documents a[download]")
    assert links.count() == 2
    for index in range(2):
        document, name = _download(page, links.nth(index), tmp_path)
        titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
        assert titles in (
            ["Nettoyage du centre sportif « Mounier » & de la piscine"],
            ["Schoonmaak van het sportcentrum ‘Mounier’ & het zwembad"],
        )
        assert name.startswith("IXL-BROWSER-01_complete_")
        assert any("CLEAN-ENV-001 v1" in p.text for p in document.paragraphs)
    assert axe_violations(page) == []

    # A second environmental curator publishes the version of CLEAN-ENV-001 in review.
    _log_out(page)
    log_in(page, PUBLISHER)
    page.goto("/helpdesk/clauses")
    page.locator("#review a[href^='/clauses/drafts/']", has_text="CLEAN-ENV-001").first.click()
    page.wait_for_load_state()
    page.click("form[action$='/publish'] button")
    page.wait_for_load_state()
    assert "/clauses/CLEAN-ENV-001/v/2" in page.url
    _log_out(page)

    # The buyer sees the newer version with its diff, upgrades in one click and regenerates.
    log_in(page, BUYER)
    page.goto(f"/tenders/{dossier}/clauses?lang=fr")
    notice = page.locator("#clause-CLEAN-ENV-001 .tb-upgrade")
    assert "La version 2 de cette clause est publiée" in notice.inner_text()
    notice.locator("summary").click()
    assert notice.locator("table.tb-diff").count() >= 1
    notice.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "utilise désormais la version 2" in page.locator(".flashes").inner_text()
    page.goto(f"/tenders/{dossier}/documents")
    _generate(page, "fr")
    newest = page.locator("table.tb-documents a[download]").first
    document, _ = _download(page, newest, tmp_path)
    assert any("CLEAN-ENV-001 v2" in p.text for p in document.paragraphs)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_dossier_pages_have_no_serious_axe_violations(page, lang):
    page.goto(f"/?lang={lang}")
    log_in(page, BUYER)
    page.goto("/tenders/")
    link = page.locator("table.tb-list a", has_text="Nettoyage des bâtiments administratifs")
    link.click()
    page.wait_for_load_state()
    dossier = re.search(r"/tenders/(\d+)", page.url).group(1)
    for path in (
        "/tenders/",
        "/tenders/new",
        f"/tenders/{dossier}",
        f"/tenders/{dossier}/edit",
        f"/tenders/{dossier}/clauses",
        f"/tenders/{dossier}/documents",
        f"/tenders/{dossier}/history",
    ):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == lang
        assert axe_violations(page) == [], path
        assert page.js_errors == [], path


def test_template_page_has_no_serious_axe_violations(page):
    page.goto("/?lang=nl")
    log_in(page, "manager.ixelles@demo.clausier.brussels")
    page.goto("/tenders/templates")
    assert page.locator("table.tb-templates tbody tr").count() >= 1
    assert axe_violations(page) == []
