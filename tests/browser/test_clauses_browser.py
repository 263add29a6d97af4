"""The clause library's "done when", in a real browser: a curator drafts a new version, a second
curator reviews and publishes it, a buyer sees the new version, the diff and the history and
leaves feedback, and the feedback comes back to the first curator, who answers it with a draft.

It runs on the shared live portal with demo data, on a clause that no other browser test uses
(TEXT-ENV-002, textiles)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import axe_violations, log_in

pytestmark = pytest.mark.browser

CODE = "TEXT-ENV-002"


def _log_out(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    page.click("form[action='/logout'] button")
    page.wait_for_load_state()


def test_curators_publish_a_new_version_and_a_buyers_feedback_comes_back(page):
    page.on("dialog", lambda dialog: dialog.accept())  # the "Publish this version?" confirm

    # 1. The first environmental curator starts a new version and rewords it in FR and NL.
    page.goto("/?lang=en")
    log_in(page, "curator.env@demo.clausier.brussels")
    page.goto(f"/clauses/{CODE}")
    page.click("button:has-text('Start a new version')")
    page.wait_for_load_state()
    assert re.search(r"/clauses/drafts/\d+", page.url), page.url
    draft_url = re.search(r"/clauses/drafts/\d+", page.url).group(0)  # type: ignore[union-attr]
    page.goto(draft_url + "/edit")
    french = page.input_value("[name=text_fr]")
    dutch = page.input_value("[name=text_nl]")
    assert "au moins {{ min_share }}" in french and "minstens {{ min_share }}" in dutch
    page.fill(
        "[name=text_fr]", french.replace("au moins {{ min_share }}", "au minimum {{ min_share }}")
    )
    page.fill(
        "[name=text_nl]", dutch.replace("minstens {{ min_share }}", "ten minste {{ min_share }}")
    )
    page.fill("[name=change_note_fr]", "Formulation « au minimum ».")
    page.fill("[name=change_note_nl]", "Formulering „ten minste”.")
    page.fill("[name=change_note_en]", "Wording “at the minimum”.")
    page.click("form.clause-editor button[type=submit]:not([name]) >> nth=1")
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 0, page.content()[:3000]
    page.goto(draft_url)
    page.click("button:has-text('Send to review')")
    page.wait_for_load_state()
    assert page.locator("button:has-text('Publish')").count() == 0  # four eyes
    _log_out(page)

    # 2. The second curator finds it in the workspace, reads the changes and publishes.
    log_in(page, "curator.env2@demo.clausier.brussels")
    page.goto("/helpdesk/clauses")
    page.click(f"#review a[href='{draft_url}']")
    page.wait_for_load_state()
    page.goto(draft_url + "/diff")
    assert page.locator("ins", has_text="minimum").count() >= 1
    assert page.locator("del", has_text="moins").count() >= 1
    page.goto(draft_url)
    page.click("button:has-text('Publish')")
    page.wait_for_load_state()
    assert page.url.endswith(f"/clauses/{CODE}/v/2"), page.url
    _log_out(page)

    # 3. A buyer sees the new version, the history with the old permalink, and the diff.
    log_in(page, "buyer.ixelles@demo.clausier.brussels")
    page.goto(f"/clauses/{CODE}?lang=fr")
    assert "au minimum" in page.inner_text("main")
    assert page.locator(f"a[href='/clauses/{CODE}/v/1']").count() >= 1
    page.click(f"a[href='/clauses/{CODE}/diff?from=1&to=2']")
    page.wait_for_load_state()
    assert page.locator("ins", has_text="ten").count() >= 1
    assert axe_violations(page) == [], "diff page"
    page.goto(f"/clauses/{CODE}/v/1?lang=en")
    assert "This version was replaced on" in page.inner_text("main")

    # 4. ... and tells the helpdesk how the clause worked.
    page.goto(f"/clauses/{CODE}/v/2?lang=en")
    page.click("a:has-text('Tell the helpdesk how this clause worked')")
    page.wait_for_load_state()
    page.check("input[name=kind][value=unclear]")
    page.fill("[name=body]", "Les soumissionnaires demandent comment compter les mélanges.")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "Les soumissionnaires demandent" in page.inner_text("main")
    _log_out(page)

    # 5. The feedback reaches the first curator, who answers it with a new draft.
    log_in(page, "curator.env@demo.clausier.brussels")
    page.goto("/helpdesk/clauses?lang=en")
    item = page.locator("li, tr, article", has_text="Les soumissionnaires demandent").last
    item.locator("button:has-text('Answer with a new draft')").click()
    page.wait_for_load_state()
    assert re.search(r"/clauses/drafts/\d+", page.url), page.url
    assert page.js_errors == []
