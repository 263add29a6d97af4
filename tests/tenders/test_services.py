"""Tender builder services without HTTP: dossiers, permissions, mandatory criteria, parameters,
weights, optimistic locking and the history."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from portal.accounts.models import Role
from portal.audit.models import AuditEvent
from portal.clauses.vocabulary import Placement
from portal.errors import Conflict, NotFound, PermissionDenied, ValidationError
from portal.tenders import services
from portal.tenders.models import DocumentLanguage, DossierClause
from tests.tenders.conftest import choice, dossier_data

# ------------------------------------------------------------------------------------------------
# Creating and editing dossiers


def test_create_dossier_converts_and_stores_every_field(db, library, buyer, make_dossier):
    dossier = make_dossier()
    assert dossier.authority_id == buyer.authority_id
    assert dossier.estimated_value == Decimal("480000.00")
    assert dossier.additional_cpv == ["90919200-4", "39830000-9"]
    assert dossier.language == DocumentLanguage.both
    assert dossier.language.langs == ("fr", "nl")
    assert dossier.reference == "TEST-CLEAN-01"
    assert dossier.created_by_id == buyer.id


def test_create_dossier_accepts_codes_without_check_digit_and_labels(db, library, buyer):
    dossier = services.create_dossier(
        db,
        actor=buyer,
        data=dossier_data(main_cpv="90910000", additional_cpv="39830000-9 Produits, 90919200"),
    )
    assert dossier.main_cpv == "90910000-9"
    assert dossier.additional_cpv == ["39830000-9", "90919200-4"]


@pytest.mark.parametrize(
    "field,value",
    [
        ("title", "   "),
        ("title", "x" * 301),
        ("category", "no-such-category"),
        ("category", ""),
        ("main_cpv", "12345678-9"),
        ("main_cpv", "cleaning"),
        ("main_cpv", ""),
        ("additional_cpv", ["90910000-9", "99999999-9"]),
        ("estimated_value", "0"),
        ("estimated_value", "-5"),
        ("estimated_value", "beaucoup"),
        ("estimated_value", "12,345"),
        ("estimated_value", "1e400"),
        ("estimated_value", ""),
        ("contract_type", "gifts"),
        ("procedure", "auction"),
        ("language", "de"),
        ("publication_date", "15/03/2027"),
        ("publication_date", "2027-02-30"),
        ("reference", "R" * 61),
    ],
)
def test_create_dossier_reports_invalid_fields(db, library, buyer, field, value):
    with pytest.raises(ValidationError) as caught:
        services.create_dossier(db, actor=buyer, data=dossier_data(**{field: value}))
    assert field in caught.value.errors
    assert all(str(m) for m in caught.value.errors[field])


def test_publication_date_must_be_plausible(db, library, buyer):
    today = services.brussels_today()
    for when in (today - timedelta(days=400), today + timedelta(days=6 * 366)):
        with pytest.raises(ValidationError) as caught:
            services.create_dossier(
                db, actor=buyer, data=dossier_data(publication_date=when.isoformat())
            )
        assert "publication_date" in caught.value.errors


def test_works_contract_needs_a_construction_cpv_code(db, library, buyer):
    with pytest.raises(ValidationError) as caught:
        services.create_dossier(db, actor=buyer, data=dossier_data(contract_type="works"))
    assert "main_cpv" in caught.value.errors


def test_reference_is_unique_within_an_authority_only(db, library, buyer, other_buyer):
    services.create_dossier(db, actor=buyer, data=dossier_data())
    with pytest.raises(ValidationError) as caught:
        services.create_dossier(db, actor=buyer, data=dossier_data())
    assert "reference" in caught.value.errors
    other = services.create_dossier(db, actor=other_buyer, data=dossier_data())
    assert other.reference == "TEST-CLEAN-01"


def test_update_dossier_records_old_and_new_values(db, library, buyer, make_dossier):
    dossier = make_dossier()
    services.update_dossier(
        db,
        actor=buyer,
        dossier_id=dossier.id,
        data=dossier_data(title="Nettoyage 2028", estimated_value="500000"),
        lock_version=dossier.lock_version,
    )
    event = db.exec(
        select(AuditEvent).where(AuditEvent.action == "dossier.updated").order_by(AuditEvent.id)
    ).all()[-1]
    assert event.actor_id == buyer.id
    assert event.data["changes"]["title"] == [
        "Nettoyage des écoles & crèches « Les Petits <Loups> » – 2027",
        "Nettoyage 2028",
    ]
    assert event.data["changes"]["estimated_value"] == ["480000.00", "500000"]
    assert "subject" not in event.data["changes"]


def test_stale_edit_raises_conflict(db, library, buyer, make_dossier):
    dossier = make_dossier()
    stale = dossier.lock_version
    services.update_dossier(
        db, actor=buyer, dossier_id=dossier.id, data=dossier_data(title="A"), lock_version=stale
    )
    db.commit()
    with pytest.raises(Conflict):
        services.update_dossier(
            db, actor=buyer, dossier_id=dossier.id, data=dossier_data(title="B"), lock_version=stale
        )


# ------------------------------------------------------------------------------------------------
# Who sees what


def test_another_authoritys_dossier_is_not_found(db, library, make_dossier, other_buyer):
    dossier = make_dossier()
    with pytest.raises(NotFound):
        services.get_dossier(db, actor=other_buyer, dossier_id=dossier.id)
    with pytest.raises(NotFound):
        services.clause_board(db, actor=other_buyer, dossier_id=dossier.id)
    assert services.list_dossiers(db, actor=other_buyer).total == 0


def test_coordinator_sees_every_authoritys_dossiers(db, library, make_dossier, coordinator):
    dossier = make_dossier()
    assert services.get_dossier(db, actor=coordinator, dossier_id=dossier.id).id == dossier.id
    assert dossier.id in [
        row.dossier.id for row in services.list_dossiers(db, actor=coordinator).items
    ]


def test_coordinator_creates_a_dossier_for_a_named_authority(db, library, coordinator, authority):
    with pytest.raises(ValidationError):
        services.create_dossier(db, actor=coordinator, data=dossier_data())
    target = authority("bruxelles-environnement")
    dossier = services.create_dossier(
        db, actor=coordinator, data=dossier_data(), authority_id=target.id
    )
    assert dossier.authority_id == target.id


@pytest.mark.parametrize("role", [Role.company, Role.curator, Role.expert])
def test_roles_without_dossiers_are_refused(db, library, make_dossier, make_user, role):
    dossier = make_dossier()
    outsider = make_user(role)
    with pytest.raises(PermissionDenied):
        services.get_dossier(db, actor=outsider, dossier_id=dossier.id)
    with pytest.raises(PermissionDenied):
        services.create_dossier(db, actor=outsider, data=dossier_data(reference="X"))


def test_list_filters_by_title_or_reference(db, library, make_dossier, buyer):
    make_dossier()
    make_dossier(title="Repas scolaires", reference="TEST-FOOD")
    found = services.list_dossiers(db, actor=buyer, query="food")
    assert [row.dossier.reference for row in found.items] == ["TEST-FOOD"]
    assert services.list_dossiers(db, actor=buyer, query="%").total == 0


# ------------------------------------------------------------------------------------------------
# Clause board and mandatory criteria


def test_board_groups_proposals_by_placement(db, library, make_dossier, buyer):
    board = services.clause_board(db, actor=buyer, dossier_id=make_dossier().id)
    groups = {key: [i.code for i in items] for key, items in board.groups}
    assert list(groups) == [
        "procedure",
        "selection",
        "technical_specification",
        "award",
        "performance",
    ]
    assert groups["procedure"] == ["CLEAN-SME-958"]
    assert set(groups["selection"]) == {"CLEAN-SOC-956", "CLEAN-SME-955"}
    assert groups["selection"][0] == "CLEAN-SOC-956"  # exclusion before selection
    assert groups["technical_specification"] == ["CLEAN-ENV-951"]
    assert set(groups["award"]) == {"CLEAN-ENV-952", "CLEAN-ENV-957"}
    assert set(groups["performance"]) == {"CLEAN-SOC-953", "CLEAN-ASD-954"}


def test_every_placement_has_a_group_on_the_clause_page():
    grouped = [p for _key, placements in services.PLACEMENT_GROUPS for p in placements]
    assert sorted(grouped) == sorted(Placement) and len(grouped) == len(set(grouped))
    assert services.PLACEMENT_GROUPS[0] == ("procedure", (Placement.procedure,))
    assert set(services.PLACEMENT_GROUP_TITLES) == {k for k, _p in services.PLACEMENT_GROUPS}


def test_mandatory_criteria_are_preselected_on_creation(db, library, make_dossier):
    dossier = make_dossier()
    rows = db.exec(select(DossierClause).where(DossierClause.dossier_id == dossier.id)).all()
    assert [(r.clause_code, r.is_included, r.is_mandatory) for r in rows] == [
        ("CLEAN-ENV-951", True, True)
    ]
    added = db.exec(
        select(AuditEvent).where(
            AuditEvent.action == "dossier.clause.added",
            AuditEvent.entity_id == str(dossier.id),
        )
    ).one()
    assert added.data["mandatory"] is True


def test_mandatory_criteria_follow_the_publication_date(db, library, buyer):
    # The rule applies from 2026-01-01: a dossier published before has nothing mandatory.
    dossier = services.create_dossier(
        db, actor=buyer, data=dossier_data(publication_date=None, reference="EARLY")
    )
    board = services.clause_board(db, actor=buyer, dossier_id=dossier.id)
    assert board.item("CLEAN-ENV-951").is_mandatory


def test_removing_a_mandatory_criterion_needs_a_justification(db, library, make_dossier, buyer):
    dossier = make_dossier()
    with pytest.raises(ValidationError) as caught:
        services.save_selection(
            db,
            actor=buyer,
            dossier_id=dossier.id,
            lock_version=dossier.lock_version,
            price_weight="100",
            choices={"CLEAN-ENV-951": choice(db, "CLEAN-ENV-951", include=False)},
        )
    assert list(caught.value.errors) == ["c-CLEAN-ENV-951-justification"]
    db.rollback()
    row = db.exec(select(DossierClause).where(DossierClause.dossier_id == dossier.id)).one()
    assert row.is_included  # nothing was saved


def test_removal_justification_is_recorded(db, library, make_dossier, buyer):
    dossier = make_dossier()
    reason = "Produits fournis par la commune elle-même, déjà écolabellisés par contrat-cadre."
    services.save_selection(
        db,
        actor=buyer,
        dossier_id=dossier.id,
        lock_version=dossier.lock_version,
        price_weight="100",
        choices={"CLEAN-ENV-951": choice(db, "CLEAN-ENV-951", include=False, justification=reason)},
    )
    db.commit()
    row = db.exec(select(DossierClause).where(DossierClause.dossier_id == dossier.id)).one()
    assert (row.is_included, row.removal_justification) == (False, reason)
    history = services.dossier_history(db, actor=buyer, dossier_id=dossier.id)
    removed = [h for h in history if h.action == "dossier.clause.removed"]
    assert removed[0].data["justification"] == reason
    assert removed[0].actor.id == buyer.id
    assert services.generation_problems(db, dossier) == []


def test_a_new_mandatory_rule_blocks_generation_until_decided(
    db, library, make_dossier, buyer, coordinator
):
    from portal.clauses import services as clause_services

    dossier = make_dossier()
    clause_services.mark_mandatory(
        db,
        actor=coordinator,
        code="CLEAN-SOC-953",
        category="cleaning",
        applies_from=services.brussels_today(),
    )
    db.commit()
    board = services.clause_board(db, actor=buyer, dossier_id=dossier.id)
    assert [i.code for i in board.undecided] == ["CLEAN-SOC-953"]
    assert board.item("CLEAN-SOC-953").is_included  # shown pre-checked, not saved silently
    problems = services.generation_problems(db, dossier)
    assert any("CLEAN-SOC-953" in str(p) for p in problems)


# ------------------------------------------------------------------------------------------------
# Parameters and weights


def test_parameter_values_are_checked_per_field(db, library, make_dossier, buyer):
    dossier = make_dossier()
    bad = {
        "CLEAN-ENV-951": choice(
            db, "CLEAN-ENV-951", values={"share": "120", "labels": ["fake"], "months": "2.5"}
        ),
        "CLEAN-SOC-953": choice(
            db,
            "CLEAN-SOC-953",
            values={"persons": "trois", "scheme": "nope", "contact": "<b>x</b>", "penalty": "9e9"},
        ),
        "CLEAN-ENV-952": choice(db, "CLEAN-ENV-952", weight="0"),
        "CLEAN-ENV-957": choice(db, "CLEAN-ENV-957", weight=""),
    }
    with pytest.raises(ValidationError) as caught:
        services.save_selection(
            db,
            actor=buyer,
            dossier_id=dossier.id,
            lock_version=dossier.lock_version,
            price_weight="cent",
            choices=bad,
        )
    assert set(caught.value.errors) == {
        "c-CLEAN-ENV-951-p-share",
        "c-CLEAN-ENV-951-p-labels",
        "c-CLEAN-ENV-951-p-months",
        "c-CLEAN-SOC-953-p-persons",
        "c-CLEAN-SOC-953-p-scheme",
        "c-CLEAN-SOC-953-p-contact",
        "c-CLEAN-SOC-953-p-penalty",
        "c-CLEAN-ENV-952-weight",
        "c-CLEAN-ENV-957-weight",
        "price_weight",
    }


def test_values_are_stored_converted_and_text_defaults_stay_per_language(
    db, library, make_dossier, select_all
):
    dossier = make_dossier()
    select_all(dossier)
    rows = {
        r.clause_code: r
        for r in db.exec(select(DossierClause).where(DossierClause.dossier_id == dossier.id))
    }
    assert rows["CLEAN-ENV-951"].parameter_values == {
        "share": 85,
        "labels": ["eu_ecolabel"],
        "months": 3,
    }
    # The text parameter was left empty: each document language keeps its own default.
    assert rows["CLEAN-SOC-953"].parameter_values == {
        "persons": 3,
        "scheme": "cpas",
        "penalty": 750,
    }
    assert rows["CLEAN-ENV-952"].weight == 15


def test_weights_that_do_not_total_100_are_saved_but_block_generation(
    db, library, make_dossier, select_all, buyer
):
    dossier = make_dossier()
    result = select_all(dossier, price_weight="70")
    assert result.weights_total == 95
    assert not result.weights_ok
    problems = services.generation_problems(db, dossier)
    assert len(problems) == 1 and "95" in str(problems[0])
    with pytest.raises(ValidationError) as caught:
        services.generate_documents(db, actor=buyer, dossier_id=dossier.id)
    assert "" in caught.value.errors


def test_weights_totalling_100_allow_generation(db, library, make_dossier, select_all):
    dossier = make_dossier()
    assert select_all(dossier).weights_total == 100
    assert services.generation_problems(db, dossier) == []


def test_unchecking_an_optional_clause_keeps_its_values(db, library, make_dossier, select_all):
    dossier = make_dossier()
    select_all(dossier)
    select_all(
        dossier,
        price_weight="85",
        choices={"CLEAN-ENV-957": choice(db, "CLEAN-ENV-957", include=False, weight="10")},
    )
    row = db.exec(
        select(DossierClause).where(
            DossierClause.dossier_id == dossier.id, DossierClause.clause_code == "CLEAN-ENV-957"
        )
    ).one()
    assert row.is_included is False
    assert services.generation_problems(db, dossier) == []


def test_a_clause_outside_the_board_is_refused(db, library, make_dossier, buyer):
    dossier = make_dossier()
    with pytest.raises(ValidationError) as caught:
        services.save_selection(
            db,
            actor=buyer,
            dossier_id=dossier.id,
            lock_version=dossier.lock_version,
            price_weight="100",
            choices={"CATER-ENV-999": services.ClauseChoice(version_id=1, include=True)},
        )
    assert "" in caught.value.errors


def test_saving_the_selection_bumps_the_lock_and_a_stale_form_conflicts(
    db, library, make_dossier, select_all, buyer
):
    dossier = make_dossier()
    stale = dossier.lock_version
    select_all(dossier)
    assert dossier.lock_version > stale
    with pytest.raises(Conflict):
        services.save_selection(
            db,
            actor=buyer,
            dossier_id=dossier.id,
            lock_version=stale,
            price_weight="75",
            choices={},
        )


def test_history_lists_who_changed_what(db, library, make_dossier, select_all, buyer):
    dossier = make_dossier()
    select_all(dossier)
    history = services.dossier_history(db, actor=buyer, dossier_id=dossier.id)
    actions = [h.action for h in history]
    assert actions[-1] == "dossier.created"
    assert actions.count("dossier.clause.added") == 8
    changed = [h for h in history if h.action == "dossier.clause.changed"]
    assert changed[0].data["changes"]["values"][1]["share"] == 85
    assert all(h.actor is not None and h.actor.id == buyer.id for h in history)
