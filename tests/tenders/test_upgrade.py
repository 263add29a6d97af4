"""Pinned clause versions: a newer version shows a notice with its diff, nothing changes until
the buyer upgrades, and the upgrade keeps the values the new version still accepts."""

from __future__ import annotations

import pytest
from sqlmodel import select

from portal.clauses.models import ClauseVersion
from portal.errors import NotFound, ValidationError
from portal.tenders import services
from portal.tenders.models import DossierClause
from tests.tenders.conftest import CHEMICALS, ECOLABEL, LOC, version_two


def _row(db, dossier, code):
    return db.exec(
        select(DossierClause).where(
            DossierClause.dossier_id == dossier.id, DossierClause.clause_code == code
        )
    ).one()


def _ecolabel_v2():
    """Version 2: the minimum share rises to 90-100 and the Blue Angel option is gone."""
    data = version_two(ECOLABEL)
    share, labels, months = data["parameters"]
    share.update({"min": 90, "default": 95})
    labels["options"] = labels["options"][:2]
    data["parameters"] = [share, labels, months]
    data["text"] = LOC(
        "Au moins {{ share }} des produits portent {{ labels }}.\n\nRapport tous les "
        "{{ months }} mois.",
        "Minstens {{ share }} van de producten draagt {{ labels }}.\n\nVerslag om de "
        "{{ months }} maanden.",
        "At least {{ share }} of the products carry {{ labels }}.\n\nReport every "
        "{{ months }} months.",
    )
    return data


def test_a_newer_version_is_shown_with_its_diff_and_changes_nothing(
    db, library, make_dossier, select_all, buyer, publish
):
    dossier = make_dossier()
    select_all(dossier)
    pinned = _row(db, dossier, "CLEAN-ENV-951").version_id
    publish(_ecolabel_v2())

    board = services.clause_board(db, actor=buyer, dossier_id=dossier.id)
    item = board.item("CLEAN-ENV-951")
    assert item.version.id == pinned and item.version.number == 1
    assert item.upgrade.latest.number == 2
    changed = {(d.key, d.lang) for d in item.upgrade.diffs}
    assert ("text", "fr") in changed and ("text", "nl") in changed
    assert "parameters" in {key for key, _ in changed}
    assert all(d.changed for d in item.upgrade.diffs)
    assert [i.code for i in board.upgrades] == ["CLEAN-ENV-951"]
    # Nothing changed by itself: the selection and the documents still use version 1.
    assert _row(db, dossier, "CLEAN-ENV-951").version_id == pinned
    document = services.generate_documents(db, actor=buyer, dossier_id=dossier.id, langs=["fr"])[0]
    assert {"code": "CLEAN-ENV-951", "number": 1, "version_id": pinned} in document.clause_versions


def test_upgrade_keeps_valid_values_and_reports_the_others(
    db, library, make_dossier, select_all, buyer, publish
):
    dossier = make_dossier()
    select_all(
        dossier,
        choices={
            "CLEAN-ENV-951": services.ClauseChoice(
                version_id=_row(db, dossier, "CLEAN-ENV-951").version_id,
                include=True,
                values={"share": "85", "labels": ["blauer_engel"], "months": "3"},
            )
        },
    )
    publish(_ecolabel_v2())
    before = dossier.lock_version
    report = services.upgrade_clause(
        db, actor=buyer, dossier_id=dossier.id, code="CLEAN-ENV-951", lock_version=before
    )
    db.commit()
    assert (report.old_number, report.new_number) == (1, 2)
    assert report.kept == ["months"]
    assert {d.name for d in report.dropped} == {"share", "labels"}
    assert all(str(d.reason) for d in report.dropped)
    row = _row(db, dossier, "CLEAN-ENV-951")
    assert db.get(ClauseVersion, row.version_id).number == 2
    assert row.parameter_values == {"months": 3}
    assert dossier.lock_version > before
    event = services.dossier_history(db, actor=buyer, dossier_id=dossier.id)[0]
    assert event.action == "dossier.clause.upgraded"
    assert event.data["changes"]["version"] == [1, 2]
    assert {d["name"] for d in event.data["dropped"]} == {"share", "labels"}


def test_upgrade_of_an_award_criterion_keeps_its_weight(
    db, library, make_dossier, select_all, buyer, publish
):
    dossier = make_dossier()
    select_all(dossier)
    publish(
        version_two(
            CHEMICALS,
            award={
                "weight": {"min": 5, "max": 10, "suggested": 8},
                "scoring": LOC("Nouvelle méthode.", "Nieuwe methode.", "New method."),
            },
        )
    )
    report = services.upgrade_clause(db, actor=buyer, dossier_id=dossier.id, code="CLEAN-ENV-952")
    db.commit()
    assert _row(db, dossier, "CLEAN-ENV-952").weight == 15
    assert report.weight_note is not None  # 15 is outside the new suggested range 5-10
    assert services.generation_problems(db, dossier) == []


def test_upgrade_without_a_newer_version_is_refused(db, library, make_dossier, buyer):
    dossier = make_dossier()
    with pytest.raises(ValidationError):
        services.upgrade_clause(db, actor=buyer, dossier_id=dossier.id, code="CLEAN-ENV-951")
    with pytest.raises(NotFound):
        services.upgrade_clause(db, actor=buyer, dossier_id=dossier.id, code="CLEAN-ENV-957")


def test_upgrade_of_another_authoritys_dossier_is_not_found(
    db, library, make_dossier, other_buyer, publish
):
    dossier = make_dossier()
    publish(_ecolabel_v2())
    with pytest.raises(NotFound):
        services.upgrade_clause(db, actor=other_buyer, dossier_id=dossier.id, code="CLEAN-ENV-951")


def test_new_selections_pin_the_version_the_buyer_saw(db, library, make_dossier, buyer, publish):
    dossier = make_dossier()
    seen = db.exec(
        select(ClauseVersion).where(
            ClauseVersion.code == "CLEAN-ENV-952", ClauseVersion.number == 1
        )
    ).one()
    publish(version_two(CHEMICALS, title=LOC("Moins de chimie", "Minder chemie", "Less chemistry")))
    services.save_selection(
        db,
        actor=buyer,
        dossier_id=dossier.id,
        lock_version=dossier.lock_version,
        price_weight="90",
        choices={
            "CLEAN-ENV-952": services.ClauseChoice(version_id=seen.id, include=True, weight="10")
        },
    )
    db.commit()
    assert _row(db, dossier, "CLEAN-ENV-952").version_id == seen.id
    board = services.clause_board(db, actor=buyer, dossier_id=dossier.id)
    assert board.item("CLEAN-ENV-952").upgrade.latest.number == 2
