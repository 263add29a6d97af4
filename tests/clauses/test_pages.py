"""The pages of the clause library in the browser's three languages, and who sees what."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from portal.accounts.models import Role
from portal.clauses import services
from portal.clauses.models import ClauseComment, ClauseVersion, MandatoryClause, VersionStatus
from tests.clauses.conftest import LOC, award_data, clause_data, editor_payload


@pytest.mark.parametrize(
    "lang,heading,family",
    [
        ("fr", "Bibliothèque de clauses", "Environnement"),
        ("nl", "Clausulebibliotheek", "Milieu"),
        ("en", "Clause library", "Environmental"),
    ],
)
def test_catalogue_in_three_languages(client, library, lang, heading, family):
    page = client.get(f"/clauses?lang={lang}")
    text = page.data.decode()
    assert page.status_code == 200
    assert f"<h1>{heading}</h1>" in text and family in text
    assert text.count('class="clause-item"') == 3


def test_catalogue_filters_and_reports_bad_filters(client, library):
    page = client.get("/clauses?q=stagiaires&category=cleaning&lang=en")
    assert b"1 clause found" in page.data and b"GEN-SOC-901" in page.data
    bad = client.get("/clauses?family=cosmic&cpv=123&lang=en")
    assert bad.status_code == 200
    assert b"Some filters were not valid" in bad.data
    assert b"is not a CPV code" in bad.data and b"3 clauses found" in bad.data


def test_catalogue_paginates(client, library, app):
    app.config["PAGE_SIZE"] = 2
    try:
        first = client.get("/clauses?lang=en")
        second = client.get("/clauses?page=2&lang=en")
    finally:
        app.config["PAGE_SIZE"] = 25
    assert b"Page 1 of 2" in first.data and first.data.count(b'class="clause-item"') == 2
    assert second.data.count(b'class="clause-item"') == 1


def test_clause_page_shows_languages_parameters_preview_and_history(client, library):
    page = client.get("/clauses/CLEAN-ENV-901?lang=en").data.decode()
    for lang in ("fr", "nl", "en"):
        assert f'<div class="lang-column" lang="{lang}">' in page
    assert "Biologisch afbreekbare ontsmettingsmiddelen" in page
    assert "{{ share }}</code>" in page and "Percentage" in page and "from 50% to 100%" in page
    assert "Au moins 80\u00a0% des désinfectants" in page  # the preview with defaults
    assert "Check the labels." in page and "Belgian Public Procurement Act" in page
    assert "Permanent link to this version" in page and "/clauses/CLEAN-ENV-901/v/1" in page
    assert "Brussels Environment" in page


def test_language_switch_shows_one_language(client, library):
    page = client.get("/clauses/CLEAN-ENV-901?show=nl&lang=en").data.decode()
    assert '<div class="lang-column" lang="nl">' in page
    assert '<div class="lang-column" lang="fr">' not in page
    assert "De keurmerken nakijken." in page  # verification in the chosen language


def test_preview_fills_in_the_buyers_values(client, library):
    page = client.get(
        "/clauses/CLEAN-ENV-901?p-share=95&p-labels=nordic_swan&p-months=3&lang=en"
    ).data.decode()
    assert (
        "Au moins 95\u00a0% des désinfectants utilisés sont biodégradables selon Cygne nordique"
        in page
    )
    assert "every 3 months" in page
    bad = client.get("/clauses/CLEAN-ENV-901?p-share=120&p-months=abc&lang=en").data.decode()
    assert "Enter a value between 50 and 100." in bad and "Enter a number." in bad
    assert "Au moins 80\u00a0%" in bad  # the defaults stand in


def test_unknown_clause_or_version_is_a_404_page(client, library):
    assert client.get("/clauses/NOPE-ENV-001").status_code == 404
    assert client.get("/clauses/CLEAN-ENV-901/v/7").status_code == 404
    assert client.get("/clauses/CLEAN-ENV-901/diff?from=1&to=5").status_code == 200
    assert client.get("/clauses/clean-env-901").status_code == 301


def test_drafts_are_for_the_helpdesk_of_their_theme(
    client, db, library, curator, social_curator, buyer, switch_to, login
):
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    db.commit()
    assert client.get(f"/clauses/drafts/{draft.id}").status_code == 302  # to the login page
    login(buyer)
    assert client.get(f"/clauses/drafts/{draft.id}").status_code == 403
    page = client.get("/clauses/CLEAN-ENV-901?lang=en")
    assert b"is being prepared" not in page.data  # buyers are not told about drafts
    switch_to(social_curator)
    assert client.get(f"/clauses/drafts/{draft.id}").status_code == 403
    switch_to(curator)
    assert b"This is a draft." in client.get(f"/clauses/drafts/{draft.id}?lang=en").data


def test_comments_rejection_and_retirement_over_http(
    client, db, library, curator, curator2, expert, switch_to, login
):
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    data = services.data_of(db, draft)
    data["ambition"] = "advanced"
    data["change_note"] = LOC("Relevé.", "Verhoogd.", "Raised.")
    services.update_draft(
        db, actor=curator, version_id=draft.id, data=data, lock_version=draft.lock_version
    )
    services.submit_version(db, actor=curator, version_id=draft.id)
    db.commit()
    login(expert)
    assert (
        client.post(f"/clauses/drafts/{draft.id}/comments", data={"body": "Bien."}).status_code
        == 302
    )
    assert (
        client.post(f"/clauses/drafts/{draft.id}/reject", data={"comment": "Non"}).status_code
        == 403
    )
    switch_to(curator2)
    rejected = client.post(
        f"/clauses/drafts/{draft.id}/reject",
        data={"comment": "Sources ?", "lock_version": str(draft.lock_version)},
    )
    assert rejected.status_code == 302
    db.expire_all()
    assert db.get(ClauseVersion, draft.id).status == VersionStatus.draft
    kinds = [c.kind.value for c in db.exec(select(ClauseComment).order_by(ClauseComment.id))]
    assert kinds == ["comment", "rejection"]
    page = client.get(f"/clauses/drafts/{draft.id}?lang=en").data
    assert b"Sources ?" in page and b"Sent back to draft" in page
    empty = client.post("/clauses/GEN-SOC-901/retire", data={"reason": ""})
    assert empty.status_code == 403  # social clause, environmental curator
    retired = client.post("/clauses/CLEAN-ENV-902/retire", data={"reason": "Remplacée par 903."})
    assert retired.status_code == 302
    page = client.get("/clauses/CLEAN-ENV-902?lang=en").data
    assert b"This clause was withdrawn on" in page and b"Remplac" in page


def test_new_clause_editor_adds_and_removes_rows_then_saves(client, db, library, curator, login):
    login(curator)
    assert client.get("/clauses/new?lang=en").status_code == 200
    payload = editor_payload(clause_data())
    added = client.post("/clauses/new?lang=en", data={**payload, "add": "parameters"})
    assert added.status_code == 200 and b"Parameter 4" in added.data
    removed = client.post("/clauses/new?lang=en", data={**payload, "remove": "parameters-2"})
    assert b"Parameter 3" not in removed.data
    assert (
        db.exec(select(ClauseVersion).where(ClauseVersion.status == VersionStatus.draft)).all()
        == []
    )
    saved = client.post("/clauses/new", data=payload)
    assert saved.status_code == 302
    created = db.exec(
        select(ClauseVersion).where(ClauseVersion.status == VersionStatus.draft)
    ).one()
    assert created.code == "CLEAN-ENV-903" and created.author_id == curator.id


def test_stale_edit_over_http_keeps_the_saved_draft(
    client, db, library, curator, curator2, login, switch_to
):
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    db.commit()
    loaded = draft.lock_version
    data = services.data_of(db, draft)
    data["change_note"] = LOC("Premier.", "Eerste.", "First.")
    login(curator)
    assert (
        client.post(
            f"/clauses/drafts/{draft.id}/edit", data=editor_payload(data, loaded)
        ).status_code
        == 302
    )
    switch_to(curator2)
    data["change_note"] = LOC("Second.", "Tweede.", "Second.")
    stale = client.post(
        f"/clauses/drafts/{draft.id}/edit?lang=en", data=editor_payload(data, loaded)
    )
    assert stale.status_code == 409
    assert b"Someone else saved this draft while you were editing it." in stale.data
    assert b"Reload the saved draft" in stale.data
    db.expire_all()
    assert db.get(ClauseVersion, draft.id).change_note_fr == "Premier."


def test_category_page_lists_its_clauses_by_placement(client, db, library, coordinator):
    services.mark_mandatory(
        db,
        actor=coordinator,
        code="CLEAN-ENV-901",
        category="cleaning",
        applies_from=date(2020, 1, 1),
    )
    db.commit()
    page = client.get("/categories/cleaning?lang=en").data.decode()
    assert "Clauses for this category" in page
    assert page.index("Technical specification") < page.index("Award criterion")
    assert "CLEAN-ENV-901" in page and "GEN-SOC-901" in page and "Mandatory base criterion" in page
    assert "No clause is published" in client.get("/categories/waste?lang=en").data.decode()


def test_workspace_lists_stale_guidance_and_translation_gaps(
    client, db, load_clauses, curator, curator2, login
):
    old = clause_data(guidance={**clause_data()["guidance"], "reviewed_on": "2020-01-15"})
    load_clauses(old)
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    data = services.data_of(db, draft)
    data["text"]["fr"] = data["text"]["fr"].replace("Au moins", "Au minimum")
    data["text"]["en"] = ""
    data["change_note"] = LOC("Nouveau texte.", "Nieuwe tekst.", "")
    services.update_draft(
        db, actor=curator, version_id=draft.id, data=data, lock_version=draft.lock_version
    )
    db.commit()
    gap = services.translation_gap(db, draft)
    assert gap.missing == ["en"] and gap.outdated == ["nl"]
    login(curator)
    page = client.get("/helpdesk/clauses?lang=en").data.decode()
    assert "Guidance older than a year" in page and "Jan 15, 2020" in page
    assert "Older than the French text" in page and "English" in page and "Dutch" in page


def test_mandatory_page_marks_and_ends_criteria(
    client, db, library, coordinator, curator, login, switch_to
):
    login(curator)
    assert client.get("/helpdesk/mandatory").status_code == 403
    switch_to(coordinator)
    assert client.get("/helpdesk/mandatory?lang=en").status_code == 200
    wrong = client.post(
        "/helpdesk/mandatory?lang=en",
        data={"clause": "CLEAN-ENV-901", "category": "catering", "applies_from": "2027-01-01"},
    )
    assert wrong.status_code == 200 and b"not written for this category" in wrong.data
    made = client.post(
        "/helpdesk/mandatory",
        data={"clause": "CLEAN-ENV-901", "category": "cleaning", "applies_from": "2027-01-01"},
    )
    assert made.status_code == 302
    rule = db.exec(select(MandatoryClause)).one()
    assert rule.applies_from == date(2027, 1, 1)
    ended = client.post(f"/helpdesk/mandatory/{rule.id}/lift", data={"last_day": "2027-12-31"})
    assert ended.status_code == 302
    db.expire_all()
    assert db.get(MandatoryClause, rule.id).applies_until == date(2027, 12, 31)


def test_menu_shows_the_library_to_everyone_and_the_workspace_to_the_helpdesk(
    client, library, make_user, login
):
    assert b'href="/clauses"' in client.get("/").data
    assert b'href="/helpdesk/clauses"' not in client.get("/").data
    login(make_user(Role.expert, themes=["social"]))
    home = client.get("/").data
    assert b'href="/helpdesk/clauses"' in home and b'href="/helpdesk/mandatory"' not in home


def test_workspace_finds_a_translation_missing_only_in_verification(db, library, curator):
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    data = services.data_of(db, draft)
    data["verification"][0]["how"]["nl"] = ""
    data["change_note"] = LOC("Contrôle.", "Controle.", "Check.")
    services.update_draft(
        db, actor=curator, version_id=draft.id, data=data, lock_version=draft.lock_version
    )
    gaps = {g.version.id: g for g in services.workspace(db, actor=curator).translations}
    assert gaps[draft.id].missing == ["nl"]
    assert services.latest_published(db, "CLEAN-ENV-901").id not in gaps


def test_editing_keeps_the_order_of_categories(client, db, load_clauses, curator, login):
    load_clauses(clause_data("CLEAN-ENV-905", categories=["cleaning", "catering"]))
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-905")
    db.commit()
    data = services.data_of(db, draft)
    data["change_note"] = LOC("Ordre.", "Volgorde.", "Order.")
    data["categories"] = ["catering", "cleaning", "waste"]  # the form's order, plus one
    login(curator)
    response = client.post(
        f"/clauses/drafts/{draft.id}/edit", data=editor_payload(data, draft.lock_version)
    )
    assert response.status_code == 302
    db.expire_all()
    assert [c.code for c in services.version_categories(db, draft.id)] == [
        "cleaning",
        "catering",
        "waste",
    ]


def test_a_review_decision_on_a_stale_page_is_refused_over_http(
    client, db, library, curator, curator2, login
):
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    data = services.data_of(db, draft)
    data["ambition"] = "advanced"
    data["change_note"] = LOC("Relevé.", "Verhoogd.", "Raised.")
    services.update_draft(
        db, actor=curator, version_id=draft.id, data=data, lock_version=draft.lock_version
    )
    services.submit_version(db, actor=curator, version_id=draft.id)
    db.commit()
    login(curator2)
    page = client.get(f"/clauses/drafts/{draft.id}?lang=fr").data.decode()
    read = str(draft.lock_version)
    assert f'name="lock_version" type="hidden" value="{read}"' in page
    stale = client.post(
        f"/clauses/drafts/{draft.id}/publish?lang=fr",
        data={"lock_version": str(draft.lock_version - 1)},
        follow_redirects=True,
    )
    assert stale.status_code == 200
    assert "Rien n’a été publié" in stale.data.decode()
    db.expire_all()
    assert db.get(ClauseVersion, draft.id).status == VersionStatus.in_review
    done = client.post(f"/clauses/drafts/{draft.id}/publish", data={"lock_version": read})
    assert done.status_code == 302
    db.expire_all()
    assert db.get(ClauseVersion, draft.id).status == VersionStatus.published


def test_submit_errors_name_the_field_in_the_users_language(client, db, library, curator, login):
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    db.commit()
    login(curator)
    page = client.post(f"/clauses/drafts/{draft.id}/submit?lang=nl", follow_redirects=True)
    text = page.data.decode()
    assert page.status_code == 200
    assert "change_note" not in text
    assert "Wijzigingsnota (Nederlands): Dit veld is verplicht." in text
    assert "niet ter nazicht gestuurd" in text


@pytest.mark.parametrize(
    "weight,lang,expected",
    [
        (1, "en", "1 point out of 100 (between 1 and 5)"),
        (1, "fr", "1 point sur 100 (entre 1 et 5)"),
        (3, "nl", "3 punten op 100 (tussen 1 en 5)"),
    ],
)
def test_award_weight_uses_the_plural_form_of_its_number(
    client, load_clauses, weight, lang, expected
):
    load_clauses(
        award_data(
            award={
                "weight": {"min": 1, "max": 5, "suggested": weight},
                "scoring": LOC("Proportionnel.", "Evenredig.", "Proportional."),
            }
        )
    )
    page = client.get(f"/clauses/CLEAN-ENV-902?lang={lang}").data.decode()
    assert expected in page


def test_workspace_shows_the_library_at_a_glance(client, db, library, curator, buyer, login):
    from portal.clauses.models import FeedbackKind
    from portal.clauses.vocabulary import Ambition, Family

    published = {v.code: v for v in db.exec(select(ClauseVersion)).all()}
    services.give_feedback(
        db,
        actor=buyer,
        version_id=published["CLEAN-ENV-901"].id,
        kind="market_failed",
        body="Aucun fournisseur ne proposait le label.",
    )
    services.give_feedback(
        db, actor=buyer, version_id=published["GEN-SOC-901"].id, kind="used_ok", body=""
    )
    db.commit()

    overview = services.library_overview(db, [Family.environmental])
    rows = {row.category.code: row for row in overview.rows}
    expected = {a: 0 for a in Ambition}
    for code in ("CLEAN-ENV-901", "CLEAN-ENV-902"):
        expected[published[code].ambition] += 1
    assert rows["cleaning"].counts == expected and rows["cleaning"].total == 2
    assert rows["catering"].total == 0  # only the social clause is written for catering
    assert len(rows) == 17 and "catering" in {c.code for c in overview.empty_categories}
    # Feedback is counted in the families looked at: the social feedback is not.
    assert overview.feedback[FeedbackKind.market_failed] == 1
    assert overview.feedback[FeedbackKind.used_ok] == 0

    login(curator)
    page = client.get("/helpdesk/clauses?lang=fr").data.decode()
    assert "La bibliothèque en un coup d’œil" in page
    assert "16 catégories n’ont encore aucune clause." in page
    section = page[page.index('id="overview"') :]
    assert "cov-base" in section and "fb-market_failed" in section
