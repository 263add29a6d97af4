"""lots_section: the saved plan in the document language (the tender builder's lots section);
outdated plans; the OCDS export; the demo loader."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlmodel import select

from portal.audit.models import AuditEvent
from portal.errors import ValidationError
from portal.lots import services
from portal.lots.advisor import Strategy
from portal.lots.demo import PLAN
from portal.lots.models import LotItem
from portal.lots.ocds import release_package, validate_package
from portal.lots.rules import JUSTIFICATION_TITLES
from portal.tenders.context import build_context
from portal.tenders.models import Dossier


@pytest.fixture()
def dossier(db, buyer, make_dossier, demo_csv):  # type: ignore[no-untyped-def]
    made = make_dossier()
    services.import_items(
        db,
        actor=buyer,
        dossier_id=made.id,
        filename="x.csv",
        content=demo_csv,
        mode="append",
        lang="fr",
    )
    services.save_options(
        db,
        actor=buyer,
        dossier_id=made.id,
        lang="fr",
        data={
            "divide": "y",
            "target_lot_size": "250000",
            "duration_months": "48",
            "max_lots_awarded": "2",
            "max_lots_bid": "4",
            "combined_bids": "y",
            "coordination_lot": "y",
            "coordination_value": "48000",
        },
    )
    db.commit()
    return made


def save_demo_plan(db, buyer, dossier):  # type: ignore[no-untyped-def]
    keys = [services.item_key(i) for i in services.list_items(db, dossier)]
    draft = services.Draft(
        Strategy.manual,
        [
            services.DraftLot(n, [keys[r - 1] for r in rows], dict(titles))
            for n, (rows, titles) in enumerate(PLAN, start=1)
        ],
    )
    services.save_plan(db, actor=buyer, dossier_id=dossier.id, draft=draft)
    db.commit()


def test_no_plan_means_no_section(db, dossier):
    assert services.lots_section(db, dossier, "fr") is None
    # The tender builder then writes that the justification is still missing.
    assert "[À compléter]" in build_context(db, dossier, "fr").lots.justification[0]


def test_divided_plan_in_both_document_languages(db, buyer, dossier):
    save_demo_plan(db, buyer, dossier)
    fr = services.lots_section(db, dossier, "fr")
    nl = services.lots_section(db, dossier, "nl")
    assert fr.divided and len(fr.lots) == 7
    assert [lot.title for lot in fr.lots][1] == "Écoles communales"
    assert [lot.title for lot in nl.lots][1] == "Gemeentescholen"
    lot = fr.lots[0]
    assert lot.value == Decimal("750000.00") and lot.yearly_value == Decimal("187500.00")
    assert lot.turnover_max == Decimal("375000") and lot.turnover_sme == Decimal("187000")
    assert lot.sme_suitable and lot.sme_label == "Accessible aux PME"
    assert "micro-entreprise" in lot.sme_reason
    assert "Le lot comprend les postes suivants" in lot.description
    assert fr.total_value == Decimal("2509600.00") + Decimal("48000")
    assert (fr.max_lots_per_tenderer, fr.max_lots_awarded) == (4, 2)
    assert "au maximum 2 lots" in fr.award_rule and "1, 2, 3" not in fr.award_rule
    assert fr.combined_bids and "1, 2, 3, 4, 5, 6 et 7" in fr.combined_bids_text
    assert fr.coordination.applies and fr.coordination.number == 8
    assert fr.coordination.coordinates == (1, 2, 3, 4, 5, 6, 7)
    assert fr.coordination.title == "Coordination des lots"
    assert any("payé" in t or "paie" in t for t in fr.coordination.interactions)
    assert nl.coordination.tasks[0].startswith("De gemeenschappelijke planning")
    assert fr.justification == ()


def test_the_required_turnover_follows_one_source_and_the_cap_is_twice_the_value(
    db, buyer, dossier
):
    save_demo_plan(db, buyer, dossier)
    lot = services.lots_section(db, dossier, "fr").lots[0]
    # No turnover clause, no figure from the buyer: the SME-friendly suggestion.
    assert lot.turnover_cap == 2 * lot.value == Decimal("1500000.00")
    assert lot.turnover_required == lot.turnover_sme
    # The turnover clause the buyer chose (1.5 x the yearly value) decides.
    ratio = services.lots_section(db, dossier, "fr", turnover_ratio=Decimal("1.5")).lots[0]
    assert ratio.turnover_required == Decimal("281250")
    # Else the figure entered in the lot options.
    options = services._workspace(db, dossier).options
    options.turnover_requirement = Decimal("90000")
    db.add(options)
    db.flush()
    assert services.lots_section(db, dossier, "fr").lots[0].turnover_required == Decimal("90000")


def test_a_turnover_figure_above_the_cap_stops_the_documents(db, buyer, dossier):
    save_demo_plan(db, buyer, dossier)
    options = services._workspace(db, dossier).options
    options.turnover_requirement = Decimal("2000000")
    db.add(options)
    db.flush()
    with pytest.raises(ValidationError) as exc:
        services.lots_section(db, dossier, "fr")
    assert "turnover_requirement" in exc.value.errors


def test_the_builder_context_carries_the_section(db, buyer, dossier):
    save_demo_plan(db, buyer, dossier)
    context = build_context(db, dossier, "nl").to_dict()
    assert context["lots"]["divided"] is True
    assert context["lots"]["lots"][0]["title"].startswith("Administratieve gebouwen")


def test_saving_the_plan_marks_earlier_documents_outdated(db, buyer, dossier):
    before = db.get(Dossier, dossier.id).lock_version
    save_demo_plan(db, buyer, dossier)
    assert db.get(Dossier, dossier.id).lock_version > before


def test_items_added_after_saving_are_reported_and_left_out(db, buyer, dossier):
    save_demo_plan(db, buyer, dossier)
    services.add_item(
        db,
        actor=buyer,
        dossier_id=dossier.id,
        lang="fr",
        data={"description": "Nouveau", "cpv": "90911300-9", "value": "5000", "unit": "m²"},
    )
    db.commit()
    problems = [str(p) for p in services.lot_plan_problems(db, dossier)]
    assert problems and "1 item was added after the plan was saved" in problems[0]
    # No document describes lots that miss an item.
    with pytest.raises(ValidationError) as caught:
        services.lots_section(db, dossier, "fr")
    assert "1 item was added" in str(caught.value.errors[""][1])
    # The editor places the new item in a new last lot.
    space = services.workspace(db, actor=buyer, dossier_id=dossier.id)
    plan, lots = services.get_plan(db, dossier)
    draft = services.draft_from_plan(space, plan, lots)
    assert len(draft.lots) == 8 and len(draft.lots[-1].items) == 1


def test_deleting_every_item_of_a_lot_is_reported(db, buyer, dossier):
    save_demo_plan(db, buyer, dossier)
    items = services.list_items(db, dossier)
    for row in PLAN[4][0]:  # the specialised interventions
        services.delete_item(db, actor=buyer, dossier_id=dossier.id, item_id=items[row - 1].id)
    db.commit()
    assert any("lost all its items" in str(p) for p in services.lot_plan_problems(db, dossier))
    with pytest.raises(ValidationError):
        services.lots_section(db, dossier, "fr")
    # Saving the plan again from the editor puts it right.
    space = services.workspace(db, actor=buyer, dossier_id=dossier.id)
    plan, lots = services.get_plan(db, dossier)
    services.save_plan(
        db, actor=buyer, dossier_id=dossier.id, draft=services.draft_from_plan(space, plan, lots)
    )
    section = services.lots_section(db, dossier, "fr")
    assert [lot.number for lot in section.lots] == [1, 2, 3, 4, 5, 6]
    assert section.lots[4].title == "Produits et matériel d'entretien"


def test_generation_refuses_an_outdated_plan_with_a_clear_message(
    client, db, login, buyer, dossier
):
    save_demo_plan(db, buyer, dossier)
    services.add_item(
        db,
        actor=buyer,
        dossier_id=dossier.id,
        lang="fr",
        data={"description": "Nouveau", "cpv": "90911300-9", "value": "5000", "unit": "m²"},
    )
    db.commit()
    login(buyer)
    response = client.post(
        f"/tenders/{dossier.id}/documents?lang=en",
        data={"kind": "lots", "lang": "fr", "template": ""},
    )
    assert response.status_code == 200
    # The readiness check names the problem before any generation is attempted.
    assert b"1 item was added after the plan was saved and is in no lot" in response.data
    assert services.lot_plan_problems(db, dossier)


def test_undivided_plan_gives_the_edited_justification(db, buyer, dossier):
    keys = [services.item_key(i) for i in services.list_items(db, dossier)]
    draft = services.Draft(
        Strategy.single_lot,
        [services.DraftLot(1, keys)],
        {
            "fr": "Premier motif.\n\nSecond motif, plus long que le premier.",
            "nl": "Eerste reden, lang genoeg om als motivering te gelden.",
        },
    )
    services.save_plan(db, actor=buyer, dossier_id=dossier.id, draft=draft)
    section = services.lots_section(db, dossier, "fr")
    assert not section.divided and section.lots == ()
    assert section.justification == ("Premier motif.", "Second motif, plus long que le premier.")
    assert section.contract_turnover_sme <= section.contract_turnover_max


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_the_drafted_justification_gives_its_introduction_once_in_word(db, buyer, dossier, lang):
    from portal.documents.builtin import template_path
    from portal.documents.render import render_docx
    from tests.documents.helpers import body_text, headings, open_docx

    services.save_options(
        db,
        actor=buyer,
        dossier_id=dossier.id,
        lang="fr",
        data={"target_lot_size": "250000", "duration_months": "48"},  # "divide" unticked
    )
    space = services._workspace(db, dossier)
    single = next(p for p in services.advice_for(space).proposals if len(p.lots) == 1)
    draft = services.draft_from_proposal(space, single, ("fr", "nl"))
    services.save_plan(db, actor=buyer, dossier_id=dossier.id, draft=draft)
    db.commit()
    section = services.lots_section(db, dossier, lang)
    # The draft's own title line is left out: the document has the heading.
    assert section.justification[0] != JUSTIFICATION_TITLES[lang]
    context = build_context(db, dossier, lang)
    doc = open_docx(render_docx(template_path("lots", lang), context, lang=lang))
    text = body_text(doc)
    intro = {"fr": "Conformément à l'article 58", "nl": "Overeenkomstig artikel 58"}[lang]
    assert text.count(intro) == 1
    assert JUSTIFICATION_TITLES[lang] not in text
    assert len(headings(doc, 2)) == len(set(headings(doc, 2)))
    assert {"fr": "1° ", "nl": "1° "}[lang] in text


@pytest.mark.parametrize(
    "lang,one_bid,one_award",
    [
        ("fr", "ne peut remettre offre que pour un seul lot", "qu'un seul lot"),
        ("nl", "slechts voor één perceel een offerte", "slechts één perceel gegund"),
    ],
)
def test_a_limit_of_one_lot_reads_in_the_singular_in_word(
    db, buyer, dossier, lang, one_bid, one_award
):
    from portal.documents.builtin import template_path
    from portal.documents.render import render_docx
    from tests.documents.helpers import body_text, open_docx

    services.save_options(
        db,
        actor=buyer,
        dossier_id=dossier.id,
        lang="fr",
        data={
            "divide": "y",
            "target_lot_size": "250000",
            "duration_months": "48",
            "max_lots_awarded": "1",
            "max_lots_bid": "1",
        },
    )
    save_demo_plan(db, buyer, dossier)
    context = build_context(db, dossier, lang)
    text = body_text(open_docx(render_docx(template_path("lots", lang), context, lang=lang)))
    assert one_bid in text and one_award in text
    assert not re.search(r"\b1 (lots|percelen)\b", text)


def test_item_changes_are_audited_on_the_dossier(db, buyer, dossier):
    item = services.list_items(db, dossier)[0]
    services.update_item(
        db,
        actor=buyer,
        dossier_id=dossier.id,
        item_id=item.id,
        lang="fr",
        data={"description": item.description, "cpv": item.cpv, "value": "1,00", "unit": item.unit},
    )
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "lots.item.updated")).one()
    assert event.entity_id == str(dossier.id)
    assert event.data["changes"]["value"] == ["372000.00", "1.00"]
    imported = db.exec(select(AuditEvent).where(AuditEvent.action == "lots.items.imported")).one()
    assert imported.data["rows"] == 40 and len(imported.data["sha256"]) == 64


def test_ocds_package_of_the_saved_plan_validates(db, buyer, dossier):
    save_demo_plan(db, buyer, dossier)
    package = services.ocds_package(
        db,
        actor=buyer,
        dossier_id=dossier.id,
        ocid_prefix="ocds-test01",
        uri="https://x/y",
        now=datetime(2027, 2, 1, 9, 30, tzinfo=UTC),
    )
    assert validate_package(package) == []
    release = package["releases"][0]
    tender = release["tender"]
    assert (
        release["ocid"] == f"ocds-test01-{dossier.id}" and release["date"] == "2027-02-01T09:30:00Z"
    )
    assert len(tender["lots"]) == 8  # seven lots and the coordination lot
    assert tender["lotDetails"]["maximumLotsAwardedPerSupplier"] == 2
    assert tender["lotDetails"]["maximumLotsBidPerSupplier"] == 4
    assert tender["lotGroups"][0]["optionToCombine"] is True
    assert tender["lots"][0]["suitability"] == {"sme": True}
    assert tender["items"][0]["classification"] == {
        "scheme": "CPV",
        "id": "90919200",
        "description": "Services de nettoyage de bureaux",
    }
    assert all(item["relatedLot"].startswith("lot-") for item in tender["items"])


def test_the_schema_check_catches_broken_packages(db, buyer, dossier):
    save_demo_plan(db, buyer, dossier)
    package = services.ocds_package(
        db, actor=buyer, dossier_id=dossier.id, ocid_prefix="ocds-test01", uri="https://x/y"
    )
    package["releases"][0]["tender"]["lots"][0]["value"]["currency"] = "EURO"
    del package["releases"][0]["initiationType"]
    problems = validate_package(package)
    assert any("currency" in p for p in problems) and any("initiationType" in p for p in problems)


def test_demo_loader_is_idempotent(app, db):
    from portal.cli import load_demo

    with app.app_context():
        first = load_demo()
        second = load_demo()
    assert first["portal.lots.demo:load"] > 40 and second["portal.lots.demo:load"] == 0
    dossier = db.exec(select(Dossier).where(Dossier.reference == "IXL-2027-CLEAN-01")).one()
    assert db.exec(select(LotItem).where(LotItem.dossier_id == dossier.id)).all().__len__() == 40
    section = services.lots_section(db, dossier, "fr")
    assert section.divided and len(section.lots) == 7 and section.max_lots_awarded == 3


def test_release_package_without_lots_is_valid():
    from portal.lots.ocds import OcdsItem, OcdsTender
    from portal.lots.rules import ContractType

    tender = OcdsTender(
        ocid_prefix="ocds-test01",
        dossier_id=1,
        revision=1,
        reference="R",
        title="T",
        description="",
        language="fr",
        contract_type=ContractType.supplies,
        buyer_id="B",
        buyer_name="B",
        items=[OcdsItem("1", "x", "39830000-9", "Produits", Decimal(1), "u", None)],
        lots=[],
        total_value=Decimal("10.5"),
    )
    package = release_package(tender, now=datetime(2027, 1, 1, tzinfo=UTC), uri="https://x")
    assert validate_package(package) == []
    assert "lots" not in package["releases"][0]["tender"]
    assert package["releases"][0]["tender"]["mainProcurementCategory"] == "goods"


def test_the_dossier_history_words_the_lots_changes(client, login, buyer, dossier):
    login(buyer)
    page = client.get(f"/tenders/{dossier.id}/history?lang=fr").get_data(as_text=True)
    assert "Postes importés" in page
    assert "Options des lots modifiées" in page
    assert "Taille de lot visée (valeur annuelle, EUR)" in page
