"""The demo data of the clause library: corpus, a version in review, feedback, a mandatory
criterion; a second load changes nothing."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from portal.accounts.models import User
from portal.clauses import demo, services
from portal.clauses.models import ClauseFeedback, MandatoryClause, VersionStatus
from portal.cli import load_demo


def test_demo_gives_each_helpdesk_role_something_to_do(app, db):
    with app.app_context():
        created = load_demo()
    assert created["portal.clauses.demo:load"] > 3
    lotte = db.exec(select(User).where(User.email == "curator.env2@demo.clausier.brussels")).one()
    marc = db.exec(select(User).where(User.email == "curator.env@demo.clausier.brussels")).one()
    space = services.workspace(db, actor=lotte)
    (in_review,) = space.in_review
    assert in_review.code == demo.DEMO_DRAFT_CODE and in_review.author_id == marc.id
    assert services.can_publish(lotte, in_review) and not services.can_publish(marc, in_review)
    (feedback,) = services.workspace(db, actor=marc).feedback
    assert feedback.kind.value == "unclear"
    rule = db.exec(select(MandatoryClause)).one()
    assert rule.applies_from == date(2027, 1, 1)
    assert (
        services.mandatory_versions(db, category="cleaning", on=date(2027, 6, 1))[0].code
        == (demo.DEMO_MANDATORY[0])
    )
    assert services.latest_published(db, demo.DEMO_DRAFT_CODE).status == VersionStatus.published
    with app.app_context():
        again = load_demo()
    assert again["portal.clauses.demo:load"] == 0
    assert len(db.exec(select(ClauseFeedback)).all()) == 1
