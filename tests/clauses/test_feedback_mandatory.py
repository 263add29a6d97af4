"""Buyer feedback routed to the family's curators, and mandatory base criteria by date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from portal.audit.models import AuditEvent
from portal.clauses import services
from portal.clauses.models import FeedbackStatus, MandatoryClause, VersionStatus
from portal.errors import InvalidTransition, PermissionDenied, ValidationError
from tests.clauses.conftest import LOC


def _v1(db, code="CLEAN-ENV-901"):  # type: ignore[no-untyped-def]
    return services.latest_published(db, code)


def test_feedback_goes_to_the_curators_of_the_family(db, library, buyer, curator, social_curator):
    fb = services.give_feedback(
        db, actor=buyer, version_id=_v1(db).id, kind="market_failed", body="Aucune offre."
    )
    db.commit()
    assert fb.status == FeedbackStatus.open and fb.family.value == "environmental"
    assert [f.id for f in services.workspace(db, actor=curator).feedback] == [fb.id]
    assert services.workspace(db, actor=social_curator).feedback == []


def test_feedback_needs_words_except_when_all_went_well(db, library, buyer):
    with pytest.raises(ValidationError) as exc:
        services.give_feedback(db, actor=buyer, version_id=_v1(db).id, kind="unclear", body=" ")
    assert "body" in exc.value.errors
    ok = services.give_feedback(db, actor=buyer, version_id=_v1(db).id, kind="used_ok", body="")
    assert ok.body == ""


@pytest.mark.parametrize(
    "kind,body,field",
    [
        ("thrilled", "Super.", "kind"),
        ("suggested_wording", "<b>Mieux</b> ainsi", "body"),
        ("suggested_wording", "{% raw %}x", "body"),
        ("unclear", "x" * 8001, "body"),
    ],
)
def test_bad_feedback_is_refused(db, library, buyer, kind, body, field):
    with pytest.raises(ValidationError) as exc:
        services.give_feedback(db, actor=buyer, version_id=_v1(db).id, kind=kind, body=body)
    assert field in exc.value.errors
    assert services.feedback_for_version(db, [_v1(db).id]) == []


def test_only_buyers_and_coordinators_give_feedback(db, library, curator, coordinator):
    with pytest.raises(PermissionDenied):
        services.give_feedback(db, actor=curator, version_id=_v1(db).id, kind="used_ok", body="")
    assert services.give_feedback(
        db, actor=coordinator, version_id=_v1(db).id, kind="used_ok", body=""
    ).id


def test_draft_from_feedback_is_linked_and_resolved_on_publication(
    db, library, buyer, curator, curator2
):
    fb = services.give_feedback(
        db, actor=buyer, version_id=_v1(db).id, kind="suggested_wording", body="Dites « au moins »."
    )
    draft = services.start_draft_from_feedback(db, actor=curator, feedback_id=fb.id)
    assert fb.answered_by_version_id == draft.id and fb.status == FeedbackStatus.in_progress
    with pytest.raises(InvalidTransition):
        services.start_draft_from_feedback(db, actor=curator, feedback_id=fb.id)
    data = services.data_of(db, draft)
    data["text"]["fr"] = data["text"]["fr"].replace("Au moins", "Au minimum")
    data["change_note"] = LOC("Suite à un avis.", "Na feedback.", "After feedback.")
    services.update_draft(
        db, actor=curator, version_id=draft.id, data=data, lock_version=draft.lock_version
    )
    services.submit_version(db, actor=curator, version_id=draft.id)
    services.publish_version(db, actor=curator2, version_id=draft.id)
    assert fb.status == FeedbackStatus.resolved
    assert services.workspace(db, actor=curator).feedback == []


def test_second_feedback_links_to_the_draft_already_open(db, library, buyer, curator):
    one = services.give_feedback(db, actor=buyer, version_id=_v1(db).id, kind="unclear", body="A")
    two = services.give_feedback(
        db, actor=buyer, version_id=_v1(db).id, kind="too_costly", body="B"
    )
    first = services.start_draft_from_feedback(db, actor=curator, feedback_id=one.id)
    second = services.start_draft_from_feedback(db, actor=curator, feedback_id=two.id)
    assert first.id == second.id == two.answered_by_version_id


def test_closing_feedback_needs_a_reply_from_a_curator_of_the_family(
    db, library, buyer, curator, social_curator
):
    fb = services.give_feedback(db, actor=buyer, version_id=_v1(db).id, kind="unclear", body="?")
    with pytest.raises(PermissionDenied):
        services.close_feedback(db, actor=social_curator, feedback_id=fb.id, reply="Non.")
    with pytest.raises(ValidationError):
        services.close_feedback(db, actor=curator, feedback_id=fb.id, reply="")
    services.close_feedback(db, actor=curator, feedback_id=fb.id, reply="Voir le guide.")
    assert fb.status == FeedbackStatus.closed and fb.processed_by_id == curator.id
    assert services.feedback_by_author(db, buyer, _v1(db).clause_id)[0].reply == "Voir le guide."


# ------------------------------------------------------------------------------------------------
# Mandatory base criteria


def test_mandatory_versions_follow_dates_and_versions(db, library, coordinator, curator, curator2):
    services.mark_mandatory(
        db,
        actor=coordinator,
        code="CLEAN-ENV-901",
        category="cleaning",
        applies_from=date(2026, 1, 1),
    )
    today = datetime.now(UTC).date()
    assert services.mandatory_versions(db, category="cleaning", on=date(2025, 12, 31)) == []
    v1 = _v1(db)
    assert services.mandatory_versions(db, category="cleaning", on=today) == [v1]
    assert services.mandatory_versions(db, category="catering", on=today) == []

    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    data = services.data_of(db, draft)
    data["ambition"] = "advanced"
    data["change_note"] = LOC("Relevé.", "Verhoogd.", "Raised.")
    services.update_draft(
        db, actor=curator, version_id=draft.id, data=data, lock_version=draft.lock_version
    )
    services.submit_version(db, actor=curator, version_id=draft.id)
    services.publish_version(db, actor=curator2, version_id=draft.id)
    # Pretend v2 was published a week ago: before that, v1 was in force.
    week_ago = datetime.now(UTC) - timedelta(days=7)
    v1.published_at = week_ago - timedelta(days=30)
    v1.superseded_at = draft.published_at = week_ago
    assert services.mandatory_versions(db, category="cleaning", on=today) == [draft]
    assert services.mandatory_versions(db, category="cleaning", on=today - timedelta(days=8)) == [
        v1
    ]
    assert services.mandatory_versions(db, category="cleaning", on=today + timedelta(days=400)) == [
        draft
    ]


def test_lifted_or_retired_criteria_drop_out(db, library, coordinator, curator, category):
    today = date.today()
    rule = services.mark_mandatory(
        db, actor=coordinator, code="GEN-SOC-901", category="catering", applies_from=today
    )
    last = today + timedelta(days=90)
    services.lift_mandatory(db, actor=coordinator, mandatory_id=rule.id, last_day=last)
    assert services.mandatory_versions(db, category="catering", on=last) != []
    assert services.mandatory_versions(db, category="catering", on=last + timedelta(days=1)) == []
    # A rule left over from before retiring was refused still lets the retired clause drop out.
    services.retire_clause(db, actor=curator, code="CLEAN-ENV-901", reason="Remplacée.")
    clause = services.get_clause(db, "CLEAN-ENV-901")
    db.add(
        MandatoryClause(
            clause_id=clause.id, category_id=category("cleaning").id, applies_from=today
        )
    )
    db.flush()
    assert services.mandatory_versions(db, category="cleaning", on=date(2099, 1, 1)) == []


def test_marking_needs_the_coordinator_a_published_clause_and_its_category(
    db, library, coordinator, curator
):
    with pytest.raises(PermissionDenied):
        services.mark_mandatory(
            db, actor=curator, code="CLEAN-ENV-901", category="cleaning", applies_from=date.today()
        )
    with pytest.raises(ValidationError) as wrong_category:
        services.mark_mandatory(
            db,
            actor=coordinator,
            code="CLEAN-ENV-901",
            category="catering",
            applies_from=date.today(),
        )
    assert "category" in wrong_category.value.errors
    with pytest.raises(ValidationError):
        services.mark_mandatory(
            db, actor=coordinator, code="CLEAN-ENV-901", category="nope", applies_from=date.today()
        )
    rule = services.mark_mandatory(
        db, actor=coordinator, code="CLEAN-ENV-901", category="cleaning", applies_from=date.today()
    )
    with pytest.raises(ValidationError):
        services.lift_mandatory(
            db, actor=coordinator, mandatory_id=rule.id, last_day=date.today() - timedelta(days=1)
        )


def test_retired_clause_cannot_become_mandatory(db, library, coordinator, curator):
    services.retire_clause(db, actor=curator, code="CLEAN-ENV-901", reason="Non.")
    assert _v1(db) is None
    version = services.get_version(db, "CLEAN-ENV-901", 1)
    assert version.status == VersionStatus.retired
    with pytest.raises(ValidationError):
        services.mark_mandatory(
            db,
            actor=coordinator,
            code="CLEAN-ENV-901",
            category="cleaning",
            applies_from=date.today(),
        )


def _retirements(db) -> int:  # type: ignore[no-untyped-def]
    return db.exec(
        select(sa.func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "clause.version.retire")
    ).one()


def test_a_mandatory_clause_cannot_be_retired_until_the_rule_is_lifted(
    db, library, coordinator, curator
):
    today = date.today()
    rule = services.mark_mandatory(
        db,
        actor=coordinator,
        code="CLEAN-ENV-901",
        category="cleaning",
        applies_from=today - timedelta(days=30),
    )
    with pytest.raises(InvalidTransition) as refused:
        services.retire_clause(db, actor=curator, code="CLEAN-ENV-901", reason="Remplacée.")
    message = str(refused.value.message)
    assert "mandatory base criterion of Cleaning services" in message
    assert "ask the coordinator to lift the mandatory rule first" in message
    assert _v1(db).status == VersionStatus.published and _retirements(db) == 0
    # Ending later still points at the clause; ending yesterday no longer does.
    services.lift_mandatory(db, actor=coordinator, mandatory_id=rule.id, last_day=today)
    with pytest.raises(InvalidTransition):
        services.retire_clause(db, actor=curator, code="CLEAN-ENV-901", reason="Remplacée.")
    services.lift_mandatory(
        db, actor=coordinator, mandatory_id=rule.id, last_day=today - timedelta(days=1)
    )
    retired = services.retire_clause(db, actor=curator, code="CLEAN-ENV-901", reason="Remplacée.")
    assert retired.status == VersionStatus.retired and _retirements(db) == 1


def test_an_announced_mandatory_rule_also_blocks_retirement(
    db, library, coordinator, social_curator
):
    services.mark_mandatory(
        db,
        actor=coordinator,
        code="GEN-SOC-901",
        category="catering",
        applies_from=date.today() + timedelta(days=60),
    )
    social = services.get_clause(db, "GEN-SOC-901")
    assert [
        c.code for _r, c in services.mandatory_rules_standing(db, social.id, on=date.today())
    ] == ["catering"]
    with pytest.raises(InvalidTransition):
        services.retire_clause(db, actor=social_curator, code="GEN-SOC-901", reason="Non.")


def test_the_clause_page_tells_the_curator_to_ask_the_coordinator(
    client, db, library, coordinator, curator, login
):
    services.mark_mandatory(
        db, actor=coordinator, code="CLEAN-ENV-901", category="cleaning", applies_from=date.today()
    )
    db.commit()
    login(curator)
    page = client.get("/clauses/CLEAN-ENV-901?lang=fr").data.decode()
    assert 'id="retire-blocked"' in page
    assert "demandez au coordinateur de lever la règle obligatoire" in page
    assert 'action="/clauses/CLEAN-ENV-901/retire"' not in page
    response = client.post(
        "/clauses/CLEAN-ENV-901/retire?lang=nl",
        data={"reason": "Vervangen."},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "vraag de coördinator eerst de verplichting op te heffen" in response.data.decode()
    db.expire_all()
    assert _v1(db).status == VersionStatus.published and _retirements(db) == 0


def test_the_coordinator_sees_a_rule_left_on_a_retired_clause(
    client, db, library, coordinator, curator, category, login
):
    services.retire_clause(db, actor=curator, code="CLEAN-ENV-901", reason="Remplacée.")
    clause = services.get_clause(db, "CLEAN-ENV-901")
    db.add(
        MandatoryClause(
            clause_id=clause.id, category_id=category("cleaning").id, applies_from=date.today()
        )
    )
    db.commit()
    login(coordinator)
    page = client.get("/helpdesk/mandatory?lang=fr").data.decode()
    assert "Clause retirée : mettez fin au critère" in page


def _marked(db) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    return list(
        db.exec(
            select(AuditEvent)
            .where(AuditEvent.action == "clause.mandatory.marked")
            .order_by(AuditEvent.id)
        )
    )


def test_a_duplicate_mandatory_rule_is_refused(db, library, coordinator):
    mark = dict(actor=coordinator, code="CLEAN-ENV-901", category="cleaning")
    rule = services.mark_mandatory(db, **mark, applies_from=date(2026, 1, 1))
    for start in (date(2026, 1, 1), date(2025, 6, 1), date(2027, 3, 1)):
        with pytest.raises(ValidationError) as refused:
            services.mark_mandatory(db, **mark, applies_from=start)
        assert list(refused.value.errors) == ["applies_from"]
        assert "already a mandatory base criterion of this category" in str(
            refused.value.errors["applies_from"][0]
        )
    assert (rule.applies_from, rule.applies_until) == (date(2026, 1, 1), None)
    assert len(_marked(db)) == 1

    services.lift_mandatory(
        db, actor=coordinator, mandatory_id=rule.id, last_day=date(2026, 12, 31)
    )
    with pytest.raises(ValidationError) as overlapping:
        services.mark_mandatory(db, **mark, applies_from=date(2026, 12, 31))
    assert "Choose a first day after" in str(overlapping.value.errors["applies_from"][0])
    again = services.mark_mandatory(db, **mark, applies_from=date(2027, 1, 1))
    assert again.id == rule.id and (again.applies_from, again.applies_until) == (
        date(2027, 1, 1),
        None,
    )
    assert _marked(db)[-1].data["previous"] == {"from": "2026-01-01", "until": "2026-12-31"}


def test_the_mandatory_page_refuses_a_duplicate_in_the_users_language(
    client, db, library, coordinator, login
):
    services.mark_mandatory(
        db,
        actor=coordinator,
        code="CLEAN-ENV-901",
        category="cleaning",
        applies_from=date(2026, 1, 1),
    )
    db.commit()
    login(coordinator)
    response = client.post(
        "/helpdesk/mandatory?lang=fr",
        data={"clause": "CLEAN-ENV-901", "category": "cleaning", "applies_from": "2026-06-01"},
    )
    page = response.data.decode()
    assert response.status_code == 200
    assert "est déjà un critère de base obligatoire de cette catégorie" in page
    assert "1 janv. 2026" in page
    db.expire_all()
    rule = db.exec(select(MandatoryClause)).one()
    assert (rule.applies_from, rule.applies_until) == (date(2026, 1, 1), None)
