"""The curation workflow: drafts, review, publication, supersession, retirement, and every
status change that TRANSITIONS does not allow."""

from __future__ import annotations

import itertools

import pytest
from sqlmodel import select

from portal.audit.models import AuditEvent
from portal.clauses import services
from portal.clauses.models import (
    Clause,
    ClauseComment,
    ClauseVersion,
    CommentKind,
    ImmutableVersionError,
    VersionStatus,
)
from portal.errors import Conflict, InvalidTransition, ValidationError
from tests.clauses.conftest import LOC


def _new_draft(db, curator, code="CLEAN-ENV-901"):  # type: ignore[no-untyped-def]
    draft = services.start_draft(db, actor=curator, code=code)
    data = services.data_of(db, draft)
    data["text"]["fr"] = data["text"]["fr"].replace("Au moins", "Au minimum")
    data["change_note"] = LOC("Formulation revue.", "Formulering herzien.", "Wording revised.")
    services.update_draft(
        db, actor=curator, version_id=draft.id, data=data, lock_version=draft.lock_version
    )
    db.commit()
    return draft


def test_sync_publishes_version_one(db, library):
    version = services.latest_published(db, "CLEAN-ENV-901")
    clause = services.get_clause(db, "CLEAN-ENV-901")
    assert version.number == 1
    assert version.status == VersionStatus.published
    assert clause.current_version_id == version.id
    assert version.published_at is not None
    assert [c.code for c in services.version_categories(db, version.id)] == ["cleaning"]
    assert services.version_cpv(db, version.id) == ["39830000-9"]


def test_draft_review_publish_supersedes_previous(db, library, curator, curator2):
    draft = _new_draft(db, curator)
    assert draft.number is None and draft.status == VersionStatus.draft
    services.submit_version(db, actor=curator, version_id=draft.id)
    assert draft.status == VersionStatus.in_review and draft.submitted_at is not None
    services.publish_version(db, actor=curator2, version_id=draft.id)
    db.commit()
    old = services.get_version(db, "CLEAN-ENV-901", 1)
    assert draft.status == VersionStatus.published
    assert draft.number == 2
    assert draft.reviewer_id == curator2.id and draft.author_id == curator.id
    assert old.status == VersionStatus.superseded and old.superseded_at is not None
    assert services.latest_published(db, "CLEAN-ENV-901").id == draft.id
    assert [v.number for v in services.history(db, services.get_clause(db, "CLEAN-ENV-901"))] == [
        2,
        1,
    ]


def test_every_transition_is_audited(db, library, curator, curator2):
    draft = _new_draft(db, curator)
    services.submit_version(db, actor=curator, version_id=draft.id)
    services.publish_version(db, actor=curator2, version_id=draft.id)
    db.commit()
    actions = [
        e.action
        for e in db.exec(
            select(AuditEvent)
            .where(AuditEvent.entity_type == "clause", AuditEvent.entity_id == str(draft.clause_id))
            .order_by(AuditEvent.id)
        )
    ]
    started = actions.index("clause.draft.started")
    assert actions[:started] == [  # clauses sync
        "clause.version.loaded",
        "clause.version.submit",
        "clause.version.publish",
    ]
    assert actions[started:] == [
        "clause.draft.started",
        "clause.draft.saved",
        "clause.version.submit",
        "clause.version.supersede",
        "clause.version.publish",
    ]


def test_rejection_goes_back_to_draft_with_comment(db, library, curator, curator2):
    draft = _new_draft(db, curator)
    services.submit_version(db, actor=curator, version_id=draft.id)
    services.reject_version(
        db, actor=curator2, version_id=draft.id, comment="Précisez la période de calcul."
    )
    db.commit()
    assert draft.status == VersionStatus.draft
    assert draft.submitted_at is None
    comment = db.exec(select(ClauseComment).where(ClauseComment.version_id == draft.id)).one()
    assert comment.kind == CommentKind.rejection and comment.author_id == curator2.id


def test_rejection_needs_a_reason(db, library, curator, curator2):
    draft = _new_draft(db, curator)
    services.submit_version(db, actor=curator, version_id=draft.id)
    with pytest.raises(ValidationError):
        services.reject_version(db, actor=curator2, version_id=draft.id, comment="   ")
    assert draft.status == VersionStatus.in_review


def test_retire_keeps_the_version_readable(db, library, curator):
    retired = services.retire_clause(db, actor=curator, code="CLEAN-ENV-901", reason="Obsolète.")
    db.commit()
    assert retired.status == VersionStatus.retired and retired.retired_at is not None
    assert services.get_version(db, "CLEAN-ENV-901", 1).id == retired.id
    assert services.latest_published(db, "CLEAN-ENV-901") is None


ALL = list(VersionStatus)


@pytest.mark.parametrize(
    "source,target",
    [(a, b) for a, b in itertools.product(ALL, ALL) if (a, b) not in services.TRANSITIONS],
)
def test_forbidden_transitions_raise(source, target):
    version = ClauseVersion(status=source)
    with pytest.raises(InvalidTransition):
        services.check_transition(version, target)


