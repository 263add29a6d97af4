"""The lot-split advisor in Chromium: a buyer creates a dossier, imports the 40 Ixelles cleaning
items from the demo CSV, compares the three proposals, picks one, edits it with the checks
re-run live by the page's script (split, merge, rename), saves it, and generates the Word lots
section, where the lots appear. axe-core checks the lots pages in French and Dutch."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from tests.browser.conftest import axe_violations, log_in

pytestmark = pytest.mark.browser

BUYER = "buyer.ixelles@demo.clausier.brussels"
DEMO_CSV = Path(__file__).resolve().parents[2] / "portal/lots/examples/ixelles-cleaning-items.csv"


def _lot_count(page) -> int:  # type: ignore[no-untyped-def]
    return page.locator(".lots-edit-lot").count()


def _wait_for_live_update(page, before: str) -> str:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        "previous => { const t = document.getElementById('lots-live').textContent; "
        "return t && t !== previous && !t.endsWith('…'); }",
        arg=before,
    )
    return page.locator("#lots-live").inner_text()


def test_buyer_imports_compares_picks_edits_live_and_saves(page, tmp_path):
    page.goto("/?lang=fr")
    log_in(page, BUYER)

    page.goto("/tenders/new")
    page.fill("#title", "Nettoyage des bâtiments communaux (lots)")
    page.fill("#title_nl", "Schoonmaak van de gemeentegebouwen (percelen)")
    page.select_option("#category", "cleaning")
    page.fill("#main_cpv", "90910000-9")
    page.fill("#estimated_value", "2 500 000")
    page.fill("#publication_date", "2027-06-01")
    page.fill("#reference", "IXL-BROWSER-LOTS")
    page.click("form.tb-dossier-form button[type=submit]")
    page.wait_for_load_state()
    dossier_url = re.search(r"/tenders/\d+", page.url).group(0)

    # The Lots tab, then the import of the demo CSV file.
    page.click(".tb-tabs >> text=Lots")
    assert page.url.endswith(dossier_url + "/lots")
    page.click("text=Importer des postes depuis un fichier")
    page.set_input_files("#file", str(DEMO_CSV))
    page.click("form button[type=submit] >> text=Importer")
    page.wait_for_load_state()
    assert "40 postes importés" in page.locator(".flashes").inner_text()

    page.fill("#target_lot_size", "250 000")
    page.fill("#duration_months", "48")
    page.fill("#max_lots_awarded", "3")
    page.click("form button >> text=Enregistrer les options")
    page.wait_for_load_state()

    # Three proposals side by side, each with its chart.
    page.click("text=Comparer les propositions de lots")
    page.wait_for_load_state()
    assert page.locator(".lots-proposal").count() == 3
    assert page.locator("svg.lots-chart").count() == 3
    assert axe_violations(page) == []

    # Pick the first one (by trade) and edit it; the checks follow each change.
    page.click("text=Choisir la proposition 1")
    page.wait_for_load_state()
    assert _lot_count(page) == 6
    assert axe_violations(page) == []
    first = page.locator("select[name^='item-']").last  # a lot of many items
    name = first.get_attribute("name")
    status = ""
    first.select_option("new")
    status = _wait_for_live_update(page, status)
    assert status.startswith("Contrôles mis à jour : 7 lots")
    assert _lot_count(page) == 7
    assert page.evaluate("document.activeElement.name") == name

    page.select_option("#merge-2", "1")
    status = _wait_for_live_update(page, status)
    assert "6 lots" in status and _lot_count(page) == 6
    assert page.evaluate("document.activeElement.id") == "lot-1-title"

    page.fill("#title-1-fr", "Fournitures d'hygiène et sacs")
    page.fill("#title-1-nl", "Hygiënebenodigdheden en zakken")
    assert page.js_errors == []
    page.click("button >> text=Enregistrer le plan de lots")
    page.wait_for_load_state()
    assert page.url.endswith(dossier_url + "/lots#plan")
    plan = page.locator("#plan").inner_text()
    assert "Fournitures d'hygiène et sacs" in plan
    assert axe_violations(page) == []

    # The saved lots are in the generated Word section "Procedure, lots and access for SMEs".
    page.goto(dossier_url + "/documents")
    page.select_option("select[name=kind]", "lots")
    page.check("input[name=lang][value=fr]")
    page.click("form button[type=submit]:not([disabled]) >> text=Générer")
    page.wait_for_load_state()
    with page.expect_download() as info:
        page.locator("table.tb-documents a[download]").first.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert "_lots_" in target.name
    document = docx.Document(str(target))
    lot_table = next(
        t
        for t in document.tables
        if "Fournitures d'hygiène et sacs"
        in "".join(c.text for c in t.columns[0].cells + t.columns[1].cells)
    )
    assert len(lot_table.rows) >= 7  # a header and six lots
    text = "\n".join(p.text for p in document.paragraphs)
    assert "{{" not in text and "{%" not in text
    assert page.js_errors == []


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_lots_pages_have_no_serious_axe_violations(page, lang):
    page.goto(f"/lots/help?lang={lang}")
    assert axe_violations(page) == [], "help"
    log_in(page, BUYER)
    page.goto(f"/tenders?lang={lang}")
    row = page.locator("tr", has_text="IXL-2027-CLEAN-01")
    base = row.locator("a[href^='/tenders/']").first.get_attribute("href")
    for path in ("/lots", "/lots/proposals", "/lots/editor", "/lots/items/new", "/lots/import"):
        page.goto(base + path)
        assert page.locator("html").get_attribute("lang") == lang
        assert axe_violations(page) == [], path
    assert page.js_errors == []


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_thresholds_pages_have_no_serious_axe_violations(page, lang):
    page.goto(f"/?lang={lang}")
    log_in(page, "coordinator@demo.clausier.brussels")
    for path in ("/admin/thresholds", "/admin/thresholds/new"):
        page.goto(path)
        assert axe_violations(page) == [], path
