"""lot_consistency_warnings: chosen pro-SME clauses whose lot parameters, or a dossier value,
contradict the saved lot plan; shown (without blocking generation) on the overview and the
documents tab."""

from __future__ import annotations

from decimal import Decimal

import pytest

from portal.clauses import services as clause_services
from portal.clauses import sync
from portal.lots import services
from portal.lots.advisor import Strategy
from portal.tenders import services as tender_services
from tests.lots.test_section import save_demo_plan
from tests.tenders.conftest import LOC, _clause, write_corpus

DIVISION = _clause(
    "CLEAN-SME-971",
    "pro_sme",
    "procedure",
    title=LOC("Division en lots", "Verdeling in percelen", "Division into lots"),
    text=LOC(
        "Le marché est divisé en {{ lot_count }} lots ; au plus {{ max_lots }} par "
        "soumissionnaire.",
        "De opdracht is verdeeld in {{ lot_count }} percelen; hoogstens {{ max_lots }} per "
        "inschrijver.",
        "The contract is divided into {{ lot_count }} lots; at most {{ max_lots }} each.",
    ),
    parameters=[
        {
            "name": "lot_count",
            "type": "integer",
            "label": LOC("Nombre de lots", "Aantal percelen", "Number of lots"),
            "min": 2,
            "max": 50,
            "default": 4,
        },
        {
            "name": "max_lots",
            "type": "integer",
            "label": LOC("Lots par soumissionnaire", "Percelen per inschrijver", "Lots each"),
            "min": 1,
            "max": 25,
            "default": 2,
        },
    ],
)

LISTED = _clause(
    "CLEAN-SME-972",
    "pro_sme",
    "procedure",
    title=LOC("Lots par type", "Percelen per soort", "Lots by kind"),
    text=LOC("Lots : {{ lots }}.", "Percelen: {{ lots }}.", "Lots: {{ lots }}."),
    parameters=[
        {
            "name": "lots",
            "type": "multichoice",
            "label": LOC("Lots prévus", "Voorziene percelen", "Lots planned"),
            "options": [
                {"value": v, "label": LOC(v, v, v)} for v in ("offices", "schools", "windows")
            ],
            "conjunction": "and",
            "default": ["offices", "schools"],
        }
    ],
)


@pytest.fixture()
def dossier(db, buyer, make_dossier, demo_csv):  # type: ignore[no-untyped-def]
    """The demo items and options of test_section: 7 lots and a coordination lot once saved."""
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


@pytest.fixture()
def lot_clauses(db, tmp_path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "lot-clauses"
    write_corpus(folder, DIVISION, LISTED)
    sync.sync_directory(db, folder)
    db.commit()


def choose(db, buyer, dossier, **values):  # type: ignore[no-untyped-def]
    db.refresh(dossier)
    choices = {}
    for code, vals in values.items():
        version = clause_services.latest_published(db, code)
        choices[code] = tender_services.ClauseChoice(
            version_id=version.id, include=True, values=vals
        )
    tender_services.save_selection(
        db,
        actor=buyer,
        dossier_id=dossier.id,
        lock_version=dossier.lock_version,
        price_weight="100",
        choices=choices,
    )
    db.commit()


def texts(db, dossier):  # type: ignore[no-untyped-def]
    return [str(w) for w in services.lot_consistency_warnings(db, dossier)]


def test_no_lot_clause_and_matching_value_means_no_warning(db, buyer, dossier):
    save_demo_plan(db, buyer, dossier)
    dossier.estimated_value = Decimal("2557600.00")  # the items and the coordination lot
    db.add(dossier)
    db.commit()
    assert texts(db, dossier) == []


def test_a_lot_clause_without_a_saved_plan(db, buyer, dossier, lot_clauses):
    choose(db, buyer, dossier, **{"CLEAN-SME-971": {"lot_count": "8", "max_lots": "2"}})
    (warning,) = texts(db, dossier)
    assert "CLEAN-SME-971" in warning and "no lot plan is saved" in warning


def test_a_lot_clause_with_an_undivided_plan(db, buyer, dossier, lot_clauses):
    keys = [services.item_key(i) for i in services.list_items(db, dossier)]
    draft = services.Draft(
        Strategy.single_lot,
        [services.DraftLot(1, keys)],
        {"fr": "Motif assez long pour ne pas diviser ce marché.", "nl": "Reden lang genoeg " * 3},
    )
    services.save_plan(db, actor=buyer, dossier_id=dossier.id, draft=draft)
    db.commit()
    choose(db, buyer, dossier, **{"CLEAN-SME-972": {"lots": ["offices"]}})
    warnings = texts(db, dossier)
    assert any("does not divide the contract" in w for w in warnings)


def test_lot_count_max_lots_and_value_against_the_plan(db, buyer, dossier, lot_clauses):
    save_demo_plan(db, buyer, dossier)  # 7 lots and the coordination lot; 2 awarded, 4 bid
    choose(
        db,
        buyer,
        dossier,
        **{
            "CLEAN-SME-971": {"lot_count": "4", "max_lots": "5"},
            "CLEAN-SME-972": {"lots": ["offices", "schools"]},
        },
    )
    warnings = texts(db, dossier)
    assert "Number of lots: 4 in clause CLEAN-SME-971, 8 in the saved lot plan." in warnings[0]
    assert any("Number of lots: 2 in clause CLEAN-SME-972, 8" in w for w in warnings)
    assert any("5 in clause CLEAN-SME-971, 2 in the lot options" in w for w in warnings)
    assert any("up to 5 lots, more than the maximum" in w and "(4)" in w for w in warnings)
    assert any(
        "estimated value (2\u202f500\u202f000,00" in w and "557\u202f600" in w for w in warnings
    )
    # Made consistent, nothing is left.
    choose(db, buyer, dossier, **{"CLEAN-SME-971": {"lot_count": "8", "max_lots": "2"}})
    remaining = texts(db, dossier)
    assert [w for w in remaining if "CLEAN-SME-971" in w] == []
    assert len(remaining) == 2 and "CLEAN-SME-972" in remaining[0]


def test_the_warnings_show_on_the_overview_and_documents_tab_without_blocking(
    client, db, login, buyer, dossier, lot_clauses
):
    save_demo_plan(db, buyer, dossier)
    choose(db, buyer, dossier, **{"CLEAN-SME-971": {"lot_count": "4", "max_lots": "2"}})
    login(buyer)
    for page in ("", "/documents"):
        html = client.get(f"/tenders/{dossier.id}{page}?lang=fr").get_data(as_text=True)
        assert 'class="notice tb-lot-warnings" role="status"' in html
        assert "Nombre de lots : 4 dans la clause CLEAN-SME-971" in html, page
    html = client.get(f"/tenders/{dossier.id}/documents?lang=nl").get_data(as_text=True)
    assert "Aantal percelen: 4 in clausule CLEAN-SME-971" in html
    # Not blocking: the button stays enabled.
    assert "disabled" not in html.split('type="submit"')[1].split(">")[0]
