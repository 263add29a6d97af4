"""Thresholds as dated data: the idempotent loader, the coordinator's edits with their audit rows
and the overlap rule, and the choice of the thresholds in force by the publication date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from portal.accounts.models import Role
from portal.audit.models import AuditEvent
from portal.errors import PermissionDenied, ValidationError
from portal.lots import services
from portal.lots.models import ProcurementThreshold
from portal.lots.rules import (
    ContractType,
    ThresholdKind,
    default_threshold_paths,
    load_thresholds,
)

NEW_2028 = {
    "regime": "2014/24/EU",
    "kind": "eu_publication",
    "contract_types": ["supplies", "services"],
    "authority_kinds": ["sub_central"],
    "amount": "212 000",
    "valid_from": "2028-01-01",
    "valid_to": "31/12/2029",
    "legal_act": "Commission Delegated Regulation (EU) 2027/0001",
    "source_status": "official EC thresholds page",
}


def sub_central_services(db):  # type: ignore[no-untyped-def]
    return [
        row
        for row in services.list_thresholds(db)
        if row.regime == "2014/24/EU"
        and row.kind == ThresholdKind.eu_publication
        and row.authority_kinds == ["sub_central"]
    ]


def test_loader_creates_every_file_row_once(db, thresholds):
    assert thresholds["created"] == len(load_thresholds(default_threshold_paths()))
    again = services.sync_thresholds(db)
    assert again == {"created": 0, "updated": 0, "kept": 0}


def test_loader_leaves_rows_edited_in_the_portal(db, thresholds, coordinator):
    row = sub_central_services(db)[-1]
    services.update_threshold(
        db,
        actor=coordinator,
        threshold_id=row.id,
        data={
            **NEW_2028,
            "amount": "215000",
            "valid_from": row.valid_from.isoformat(),
            "valid_to": row.valid_to.isoformat(),
        },
    )
    counts = services.sync_thresholds(db)
    assert counts["kept"] == 1 and counts["updated"] == 0
    db.refresh(row)
    assert row.amount == Decimal("215000.00") and row.edited_in_portal


def test_the_advisor_reads_the_table(db, thresholds, coordinator):
    current = services.current_thresholds(db)
    assert len(current) == thresholds["created"]
    assert all(t.source.endswith(".csv:" + t.source.rsplit(":", 1)[1]) for t in current)


def test_coordinator_adds_a_threshold_with_an_audit_row(db, thresholds, coordinator):
    row = services.create_threshold(db, actor=coordinator, data=NEW_2028)
    assert (row.amount, row.valid_to) == (Decimal("212000.00"), date(2029, 12, 31))
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "threshold.created")).one()
    assert event.actor_id == coordinator.id and event.data["new"]["amount"] == "212000.00"


def test_adding_to_an_empty_table_loads_the_files_first(db, coordinator):
    assert not services.thresholds_are_seeded(db)
    services.create_threshold(db, actor=coordinator, data=NEW_2028)
    assert len(services.list_thresholds(db)) == len(load_thresholds(default_threshold_paths())) + 1


def test_overlapping_validity_is_refused(db, thresholds, coordinator):
    with pytest.raises(ValidationError) as caught:
        services.create_threshold(
            db, actor=coordinator, data={**NEW_2028, "valid_from": "2027-06-01"}
        )
    assert "overlaps" in str(caught.value.errors["valid_from"][0])


def test_same_dates_for_another_authority_kind_are_fine(db, thresholds, coordinator):
    data = {**NEW_2028, "authority_kinds": ["central"], "amount": "138000"}
    services.create_threshold(db, actor=coordinator, data=data)
    services.create_threshold(db, actor=coordinator, data=NEW_2028)


@pytest.mark.parametrize(
    "change,field",
    [
        ({"amount": "-5"}, "amount"),
        ({"amount": "beaucoup"}, "amount"),
        ({"valid_from": "2028-02-30"}, "valid_from"),
        ({"valid_to": "2027-01-01"}, "valid_to"),
        ({"contract_types": []}, "contract_types"),
        ({"authority_kinds": ["federal"]}, "authority_kinds"),
        ({"kind": "bonus"}, "kind"),
        ({"regime": "2099/1/EU"}, "regime"),
        ({"legal_act": ""}, "legal_act"),
        ({"source_status": "x" * 501}, "source_status"),
    ],
)
def test_bad_threshold_data(db, thresholds, coordinator, change, field):
    with pytest.raises(ValidationError) as caught:
        services.create_threshold(db, actor=coordinator, data={**NEW_2028, **change})
    assert field in caught.value.errors


def test_only_the_coordinator_edits_thresholds(db, thresholds, buyer):
    with pytest.raises(PermissionDenied):
        services.create_threshold(db, actor=buyer, data=NEW_2028)


def test_the_publication_date_picks_the_thresholds_in_force(
    db, thresholds, coordinator, buyer, make_dossier
):
    services.create_threshold(db, actor=coordinator, data=NEW_2028)
    # "Divide or explain" follows the central-government threshold: it must be in force too.
    central = {**NEW_2028, "authority_kinds": ["central"], "amount": "138000"}
    services.create_threshold(db, actor=coordinator, data=central)
    db.commit()
    space = services.workspace(db, actor=buyer, dossier_id=make_dossier().id)
    services.add_item(
        db,
        actor=buyer,
        dossier_id=space.dossier.id,
        lang="fr",
        data={"description": "Bureaux", "cpv": "90919200-4", "value": "100000", "unit": "m²"},
    )
    space = services.workspace(db, actor=buyer, dossier_id=space.dossier.id)
    assert services.advice_for(space).thresholds.eu.amount == Decimal("216000")
    space.dossier.publication_date = date(2028, 3, 1)
    space = services.workspace(db, actor=buyer, dossier_id=space.dossier.id)
    assert services.advice_for(space).thresholds.eu.amount == Decimal("212000")
    space.dossier.publication_date = date(2031, 3, 1)
    space = services.workspace(db, actor=buyer, dossier_id=space.dossier.id)
    with pytest.raises(ValidationError) as caught:
        services.advice_for(space)
    assert "01/03/2031" in str(caught.value.errors["publication_date"][0])


# ------------------------------------------------------------------------------------------------
# The coordinator's pages


def test_thresholds_pages_over_http(client, db, login, coordinator, thresholds):
    login(coordinator)
    page = client.get("/admin/thresholds?lang=fr").get_data(as_text=True)
    assert "Seuils des marchés publics" in page and "216" in page
    response = client.post("/admin/thresholds/new?lang=en", data=NEW_2028)
    assert response.status_code == 302
    row = db.exec(
        select(ProcurementThreshold).where(ProcurementThreshold.valid_from == date(2028, 1, 1))
    ).one()
    edit = client.get(f"/admin/thresholds/{row.id}?lang=nl").get_data(as_text=True)
    assert "Een drempel wijzigen" in edit and "212000.00" in edit
    bad = client.post(
        f"/admin/thresholds/{row.id}?lang=en", data={**NEW_2028, "valid_to": "2027-12-31"}
    )
    assert bad.status_code == 400 and b"The end of validity is before its start." in bad.data
    ok = client.post(f"/admin/thresholds/{row.id}", data={**NEW_2028, "amount": "213000"})
    assert ok.status_code == 302
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "threshold.updated")).one()


@pytest.mark.parametrize("role", [Role.buyer, Role.curator, Role.company])
def test_thresholds_pages_are_for_the_coordinator(client, make_user, login, role):
    login(make_user(role))
    assert client.get("/admin/thresholds").status_code == 403
    assert client.post("/admin/thresholds/new", data=NEW_2028).status_code == 403


def test_unknown_threshold(client, login, coordinator):
    login(coordinator)
    assert client.get("/admin/thresholds/999999").status_code == 404


# ------------------------------------------------------------------------------------------------
# Threshold labels in the visitor's language

#: English wording of the threshold files that must not reach a French or Dutch page.
RAW_ENGLISH = (
    "Commission Delegated Regulation",
    "secondary source",
    "presumed:",
    "Law of 17 June 2016",
    "(not revised)",
    "social and other specific services)",
    "verify on",
)


def _cells(page: str) -> list[str]:
    import re

    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
    ]


@pytest.mark.parametrize(
    "lang,regimes,official",
    [
        ("fr", ("Directive 2014/24/UE (marchés publics)", "Droit belge"), "Règlement délégué (UE)"),
        ("nl", ("Richtlijn 2014/24/EU (overheidsopdrachten)", "Belgisch recht"), "Gedelegeerde"),
    ],
)
def test_threshold_tables_are_in_the_visitors_language(
    client, login, coordinator, thresholds, lang, regimes, official
):
    help_page = client.get(f"/lots/help?lang={lang}").get_data(as_text=True)
    login(coordinator)
    admin = client.get(f"/admin/thresholds?lang={lang}").get_data(as_text=True)
    form = client.get(f"/admin/thresholds/new?lang={lang}").get_data(as_text=True)
    for page in (help_page, admin):
        cells = _cells(page)
        for regime in regimes:
            assert regime in cells
        assert "BE" not in cells and "2014/24/EU" not in cells  # no raw regime codes
        assert official in page
        assert {"fr": "Source secondaire", "nl": "Secundaire bron"}[lang] in page
        assert {"fr": "depuis le 30/06/2017", "nl": "sinds 30-06-2017"}[lang] in page
    public = help_page.split("lots-thresholds-table", 1)[1].split("</table>", 1)[0]
    for english in RAW_ENGLISH:
        assert english not in public, english
    # The coordinator still sees the note as it was recorded, labelled as such.
    assert {"fr": "Note enregistrée avec le seuil", "nl": "Notitie bij de drempel"}[lang] in admin
    assert regimes[0] in form and ">Directive 2014/24/EU<" not in form


def test_the_threshold_sources_check_names_each_threshold_by_its_role(app, thresholds, db):
    from portal.lots import messages
    from portal.lots.rules import check_threshold_sources, thresholds_in_force
    from portal.reference.models import AuthorityKind

    applicable = thresholds_in_force(
        services.current_thresholds(db),
        date(2027, 3, 15),
        contract_type=ContractType.services,
        authority_kind=AuthorityKind.sub_central,
    )
    check = check_threshold_sources(applicable)
    roles = [entry[3] for entry in check.params["unverified"]]
    assert roles == ["eu", "divide_or_explain", "accepted_invoice", "negotiated"]
    for lang, words in (
        ("nl", ("Europese drempel voor deze opdracht", "verdelen of motiveren", "Vermoed bedrag")),
        ("fr", ("Seuil européen applicable à ce marché", "diviser ou motiver", "Montant présumé")),
    ):
        with app.test_request_context(f"/?lang={lang}"):
            text = messages.check_text(check).message
        for word in words:
            assert word in text, (lang, word)
        for english in RAW_ENGLISH:
            assert english not in text, (lang, english)


def test_the_proposals_list_the_thresholds_by_role_in_dutch(
    client, db, login, buyer, make_dossier, demo_csv, thresholds
):
    from tests.lots.test_pages import OPTIONS, import_demo

    dossier = make_dossier()
    login(buyer)
    import_demo(client, dossier, demo_csv)
    client.post(f"/tenders/{dossier.id}/lots/options?lang=en", data=OPTIONS)
    page = client.get(f"/tenders/{dossier.id}/lots/proposals?lang=nl").get_data(as_text=True)
    summary = page.split('class="lots-thresholds"', 1)[1].split("</details>", 1)[0]
    assert "Europese drempel voor deze opdracht" in summary
    assert "Drempel ‘verdelen of motiveren’" in summary
    assert "Onderhandelingsprocedure zonder voorafgaande bekendmaking" in summary
    assert "Wet van 17 juni 2016 art. 92" in summary
    for english in RAW_ENGLISH:
        assert english not in summary, english


def test_the_api_labels_the_thresholds_in_the_language_of_the_request(client, thresholds):
    from tests.lots.test_api import body, post

    data = post(client, body(), lang="fr").get_json()["thresholds"]
    assert data["eu"]["label"] == "Seuil européen applicable à ce marché"
    assert data["divide_or_explain"]["label"].startswith("Seuil « diviser ou motiver »")
    assert data["eu"]["regime_label"] == "Directive 2014/24/UE (marchés publics)"
    assert data["accepted_invoice"]["regime_label"] == "Droit belge"
    assert data["eu"]["legal_act_label"].startswith("Règlement délégué (UE)")
    assert data["eu"]["source_label"] == "Source secondaire : à vérifier dans le texte officiel"
