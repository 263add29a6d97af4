"""Who may do what: themes, experts, four eyes, coordinators; and optimistic locking."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from portal.accounts.models import Role
from portal.clauses import services
from portal.clauses.models import ClauseVersion, Contribution, VersionStatus
from portal.errors import Conflict, PermissionDenied
from tests.clauses.conftest import LOC


def _edited(db, version):  # type: ignore[no-untyped-def]
    data = services.data_of(db, version)
    data["text"]["fr"] += " Phrase ajoutée."
    data["change_note"] = LOC("Ajout.", "Toevoeging.", "Addition.")
    return data


def test_curator_acts_only_on_the_families_of_their_themes(db, library, social_curator):
    with pytest.raises(PermissionDenied):
        services.start_draft(db, actor=social_curator, code="CLEAN-ENV-901")
    with pytest.raises(PermissionDenied):
        services.retire_clause(db, actor=social_curator, code="CLEAN-ENV-901", reason="Non.")
    draft = services.start_draft(db, actor=social_curator, code="GEN-SOC-901")
    assert draft.status == VersionStatus.draft


def test_curator_cannot_edit_or_review_a_draft_of_another_theme(
    db, library, curator, social_curator
):
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    with pytest.raises(PermissionDenied):
        services.update_draft(
            db,
            actor=social_curator,
            version_id=draft.id,
            data=_edited(db, draft),
            lock_version=draft.lock_version,
        )
    services.update_draft(
        db,
        actor=curator,
        version_id=draft.id,
        data=_edited(db, draft),
        lock_version=draft.lock_version,
    )
    services.submit_version(db, actor=curator, version_id=draft.id)
    with pytest.raises(PermissionDenied):
        services.publish_version(db, actor=social_curator, version_id=draft.id)
    with pytest.raises(PermissionDenied):
        services.reject_version(db, actor=social_curator, version_id=draft.id, comment="Non.")
    assert draft.status == VersionStatus.in_review


def test_expert_proposes_edits_own_draft_and_comments_but_never_submits(
    db, library, expert, curator, curator2
):
    draft = services.start_draft(db, actor=expert, code="CLEAN-ENV-901")
    services.update_draft(
        db,
        actor=expert,
        version_id=draft.id,
        data=_edited(db, draft),
        lock_version=draft.lock_version,
    )
    comment = services.add_comment(db, actor=expert, version_id=draft.id, body="À relire.")
    assert comment.author_id == expert.id
    with pytest.raises(PermissionDenied):
        services.submit_version(db, actor=expert, version_id=draft.id)
    services.submit_version(db, actor=curator, version_id=draft.id)
    with pytest.raises(PermissionDenied):
        services.publish_version(db, actor=expert, version_id=draft.id)
    with pytest.raises(PermissionDenied):
        services.reject_version(db, actor=expert, version_id=draft.id, comment="Non.")
    # the curator who sent it to review is a contributor too: a second curator publishes it
    with pytest.raises(PermissionDenied):
        services.publish_version(db, actor=curator, version_id=draft.id)
    services.publish_version(db, actor=curator2, version_id=draft.id)
    assert draft.status == VersionStatus.published


def test_expert_cannot_edit_someone_elses_draft(db, library, expert, curator):
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    with pytest.raises(PermissionDenied):
        services.update_draft(
            db,
            actor=expert,
            version_id=draft.id,
            data=_edited(db, draft),
            lock_version=draft.lock_version,
        )


def test_expert_of_another_theme_cannot_comment(db, library, make_user, curator):
    outsider = make_user(Role.expert, themes=["social"])
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    with pytest.raises(PermissionDenied):
        services.add_comment(db, actor=outsider, version_id=draft.id, body="Hors thème.")


def test_author_cannot_publish_own_version(db, library, curator):
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    services.update_draft(
        db,
        actor=curator,
        version_id=draft.id,
        data=_edited(db, draft),
        lock_version=draft.lock_version,
    )
    services.submit_version(db, actor=curator, version_id=draft.id)
    with pytest.raises(PermissionDenied):
        services.publish_version(db, actor=curator, version_id=draft.id)
    assert draft.status == VersionStatus.in_review


def test_an_editor_or_a_submitter_cannot_publish_either(db, library, curator, curator2, make_user):
    third = make_user(Role.curator, themes=["environmental"])
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    services.update_draft(
        db,
        actor=curator2,
        version_id=draft.id,
        data=_edited(db, draft),
        lock_version=draft.lock_version,
    )
    services.submit_version(db, actor=curator2, version_id=draft.id)
    for actor in (curator, curator2):
        with pytest.raises(PermissionDenied):
            services.publish_version(db, actor=actor, version_id=draft.id)
        assert not services.can_publish(actor, draft)
    # sent back and submitted again by the author: the earlier editor still may not publish
    services.reject_version(db, actor=third, version_id=draft.id, comment="Sources ?")
    services.submit_version(db, actor=curator, version_id=draft.id)
    with pytest.raises(PermissionDenied):
        services.publish_version(db, actor=curator2, version_id=draft.id)
    kinds = services.contributors(db, draft.id)
    assert curator2.id in kinds[Contribution.editor]
    assert set(kinds[Contribution.submitter]) == {curator.id, curator2.id}
    assert services.can_publish(third, draft)
    services.publish_version(db, actor=third, version_id=draft.id)
    assert draft.status == VersionStatus.published


def test_publish_and_reject_refuse_a_stale_page(db, library, curator, curator2):
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    services.update_draft(
        db,
        actor=curator,
        version_id=draft.id,
        data=_edited(db, draft),
        lock_version=draft.lock_version,
    )
    services.submit_version(db, actor=curator, version_id=draft.id)
    db.commit()
    read = draft.lock_version
    with pytest.raises(Conflict):
        services.publish_version(db, actor=curator2, version_id=draft.id, lock_version=read - 1)
    with pytest.raises(Conflict):
        services.reject_version(
            db, actor=curator2, version_id=draft.id, comment="Non.", lock_version=read + 5
        )
    db.rollback()
    assert db.get(ClauseVersion, draft.id).status == VersionStatus.in_review
    services.publish_version(db, actor=curator2, version_id=draft.id, lock_version=read)
    assert draft.status == VersionStatus.published


def test_four_eyes_applies_to_coordinators_too(db, library, coordinator, curator):
    draft = services.start_draft(db, actor=coordinator, code="GEN-SOC-901")
    services.update_draft(
        db,
        actor=coordinator,
        version_id=draft.id,
        data=_edited(db, draft),
        lock_version=draft.lock_version,
    )
    services.submit_version(db, actor=coordinator, version_id=draft.id)
    with pytest.raises(PermissionDenied):
        services.publish_version(db, actor=coordinator, version_id=draft.id)


def test_coordinator_acts_on_every_family(db, library, coordinator, curator, make_user):
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    services.update_draft(
        db,
        actor=coordinator,
        version_id=draft.id,
        data=_edited(db, draft),
        lock_version=draft.lock_version,
    )
    services.submit_version(db, actor=coordinator, version_id=draft.id)
    other = make_user(Role.coordinator)
    services.publish_version(db, actor=other, version_id=draft.id)
    services.retire_clause(db, actor=coordinator, code="GEN-SOC-901", reason="Remplacée.")
    assert draft.status == VersionStatus.published


def test_buyers_and_companies_cannot_curate(db, library, buyer, make_user):
    company = make_user(Role.company)
    for actor in (buyer, company, None):
        with pytest.raises(PermissionDenied):
            services.start_draft(db, actor=actor, code="CLEAN-ENV-901")


# ------------------------------------------------------------------------------------------------
# Optimistic locking


def test_a_stale_edit_raises_conflict_and_changes_nothing(db, library, curator, curator2):
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    db.commit()
    loaded = draft.lock_version
    first = _edited(db, draft)
    services.update_draft(db, actor=curator, version_id=draft.id, data=first, lock_version=loaded)
    db.commit()
    second = services.data_of(db, draft)
    second["text"]["fr"] = "Texte qui écraserait le premier {{ share }} {{ labels }} {{ months }}."
    with pytest.raises(Conflict):
        services.update_draft(
            db, actor=curator2, version_id=draft.id, data=second, lock_version=loaded
        )
    db.rollback()
    assert db.get(ClauseVersion, draft.id).text_fr.endswith("Phrase ajoutée.")


def test_concurrent_sessions_cannot_overwrite_each_other(app, db, library, curator, curator2):
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    db.commit()
    other = sessionmaker(
        bind=db.get_bind(), class_=Session, join_transaction_mode="create_savepoint"
    )()
    try:
        mine = db.get(ClauseVersion, draft.id)
        theirs = other.get(ClauseVersion, draft.id)
        lock = mine.lock_version
        services.update_draft(
            other,
            actor=curator2,
            version_id=theirs.id,
            data=_edited(other, theirs),
            lock_version=lock,
        )
        other.flush()
        data = _edited(db, mine)
        data["text"]["fr"] = data["text"]["fr"].replace("Phrase ajoutée.", "Autre phrase.")
        with pytest.raises(Conflict):
            # Both read version `lock`; the second write finds the row already changed.
            services.update_draft(
                db, actor=curator, version_id=mine.id, data=data, lock_version=lock
            )
    finally:
        other.close()
    db.rollback()
