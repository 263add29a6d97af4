"""The tender builder over HTTP: pages in three languages, object-level permissions, bad input
that never breaks a page, uploads, PDF, and the "done when" scenario from end to end."""

from __future__ import annotations

import io
import re

import docx
import pytest
from sqlmodel import select

from portal.accounts.models import Role
from portal.documents import builtin
from portal.tenders.models import AuthorityTemplate, Dossier, DossierClause, GeneratedDocument
from tests.tenders.conftest import ECOLABEL, LOC, version_two

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _version_fields(db, codes) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from portal.clauses import services as clause_services

    return {
        f"c-{code}-version": str(clause_services.latest_published(db, code).id) for code in codes
    }


@pytest.fixture()
def ready(db, library, make_dossier, select_all):  # type: ignore[no-untyped-def]
    dossier = make_dossier()
    select_all(dossier)
    return dossier


# ------------------------------------------------------------------------------------------------
# Pages and permissions


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_every_page_answers_in_three_languages(client, db, login, buyer, ready, lang):
    login(buyer)
    for path in (
        "/tenders/",
        "/tenders/new",
        f"/tenders/{ready.id}",
        f"/tenders/{ready.id}/edit",
        f"/tenders/{ready.id}/clauses",
        f"/tenders/{ready.id}/documents",
        f"/tenders/{ready.id}/history",
        f"/tenders/{ready.id}/clauses/CLEAN-ENV-951/upgrade",
    ):
        response = client.get(f"{path}?lang={lang}")
        assert response.status_code == 200, path
        assert f'<html lang="{lang}">'.encode() in response.data


def test_dutch_pages_are_translated(client, login, buyer, ready):
    login(buyer)
    page = client.get(f"/tenders/{ready.id}/clauses?lang=nl").get_data(as_text=True)
    assert "Gunningscriteria" in page
    assert "Verplicht basiscriterium" in page
    assert "De selectie opslaan" in page
    french = client.get(f"/tenders/{ready.id}/clauses?lang=fr").get_data(as_text=True)
    assert "Critère de base obligatoire" in french
    assert "Enregistrer la sélection" in french


def test_clause_page_opens_with_the_procedure_group(client, login, buyer, ready):
    login(buyer)
    page = client.get(f"/tenders/{ready.id}/clauses?lang=fr").get_data(as_text=True)
    groups = re.findall(r'<section id="group-([a-z_]+)"', page)
    assert groups == ["procedure", "selection", "technical_specification", "award", "performance"]
    assert '<h2 id="group-procedure-title">Modalités de la procédure et lots</h2>' in page
    procedure = page[page.index('id="group-procedure"') : page.index('id="group-selection"')]
    assert 'id="clause-CLEAN-SME-958"' in procedure
    overview = client.get(f"/tenders/{ready.id}?lang=nl").get_data(as_text=True)
    assert "Procedure en percelen" in overview


