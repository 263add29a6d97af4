"""Bad input is refused with a clear message, never stored and never a server error."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import select

from portal.audit.models import AuditEvent
from portal.clauses import services
from portal.clauses.models import Clause, ClauseFeedback, ClauseVersion
from portal.errors import ValidationError
from tests.clauses.conftest import LOC, clause_data, editor_payload


@pytest.fixture()
def editing(client, db, library, curator, login):  # type: ignore[no-untyped-def]
    """A draft of CLEAN-ENV-901 open in the editor: returns (draft, data, post)."""
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    db.commit()
    data = services.data_of(db, draft)
    data["change_note"] = LOC("Essai.", "Test.", "Test.")
    login(curator)

    def post(payload):  # type: ignore[no-untyped-def]
        return client.post(f"/clauses/drafts/{draft.id}/edit?lang=en", data=payload)

    return draft, data, post


def _saved_count(db) -> int:  # type: ignore[no-untyped-def]
    return db.exec(
        select(sa.func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "clause.draft.saved")
    ).one()


def _mutations():  # type: ignore[no-untyped-def]
    def html(d):  # type: ignore[no-untyped-def]
        d["text"]["fr"] = "<script>alert('x')</script> {{ share }} {{ labels }} {{ months }}"

    def template(d):  # type: ignore[no-untyped-def]
        d["title"]["nl"] = "{% if true %}ja{% endif %}"

    def javascript(d):  # type: ignore[no-untyped-def]
        d["verification"][0]["how"]["en"] = "Open javascript:alert(1) to check."

    def oversized(d):  # type: ignore[no-untyped-def]
        d["text"]["en"] = "x" * 8001 + " {{ share }} {{ labels }} {{ months }}"

    def undeclared(d):  # type: ignore[no-untyped-def]
        d["text"]["nl"] += " {{ unknown }}"

    def unused(d):  # type: ignore[no-untyped-def]
        d["text"]["en"] = "No parameters at all."

    def malformed(d):  # type: ignore[no-untyped-def]
        d["text"]["fr"] += " {{ 7*7 }}"

    def agreeing_with_a_percentage(d):  # type: ignore[no-untyped-def]
        d["text"]["nl"] += " {{ share | procent | procenten }}"

    def min_above_max(d):  # type: ignore[no-untyped-def]
        d["parameters"][0]["min"] = 90
        d["parameters"][0]["max"] = 60

    def default_out_of_range(d):  # type: ignore[no-untyped-def]
        d["parameters"][2]["default"] = 40

    def bad_name(d):  # type: ignore[no-untyped-def]
        d["parameters"][1]["name"] = "Bad Name"

    def percentage_over_100(d):  # type: ignore[no-untyped-def]
        d["parameters"][0]["max"] = 150

    def unknown_cpv(d):  # type: ignore[no-untyped-def]
        d["cpv"] = ["99999999-9"]

    def not_a_cpv(d):  # type: ignore[no-untyped-def]
        d["cpv"] = ["cleaning!"]

    def award_without_weight(d):  # type: ignore[no-untyped-def]
        d["placement"] = "award"

    def no_verification(d):  # type: ignore[no-untyped-def]
        d["verification"] = []

    def no_french(d):  # type: ignore[no-untyped-def]
        d["title"]["fr"] = ""

    return [
        (html, "Text of the clause (French)", "HTML, script or template tags are not allowed"),
        (template, "Title (Dutch)", "HTML, script or template tags are not allowed"),
        (javascript, "How the buyer checks it (English)", "HTML, script or template tags"),
        (oversized, "Text of the clause (English)", "Use at most 8000 characters."),
        (undeclared, "Text of the clause (Dutch)", "not declared: unknown"),
        (unused, "Text of the clause (English)", "does not use these declared parameters"),
        (malformed, "Text of the clause (French)", "malformed"),
        (
            agreeing_with_a_percentage,
            "Text of the clause (Dutch)",
            "A word can only agree with a whole-number parameter, not with share.",
        ),
        (min_above_max, "Parameter 1", "The minimum is greater than the maximum."),
        (default_out_of_range, "Parameter 3", "between the minimum and the maximum"),
        (bad_name, "Name in the text", "Use lower-case letters, digits and underscores"),
        (percentage_over_100, "Parameter 1", "A percentage lies between 0 and 100."),
        (unknown_cpv, "Extra CPV codes", "Not in the CPV 2008 list: 99999999-9."),
        (not_a_cpv, "Extra CPV codes", "Not in the CPV 2008 list"),
        (award_without_weight, "Suggested weight", "An award criterion needs a weight"),
        (no_verification, "Verification 1, Evidence", "This field is required."),
        (no_french, "Title (French)", "Write this text in French."),
    ]


@pytest.mark.parametrize(
    "mutate,label,message", _mutations(), ids=[m[0].__name__ for m in _mutations()]
)
def test_invalid_drafts_are_refused_and_nothing_is_stored(db, editing, mutate, label, message):
    draft, data, post = editing
    before = (_saved_count(db), db.get(ClauseVersion, draft.id).text_fr)
    mutate(data)
    response = post(editor_payload(data, draft.lock_version))
    page = response.data.decode()
    assert response.status_code == 200
    assert "Please correct the following" in page
    assert label in page and message in page, page[page.find("error-summary") :][:1500]
    db.expire_all()
    assert (_saved_count(db), db.get(ClauseVersion, draft.id).text_fr) == before


@pytest.mark.parametrize(
    "field,value",
    [
        ("categories", "space-station"),
        ("placement", "everywhere"),
        ("parameters-0-type", "colour"),
        ("award_weight_suggested", "lots"),
        ("guidance_reviewed_on", "31/02/2026"),
        ("legal_basis-0-instrument", "magna_carta"),
        ("verification-0-evidence", "rumour"),
    ],
)
def test_values_outside_the_choices_are_form_errors(db, editing, field, value):
    draft, data, post = editing
    payload = editor_payload(data, draft.lock_version)
    payload[field] = value
    response = post(payload)
    assert response.status_code == 200
    assert b"Please correct the following" in response.data
    db.expire_all()
    assert _saved_count(db) == 0


def test_odd_editor_buttons_do_not_break_the_form(editing):
    draft, data, post = editing
    payload = editor_payload(data, draft.lock_version)
    for button in ({"add": "nonsense"}, {"remove": "parameters-99"}, {"remove": "-"}):
        assert post({**payload, **button}).status_code in (200, 302)


def test_a_missing_lock_version_is_a_conflict_not_an_error(db, editing):
    draft, data, post = editing
    response = post(editor_payload(data, None))
    assert response.status_code == 409


def test_service_refuses_markup_before_taking_a_code(db, library, curator):
    data = clause_data(text=LOC("<b>x</b>", "<i>y</i>", "<u>z</u>"))
    with pytest.raises(ValidationError) as exc:
        services.create_clause(db, actor=curator, data=data)
    assert {"text.fr", "text.nl", "text.en"} <= set(exc.value.errors)
    db.rollback()
    assert db.exec(select(Clause).where(Clause.code == "CLEAN-ENV-903")).first() is None


def test_a_new_clause_of_another_theme_is_refused(client, db, library, curator, login):
    login(curator)
    payload = editor_payload(clause_data("CLEAN-SOC-901"))
    response = client.post("/clauses/new?lang=en", data=payload)
    assert response.status_code == 200 and b"Not a valid choice" in response.data
    assert db.exec(select(Clause).where(Clause.code.startswith("CLEAN-SOC"))).all() == []


def test_feedback_with_markup_is_refused(client, db, library, buyer, login):
    login(buyer)
    response = client.post(
        "/clauses/CLEAN-ENV-901/v/1/feedback?lang=en",
        data={"kind": "suggested_wording", "body": '<img src=x onerror="alert(1)">'},
    )
    assert response.status_code == 200
    assert b"HTML, script or template tags are not allowed" in response.data
    assert db.exec(select(ClauseFeedback)).all() == []
    missing = client.post("/clauses/CLEAN-ENV-901/v/1/feedback", data={"kind": "nope"})
    assert missing.status_code == 200 and db.exec(select(ClauseFeedback)).all() == []


def test_texts_are_escaped_on_every_page(client, db, load_clauses):
    load_clauses(
        clause_data(
            title=LOC('Fruits & légumes "frais"', "Groenten & fruit", "Fruit & veg"),
        )
    )
    page = client.get("/clauses/CLEAN-ENV-901?lang=en").data.decode()
    assert "Fruits &amp; légumes &#34;frais&#34;" in page
    assert "Fruits & légumes" not in page
    catalogue = client.get("/clauses?q=fruits&lang=en").data.decode()
    assert "Fruit &amp; veg" in catalogue


def test_actions_on_unknown_ids_are_404(client, library, curator, login):
    login(curator)
    assert client.post("/clauses/drafts/999999/submit").status_code == 404
    assert client.get("/clauses/drafts/999999/edit").status_code == 404
    assert client.post("/helpdesk/feedback/999999/close", data={"reply": "x"}).status_code == 404
    assert client.post("/clauses/NOPE-ENV-001/drafts").status_code == 404


@pytest.mark.parametrize(
    "lang,invalid,required",
    [
        ("fr", "N&#39;est pas un choix valide.", "Ce champ est requis."),
        ("nl", "Ongeldige keuze.", "Dit veld is vereist."),
    ],
)
def test_built_in_form_messages_of_list_entries_are_translated(
    client, db, editing, lang, invalid, required
):
    draft, data, _post = editing
    payload = editor_payload(data, draft.lock_version)
    payload["legal_basis-0-instrument"] = "magna_carta"
    payload["parameters-0-type"] = "colour"
    payload["verification-0-evidence"] = " "
    response = client.post(f"/clauses/drafts/{draft.id}/edit?lang={lang}", data=payload)
    page = response.data.decode()
    assert response.status_code == 200
    assert page.count(invalid) >= 2 and required in page
    assert "Not a valid choice" not in page and "This field is required" not in page
    db.expire_all()
    assert _saved_count(db) == 0


def _summary(page: str) -> str:
    start = page.find('<div class="error-summary"')
    return page[start : page.find("</div>", start)] if start >= 0 else ""


@pytest.mark.parametrize("blank", ["", "  \t "])
def test_an_empty_new_clause_gets_field_errors_in_the_users_language(
    client, db, library, curator, login, blank
):
    login(curator)
    payload = {k: blank for k in editor_payload(clause_data(parameters=[]))}
    # One parameter, verification and legal basis, as the editor posts; no category ticked.
    payload.update({"parameters-0-name": blank, "parameters-0-type": "integer"})
    payload.pop("lock_version", None)
    payload.pop("categories", None)
    clauses_before = db.exec(select(sa.func.count()).select_from(Clause)).one()
    audit_before = db.exec(select(sa.func.count()).select_from(AuditEvent)).one()
    response = client.post("/clauses/new?lang=nl", data=payload)
    assert response.status_code == 200
    summary = _summary(response.data.decode())
    assert "Verbeter het volgende" in summary
    for label in ("Familie", "Plaats in de opdracht", "Rechtsgrond 1, Rechtsinstrument"):
        assert f"{label}: Dit veld is vereist." in summary
    assert "This field is required" not in summary and "Not a valid choice" not in summary

    # The selects filled, the texts blank: every missing text is named, in Dutch, at once
    # (the missing category does not hide the rest), and only French is asked for.
    payload.update(
        {
            "family": "environmental",
            "placement": "technical_specification",
            "ambition": "base",
            "facilitator": "brussels_environment",
            "market_readiness": "widespread",
            "cost_effect": "neutral",
            "guidance_reviewed_on": "2026-09-01",
            "verification-0-evidence": "label",
            "verification-0-stage": "award",
            "legal_basis-0-instrument": "law_2016",
        }
    )
    response = client.post("/clauses/new?lang=nl", data=payload)
    summary = _summary(response.data.decode())
    assert response.status_code == 200
    assert "Categorieën: Kies minstens één categorie." in summary
    for label in ("Titel (Frans)", "Tekst van de clausule (Frans)", "Wijzigingsnota (Frans)"):
        assert f"{label}: Dit veld is verplicht." in summary
    assert "Parameter 1, Naam in de tekst: Dit veld is verplicht." in summary
    assert "Rechtsgrond 1, Artikel: Dit veld is verplicht." in summary
    assert "(Nederlands)" not in summary and "(Engels)" not in summary
    db.expire_all()
    assert db.exec(select(sa.func.count()).select_from(Clause)).one() == clauses_before
    assert db.exec(select(sa.func.count()).select_from(AuditEvent)).one() == audit_before


def test_an_emptied_draft_is_not_saved_and_says_what_is_missing(db, editing):
    draft, data, post = editing
    payload = editor_payload(data, draft.lock_version)
    keep = ("lock_version", "family", "placement", "ambition", "facilitator", "categories")
    selects = ("type", "evidence", "stage", "instrument", "market_readiness", "cost_effect")
    blank = {
        k: v if k in keep or k.endswith(selects) or k == "guidance_reviewed_on" else " "
        for k, v in payload.items()
    }
    response = post(blank)
    summary = _summary(response.data.decode())
    assert response.status_code == 200
    assert "Title (French): This field is required." in summary
    assert "Title (Dutch)" not in summary
    db.expire_all()
    assert _saved_count(db) == 0
    assert db.get(ClauseVersion, draft.id).title_fr == data["title"]["fr"]


def test_guidance_cannot_be_reviewed_in_the_future(db, library, curator):
    from datetime import date, timedelta

    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    data = services.data_of(db, draft)
    data["change_note"] = LOC("Revu.", "Herzien.", "Reviewed.")
    data["guidance"]["reviewed_on"] = (date.today() + timedelta(days=1)).isoformat()
    with pytest.raises(ValidationError) as exc:
        services.update_draft(
            db, actor=curator, version_id=draft.id, data=data, lock_version=draft.lock_version
        )
    assert list(exc.value.as_json()) == ["guidance.reviewed_on"]
    assert "today at the latest" in exc.value.as_json()["guidance.reviewed_on"][0]
    data["guidance"]["reviewed_on"] = date.today().isoformat()
    saved = services.update_draft(
        db, actor=curator, version_id=draft.id, data=data, lock_version=draft.lock_version
    )
    assert saved.guidance_reviewed_on == date.today()


@pytest.mark.parametrize(
    "lang,message",
    [
        ("fr", "revues pour la dernière fois : aujourd’hui au plus tard, pas une date future."),
        ("nl", "het laatst zijn herzien: uiterlijk vandaag, geen datum in de toekomst."),
    ],
)
def test_a_future_review_date_is_a_field_error_in_the_editor(client, db, editing, lang, message):
    from datetime import date, timedelta

    draft, data, _post = editing
    data["guidance"]["reviewed_on"] = (date.today() + timedelta(days=30)).isoformat()
    response = client.post(
        f"/clauses/drafts/{draft.id}/edit?lang={lang}",
        data=editor_payload(data, draft.lock_version),
    )
    page = response.data.decode()
    assert response.status_code == 200
    assert '<a href="#guidance_reviewed_on">' in _summary(page) and message in _summary(page)
    db.expire_all()
    assert _saved_count(db) == 0
    assert db.get(ClauseVersion, draft.id).guidance_reviewed_on != date.today() + timedelta(days=30)