def test_allowed_transitions_are_exactly_the_workflow():
    assert set(services.TRANSITIONS) == {
        (VersionStatus.draft, VersionStatus.in_review),
        (VersionStatus.in_review, VersionStatus.draft),
        (VersionStatus.in_review, VersionStatus.published),
        (VersionStatus.published, VersionStatus.superseded),
        (VersionStatus.published, VersionStatus.retired),
    }


def test_services_refuse_out_of_order_steps(db, library, curator, curator2):
    draft = _new_draft(db, curator)
    with pytest.raises(InvalidTransition):
        services.publish_version(db, actor=curator2, version_id=draft.id)  # still a draft
    with pytest.raises(InvalidTransition):
        services.reject_version(db, actor=curator2, version_id=draft.id, comment="Non.")
    services.submit_version(db, actor=curator, version_id=draft.id)
    with pytest.raises(InvalidTransition):
        services.submit_version(db, actor=curator, version_id=draft.id)  # already in review
    with pytest.raises(InvalidTransition):
        services.update_draft(
            db,
            actor=curator,
            version_id=draft.id,
            data=services.data_of(db, draft),
            lock_version=draft.lock_version,
        )
    services.publish_version(db, actor=curator2, version_id=draft.id)
    with pytest.raises(InvalidTransition):
        services.publish_version(db, actor=curator2, version_id=draft.id)  # already published
    old = services.get_version(db, "CLEAN-ENV-901", 1)
    with pytest.raises(InvalidTransition):
        services.submit_version(db, actor=curator, version_id=old.id)  # superseded


def test_only_one_version_in_preparation(db, library, curator):
    _new_draft(db, curator)
    with pytest.raises(Conflict):
        services.start_draft(db, actor=curator, code="CLEAN-ENV-901")


def test_submit_requires_a_real_change_and_a_new_note(db, library, curator):
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    data = services.data_of(db, draft)
    data["change_note"] = LOC("Rien.", "Niets.", "Nothing.")
    services.update_draft(
        db, actor=curator, version_id=draft.id, data=data, lock_version=draft.lock_version
    )
    with pytest.raises(ValidationError) as nothing:
        services.submit_version(db, actor=curator, version_id=draft.id)
    assert "" in nothing.value.errors
    data["text"]["nl"] += " Nieuwe zin."
    data["change_note"] = LOC("Première version.", "Eerste versie.", "First version.")
    services.update_draft(
        db, actor=curator, version_id=draft.id, data=data, lock_version=draft.lock_version
    )
    with pytest.raises(ValidationError) as same_note:
        services.submit_version(db, actor=curator, version_id=draft.id)
    assert "change_note.fr" in same_note.value.errors
    assert draft.status == VersionStatus.draft


def test_submit_needs_dutch_but_not_english(db, library, curator, curator2):
    draft = _new_draft(db, curator)
    data = services.data_of(db, draft)
    data["text"]["nl"] = ""
    data["text"]["en"] = ""
    services.update_draft(
        db, actor=curator, version_id=draft.id, data=data, lock_version=draft.lock_version
    )
    with pytest.raises(ValidationError) as exc:
        services.submit_version(db, actor=curator, version_id=draft.id)
    assert set(exc.value.errors) == {"text.nl"}
    data["text"]["nl"] = (
        "Minstens {{ share }} is afbreekbaar volgens {{ labels }}, elke {{ months }} maanden."
    )
    services.update_draft(
        db, actor=curator, version_id=draft.id, data=data, lock_version=draft.lock_version
    )
    services.submit_version(db, actor=curator, version_id=draft.id)
    services.publish_version(db, actor=curator2, version_id=draft.id)
    assert draft.status == VersionStatus.published and draft.text_en == ""


def test_published_content_is_immutable_even_outside_services(db, library):
    version = services.latest_published(db, "CLEAN-ENV-901")
    version.text_fr = "Texte modifié en douce."
    with pytest.raises(ImmutableVersionError):
        db.flush()
    db.rollback()


def test_new_clause_gets_the_next_code(db, library, curator):
    data = services.data_of(db, services.latest_published(db, "CLEAN-ENV-901"))
    created = services.create_clause(db, actor=curator, data=data)
    several = services.create_clause(
        db, actor=curator, data={**data, "categories": ["cleaning", "catering"]}
    )
    db.commit()
    assert created.code == "CLEAN-ENV-903"
    assert several.code == "GEN-ENV-001"
    assert created.status == VersionStatus.draft and created.number is None
    assert (
        db.exec(select(Clause).where(Clause.code == "CLEAN-ENV-903")).one().current_version_id
        is None
    )


def test_publishing_a_draft_of_an_outdated_base_is_a_conflict(db, library, curator, curator2):
    draft = _new_draft(db, curator)
    services.submit_version(db, actor=curator, version_id=draft.id)
    clause = services.get_clause(db, "CLEAN-ENV-901")
    other = services.latest_published(db, "CLEAN-ENV-902")
    clause.current_version_id = other.id  # as if another version had been published meanwhile
    with pytest.raises(Conflict):
        services.publish_version(db, actor=curator2, version_id=draft.id)
    db.rollback()