def test_another_authoritys_dossier_is_a_404_everywhere(client, db, login, ready, other_buyer):
    login(other_buyer)
    for path in (
        f"/tenders/{ready.id}",
        f"/tenders/{ready.id}/edit",
        f"/tenders/{ready.id}/clauses",
        f"/tenders/{ready.id}/documents",
        f"/tenders/{ready.id}/history",
        f"/tenders/{ready.id}/clauses/CLEAN-ENV-951/upgrade",
        f"/tenders/{ready.id}/documents/1",
        f"/tenders/{ready.id}/documents/1/pdf",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert ready.title.encode() not in response.data
    response = client.post(f"/tenders/{ready.id}/clauses", data={"price_weight": "100"})
    assert response.status_code == 404
    listing = client.get("/tenders/").get_data(as_text=True)
    assert "TEST-CLEAN-01" not in listing


@pytest.mark.parametrize("role", [Role.company, Role.curator, Role.expert])
def test_roles_without_dossiers_get_403(client, login, make_user, ready, role):
    login(make_user(role))
    for path in ("/tenders/", "/tenders/new", f"/tenders/{ready.id}", "/tenders/templates"):
        assert client.get(path).status_code == 403, path


def test_visitors_are_sent_to_the_login_page(client, ready):
    response = client.get(f"/tenders/{ready.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_buyers_cannot_manage_templates(client, login, buyer, ready):
    login(buyer)
    assert client.get("/tenders/templates").status_code == 403
    assert client.post("/tenders/templates/1/active", data={"active": "0"}).status_code == 403


def test_menu_shows_the_tender_builder_to_buyers_only(client, login, buyer, make_user):
    assert b'href="/tenders/"' not in client.get("/").data
    login(buyer)
    assert b'href="/tenders/"' in client.get("/?lang=en").data


# ------------------------------------------------------------------------------------------------
# Forms and bad input


def test_create_form_shows_field_errors_in_the_users_language(client, login, buyer, library):
    login(buyer)
    response = client.post(
        "/tenders/new?lang=fr",
        data={
            "title": "",
            "category": "cleaning",
            "main_cpv": "12345678-9",
            "additional_cpv-0": "pas un code",
            "estimated_value": "-3",
            "contract_type": "services",
            "procedure": "open",
            "language": "fr",
            "publication_date": "demain",
        },
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Veuillez corriger ce qui suit" in page
    assert "Donnez un titre au dossier." in page
    assert "Le montant estimé doit être supérieur à zéro." in page
    assert "Indiquez une date comme 2027-03-15." in page
    assert "12345678-9" in page
    assert 'aria-invalid="true"' in page


def test_create_form_makes_a_dossier_with_its_mandatory_criteria(client, db, login, buyer, library):
    login(buyer)
    response = client.post(
        "/tenders/new",
        data={
            "title": "Nettoyage de la maison communale",
            "subject": "Bureaux et salles du conseil.",
            "category": "cleaning",
            "main_cpv": "90919200-4 Services de nettoyage de bureaux",
            "additional_cpv-0": "39830000",
            "additional_cpv-1": "",
            "estimated_value": "1.250.000,50",
            "contract_type": "services",
            "procedure": "restricted",
            "language": "nl",
            "publication_date": "",
            "reference": "MC-2027",
        },
    )
    assert response.status_code == 302
    dossier = db.exec(select(Dossier).where(Dossier.reference == "MC-2027")).one()
    assert response.headers["Location"].endswith(f"/tenders/{dossier.id}/clauses")
    assert str(dossier.estimated_value) == "1250000.50"
    assert dossier.main_cpv == "90919200-4"
    assert dossier.additional_cpv == ["39830000-9"]
    rows = db.exec(select(DossierClause).where(DossierClause.dossier_id == dossier.id)).all()
    assert [r.clause_code for r in rows] == ["CLEAN-ENV-951"]


@pytest.mark.parametrize(
    "fields",
    [
        {"c-CLEAN-ENV-951-p-share": "9" * 400},
        {"c-CLEAN-ENV-951-p-share": "NaN"},
        {"c-CLEAN-ENV-951-p-share": "-inf"},
        {"c-CLEAN-ENV-951-p-months": "1e99999999"},
        {"c-CLEAN-ENV-951-p-labels": "<script>alert(1)</script>"},
        {"c-CLEAN-SOC-953-include": "1", "c-CLEAN-SOC-953-p-contact": "{{ 7*7 }}"},
        {"c-CLEAN-SOC-953-include": "1", "c-CLEAN-SOC-953-p-scheme": "\x00"},
        {"c-CLEAN-ENV-952-include": "1", "c-CLEAN-ENV-952-weight": "1.5"},
        {"c-CLEAN-ENV-952-include": "1", "c-CLEAN-ENV-952-weight": "1e3"},
        {"c-CLEAN-ENV-952-version": "abc", "c-CLEAN-ENV-952-include": "1"},
        {"c-CLEAN-ENV-952-version": "999999", "c-CLEAN-ENV-952-include": "1"},
        {"price_weight": "1e9999"},
        {"price_weight": ""},
    ],
)
def test_bad_clause_form_input_never_breaks_the_page(client, db, login, buyer, ready, fields):
    login(buyer)
    data = {
        **_version_fields(db, ["CLEAN-ENV-951", "CLEAN-SOC-953", "CLEAN-ENV-952"]),
        "c-CLEAN-ENV-951-include": "1",
        "c-CLEAN-ENV-951-p-share": "85",
        "c-CLEAN-ENV-951-p-months": "3",
        "lock_version": str(ready.lock_version),
        "price_weight": "75",
        **fields,
    }
    response = client.post(f"/tenders/{ready.id}/clauses?lang=en", data=data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        page = response.get_data(as_text=True)
        assert "Please correct the following" in page
        assert "Nothing was saved." in page
        assert "<script>alert(1)</script>" not in page


def test_weights_message_is_clear_when_they_do_not_total_100(client, db, login, buyer, ready):
    login(buyer)
    data = {
        **_version_fields(db, ["CLEAN-ENV-951"]),
        "c-CLEAN-ENV-951-include": "1",
        "c-CLEAN-ENV-951-p-share": "85",
        "c-CLEAN-ENV-951-p-labels": "eu_ecolabel",
        "c-CLEAN-ENV-951-p-months": "3",
        "lock_version": str(ready.lock_version),
        "price_weight": "60",
    }
    response = client.post(f"/tenders/{ready.id}/clauses?lang=en", data=data, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "The award weights total 85, not 100." in page
    assert "Total 85, not 100" in page
    documents = client.get(f"/tenders/{ready.id}/documents?lang=en").get_data(as_text=True)
    assert "Documents cannot be generated yet" in documents
    assert re.search(r"<button type=\"submit\"[^>]*disabled", documents)


def test_the_weights_total_follows_every_save_and_the_form(client, db, login, buyer, ready):
    login(buyer)
    codes = ["CLEAN-ENV-951", "CLEAN-ENV-952", "CLEAN-ENV-957"]
    data = {
        **_version_fields(db, codes),
        "c-CLEAN-ENV-951-include": "1",
        "c-CLEAN-ENV-951-p-share": "NaN",  # refused: nothing is saved
        "c-CLEAN-ENV-951-p-labels": "eu_ecolabel",
        "c-CLEAN-ENV-951-p-months": "3",
        "c-CLEAN-ENV-952-include": "1",
        "c-CLEAN-ENV-952-p-tolerance": "5",
        "c-CLEAN-ENV-952-weight": "20",
        "c-CLEAN-ENV-957-include": "1",
        "c-CLEAN-ENV-957-weight": "30",
        "lock_version": str(ready.lock_version),
        "price_weight": "70",
    }
    page = client.post(f"/tenders/{ready.id}/clauses?lang=en", data=data).get_data(as_text=True)
    # The form keeps what was typed, and its total is given beside the saved one.
    assert "The weights in this form total 120 points; as saved, they total 100." in page
    assert "Total 100: ready" in page
    data["c-CLEAN-ENV-951-p-share"] = "85"
    saved = client.post(f"/tenders/{ready.id}/clauses?lang=en", data=data, follow_redirects=True)
    page = saved.get_data(as_text=True)
    assert "The award weights total 120, not 100." in page
    assert "Total 120, not 100" in page and "in this form total" not in page
    overview = client.get(f"/tenders/{ready.id}?lang=en").get_data(as_text=True)
    assert "Total 120, not 100" in overview and "Total 100: ready" not in overview
    db.refresh(ready)
    data.update({"lock_version": str(ready.lock_version), "price_weight": "50"})
    assert client.post(f"/tenders/{ready.id}/clauses?lang=en", data=data).status_code == 302
    overview = client.get(f"/tenders/{ready.id}?lang=en").get_data(as_text=True)
    assert "Total 100: ready" in overview and "Total 120" not in overview


def test_removing_a_mandatory_criterion_over_http(client, db, login, buyer, ready):
    login(buyer)
    base = {
        **_version_fields(db, ["CLEAN-ENV-951"]),
        "lock_version": str(ready.lock_version),
        "price_weight": "75",
    }
    response = client.post(f"/tenders/{ready.id}/clauses?lang=en", data=base)
    page = response.get_data(as_text=True)
    assert "This is a mandatory base criterion" in page
    reason = "La commune fournit elle-même des produits écolabellisés (contrat-cadre régional)."
    response = client.post(
        f"/tenders/{ready.id}/clauses",
        data={**base, "c-CLEAN-ENV-951-justification": reason},
    )
    assert response.status_code == 302
    history = client.get(f"/tenders/{ready.id}/history?lang=fr").get_data(as_text=True)
    assert "Clause retirée" in history
    assert reason.replace("'", "&#39;") in history


def test_stale_clause_form_gets_a_conflict_page(client, db, login, buyer, ready):
    login(buyer)
    response = client.post(
        f"/tenders/{ready.id}/clauses?lang=en",
        data={"lock_version": "0", "price_weight": "75"},
    )
    assert response.status_code == 409
    assert b"Someone changed this dossier" in response.data


def test_stale_edit_form_gets_a_conflict_page(client, login, buyer, ready):
    login(buyer)
    response = client.post(
        f"/tenders/{ready.id}/edit?lang=en",
        data={
            "title": "X",
            "category": "cleaning",
            "main_cpv": "90910000-9",
            "estimated_value": "1",
            "contract_type": "services",
            "procedure": "open",
            "language": "fr",
            "lock_version": "1",
        },
    )
    assert response.status_code == 409


# ------------------------------------------------------------------------------------------------
# Documents, templates and PDF over HTTP


def test_generate_download_and_pdf_link(client, db, login, buyer, ready, app, monkeypatch):
    login(buyer)
    response = client.post(
        f"/tenders/{ready.id}/documents?lang=en",
        data={"kind": "selection_award", "lang": "nl", "template": ""},
    )
    assert response.status_code == 302
    document = db.exec(
        select(GeneratedDocument).where(GeneratedDocument.dossier_id == ready.id)
    ).one()
    download = client.get(f"/tenders/{ready.id}/documents/{document.id}")
    assert download.status_code == 200
    assert download.mimetype == DOCX
    assert download.data == document.content
    assert "TEST-CLEAN-01_selection-award_nl.docx" in download.headers["Content-Disposition"]
    monkeypatch.setitem(app.config, "LIBREOFFICE_PATH", "/nonexistent/soffice")
    page = client.get(f"/tenders/{ready.id}/documents?lang=en").get_data(as_text=True)
    assert f"/documents/{document.id}/pdf" not in page
    assert "PDF export is not available on this server" in page
    assert client.get(f"/tenders/{ready.id}/documents/{document.id}/pdf").status_code == 404


def test_generating_the_same_document_again_says_it_is_unchanged(client, db, login, buyer, ready):
    login(buyer)
    data = {"kind": "lots", "lang": "both", "template": ""}
    first = client.post(f"/tenders/{ready.id}/documents?lang=en", data=data, follow_redirects=True)
    assert "2 documents are generated (one per language)" in first.get_data(as_text=True)
    again = client.post(f"/tenders/{ready.id}/documents?lang=en", data=data, follow_redirects=True)
    page = again.get_data(as_text=True)
    assert "documents are generated" not in page
    assert "The French document is unchanged" in page
    assert "The Dutch document is unchanged" in page
    stored = db.exec(select(GeneratedDocument).where(GeneratedDocument.dossier_id == ready.id))
    stored = stored.all()
    assert len(stored) == 2
    # The history lists each file once, and each one downloads with its checksum.
    for document in stored:
        assert page.count(f'/tenders/{ready.id}/documents/{document.id}"') == 1
        download = client.get(f"/tenders/{ready.id}/documents/{document.id}")
        assert download.data == document.content
    nl = client.post(
        f"/tenders/{ready.id}/documents?lang=nl", data=data, follow_redirects=True
    ).get_data(as_text=True)
    assert "Het Nederlandse document is ongewijzigd" in nl


def test_generation_form_rejects_bad_choices(client, db, login, buyer, ready):
    login(buyer)
    for data in (
        {"kind": "nope", "lang": "fr", "template": ""},
        {"kind": "complete", "lang": "de", "template": ""},
        {"kind": "complete", "lang": "fr", "template": "x"},
        {"kind": "complete", "lang": "fr", "template": "99999"},
    ):
        response = client.post(f"/tenders/{ready.id}/documents?lang=en", data=data)
        assert response.status_code == 200, data
        assert b"Please correct the following" in response.data
    assert db.exec(select(GeneratedDocument)).all() == []


def test_manager_uploads_templates_over_http(client, db, login, manager, ready):
    login(manager)
    page = client.get("/tenders/templates?lang=nl").get_data(as_text=True)
    assert "Een sjabloon opladen" in page
    assert "/help/word-templates" in page
    good = builtin.template_path("complete", "fr").read_bytes()
    response = client.post(
        "/tenders/templates?lang=en",
        data={"name": "Modèle maison", "kind": "complete", "file": (io.BytesIO(good), "m.docx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    template = db.exec(select(AuthorityTemplate)).one()
    assert template.name == "Modèle maison" and template.size == len(good)
    bad = client.post(
        "/tenders/templates?lang=fr",
        data={"name": "Macro", "kind": "complete", "file": (io.BytesIO(b"PK\x03\x04"), "m.docm")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 200
    assert "Veuillez corriger ce qui suit" in bad.get_data(as_text=True)
    assert len(db.exec(select(AuthorityTemplate)).all()) == 1
    toggled = client.post(f"/tenders/templates/{template.id}/active", data={"active": "0"})
    assert toggled.status_code == 302
    db.refresh(template)
    assert template.is_active is False
    assert client.post(f"/tenders/templates/{template.id}/active", data={}).status_code == 400
    assert client.get(f"/tenders/templates/{template.id}/file").data == good


# ------------------------------------------------------------------------------------------------
# Done when: create, accept, add, weigh, generate FR and NL, download, upgrade, regenerate


def test_done_when_scenario(client, db, login, buyer, library, publish):
    login(buyer)
    # 1. The buyer creates a dossier.
    response = client.post(
        "/tenders/new",
        data={
            "title": "Nettoyage des crèches communales",
            "subject": "Nettoyage quotidien de six crèches.",
            "title_nl": "Schoonmaak van de gemeentelijke kinderdagverblijven",
            "subject_nl": "Dagelijkse schoonmaak van zes kinderdagverblijven.",
            "category": "cleaning",
            "main_cpv": "90910000-9",
            "additional_cpv-0": "39830000-9",
            "estimated_value": "360000",
            "contract_type": "services",
            "procedure": "open",
            "language": "both",
            "reference": "CRECHES-2027",
        },
    )
    assert response.status_code == 302
    dossier = db.exec(select(Dossier).where(Dossier.reference == "CRECHES-2027")).one()
    clauses_url = f"/tenders/{dossier.id}/clauses"
    page = client.get(clauses_url + "?lang=en").get_data(as_text=True)
    assert "Mandatory base criterion" in page
    assert re.search(r'id="c-CLEAN-ENV-951-include"[^>]*checked', page)

    # 2. Accepts the mandatory clause, adds optional ones with parameters, sets the weights.
    db.refresh(dossier)
    form = {
        **_version_fields(db, ["CLEAN-ENV-951", "CLEAN-ENV-952", "CLEAN-SOC-953", "CLEAN-ASD-954"]),
        "lock_version": str(dossier.lock_version),
        "c-CLEAN-ENV-951-include": "1",
        "c-CLEAN-ENV-951-p-share": "90",
        "c-CLEAN-ENV-951-p-labels": ["eu_ecolabel", "blauer_engel"],
        "c-CLEAN-ENV-951-p-months": "4",
        "c-CLEAN-ENV-952-include": "1",
        "c-CLEAN-ENV-952-p-tolerance": "8",
        "c-CLEAN-ENV-952-weight": "20",
        "c-CLEAN-SOC-953-include": "1",
        "c-CLEAN-SOC-953-p-persons": "2",
        "c-CLEAN-SOC-953-p-scheme": "actiris",
        "c-CLEAN-SOC-953-p-penalty": "600",
        "c-CLEAN-SOC-953-p-contact": "Mme Dupont & M. Peeters",
        "c-CLEAN-ASD-954-include": "1",
        "price_weight": "80",
    }
    response = client.post(clauses_url + "?lang=en", data=form, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "The clause selection is saved." in page
    assert "Total 100: ready" in page

    # 3. Generates the Word document in French and in Dutch, and downloads both.
    for lang in ("fr", "nl"):
        response = client.post(
            f"/tenders/{dossier.id}/documents",
            data={"kind": "complete", "lang": lang, "template": ""},
        )
        assert response.status_code == 302
    documents = {
        d.lang: d
        for d in db.exec(
            select(GeneratedDocument).where(GeneratedDocument.dossier_id == dossier.id)
        )
    }
    assert sorted(documents) == ["fr", "nl"]
    texts = {}
    for lang, document in documents.items():
        download = client.get(f"/tenders/{dossier.id}/documents/{document.id}")
        assert download.status_code == 200 and download.mimetype == DOCX
        opened = docx.Document(io.BytesIO(download.data))
        texts[lang] = "\n".join(p.text for p in opened.paragraphs)
    assert "Au moins 90\u00a0% des produits portent l'EU Ecolabel ou l'Ange bleu." in texts["fr"]
    assert "Contact : Mme Dupont & M. Peeters." in texts["fr"]
    assert "Minstens 90% van de producten draagt EU Ecolabel of de Blauwe Engel." in texts["nl"]
    assert "CLEAN-ENV-951 v1" in texts["nl"]

    # 4. Sees a newer clause version, with its diff, and upgrades with one click.
    new = version_two(ECOLABEL)
    new["text"] = LOC(
        "Au moins {{ share }} des produits portent {{ labels }} (ou équivalent).\n\n"
        "Le rapport est remis tous les {{ months }} mois.",
        "Minstens {{ share }} van de producten draagt {{ labels }} (of gelijkwaardig).\n\n"
        "Het verslag wordt om de {{ months }} maanden bezorgd.",
        "At least {{ share }} of the products carry {{ labels }} (or equivalent).\n\n"
        "The report is handed in every {{ months }} months.",
    )
    publish(new)
    page = client.get(clauses_url + "?lang=en").get_data(as_text=True)
    assert "Version 2 of this clause is published; this dossier uses version 1." in page
    assert "(ou équivalent).</ins>" in page and "(of gelijkwaardig).</ins>" in page
    assert "<del>}}. Un produit à &lt; 5 € l&#39;unité" in page
    overview = client.get(f"/tenders/{dossier.id}?lang=en").get_data(as_text=True)
    assert "CLEAN-ENV-951: version 1 → version 2" in overview
    diff_page = client.get(f"{clauses_url}/CLEAN-ENV-951/upgrade?lang=en")
    assert b"Upgrade to version 2" in diff_page.data
    db.refresh(dossier)
    response = client.post(
        f"{clauses_url}/CLEAN-ENV-951/upgrade?lang=en",
        data={"lock_version": str(dossier.lock_version)},
        follow_redirects=True,
    )
    assert "Clause CLEAN-ENV-951 now uses version 2 (it used version 1)." in response.get_data(
        as_text=True
    )

    # 5. Regenerates: the new document uses version 2 and keeps the parameters.
    response = client.post(
        f"/tenders/{dossier.id}/documents",
        data={"kind": "complete", "lang": "both", "template": ""},
    )
    assert response.status_code == 302
    latest = db.exec(
        select(GeneratedDocument)
        .where(GeneratedDocument.dossier_id == dossier.id, GeneratedDocument.lang == "fr")
        .order_by(GeneratedDocument.id.desc())
    ).first()
    assert {"code": "CLEAN-ENV-951", "number": 2} in [
        {"code": c["code"], "number": c["number"]} for c in latest.clause_versions
    ]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(latest.content)).paragraphs)
    assert (
        "Au moins 90\u00a0% des produits portent l'EU Ecolabel ou l'Ange bleu (ou équivalent)."
        in text
    )
    assert "CLEAN-ENV-951 v2" in text
    history = client.get(f"/tenders/{dossier.id}/history?lang=en").get_data(as_text=True)
    for action in (
        "Dossier created",
        "Clause added",
        "Clause upgraded to a newer version",
        "Document generated",
    ):
        assert action in history


def test_history_shows_parameter_values_with_their_labels(client, login, buyer, ready):
    login(buyer)
    page = client.get(f"/tenders/{ready.id}/history?lang=fr").get_data(as_text=True)
    assert "Part minimale\u00a0: 85\u00a0%" in page
    assert "Pondération du prix" in page
    dutch = client.get(f"/tenders/{ready.id}/history?lang=nl").get_data(as_text=True)
    assert "Regeling: via het OCMW; Boete: € 750" in dutch.replace("\u00a0", " ")
