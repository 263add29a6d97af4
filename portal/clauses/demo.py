"""Demo data of the clause library: the corpus of ``clauses/``, then workspace content.

- the corpus is synced (all or nothing, like ``flask --app portal clauses sync``; when a file
  has errors the corpus is left out and the errors are printed, so that a file being written
  does not block everyone's demo);
- Marc Dubois (environmental curator) has a new version of CLEAN-ENV-001 in review, which
  Lotte Peeters (also environmental) can publish;
- Thomas Leroy (buyer, Ixelles) left feedback on version 1 of CLEAN-ENV-001, which the
  environmental curators find in their workspace;
- CLEAN-ENV-001 is a mandatory base criterion of cleaning from 1 January 2027.

Running it again changes nothing: each step first looks for what it would create.
"""

from __future__ import annotations

from datetime import date

import click
from sqlmodel import Session, select

from portal.accounts.demo import demo_user
from portal.clauses import services, sync
from portal.clauses.models import Clause, ClauseFeedback, ClauseVersion, MandatoryClause
from portal.reference.services import get_category

DEMO_DRAFT_CODE = "CLEAN-ENV-001"
DEMO_FEEDBACK_CODE = "CLEAN-ENV-001"
DEMO_MANDATORY = ("CLEAN-ENV-001", "cleaning", date(2027, 1, 1))


def load(session: Session) -> int:
    try:
        report = sync.sync_directory(session, sync.CORPUS_DIR)
    except sync.SyncError as exc:
        # A file being written elsewhere must not block everyone's demo: the corpus is left
        # out (all or nothing, as with `clauses sync`) and each problem is reported.
        click.echo(f"clause corpus not loaded: {len(exc.problems)} file(s) with errors", err=True)
        for problem in exc.problems:
            for line in problem.lines():
                click.echo(f"  {line}", err=True)
        created = 0
    else:
        created = report.changed
    created += _draft_in_review(session)
    created += _buyer_feedback(session)
    created += _mandatory(session)
    return created


def _clause(session: Session, code: str) -> Clause | None:
    return session.exec(select(Clause).where(Clause.code == code)).first()


def _draft_in_review(session: Session) -> int:
    clause = _clause(session, DEMO_DRAFT_CODE)
    if clause is None or clause.current_version_id is None:
        return 0
    author = demo_user(session, "curator.env@demo.clausier.brussels")
    exists = session.exec(
        select(ClauseVersion).where(
            ClauseVersion.clause_id == clause.id, ClauseVersion.author_id == author.id
        )
    ).first()
    if exists is not None or services.open_draft(session, clause.id) is not None:
        return 0
    draft = services.start_draft(session, actor=author, code=clause.code)
    data = services.data_of(session, draft)
    for param in data.get("parameters", []):
        if param["type"] == "percentage" and param["default"] < param["max"]:
            param["default"] = min(param["max"], param["default"] + 10)
    data["change_note"] = {
        "fr": "Part minimale par défaut relevée à la suite de l'analyse du marché de 2026.",
        "nl": "Standaard minimumaandeel verhoogd na de marktanalyse van 2026.",
        "en": "Default minimum share raised after the 2026 market analysis.",
    }
    services.update_draft(
        session, actor=author, version_id=draft.id, data=data, lock_version=draft.lock_version
    )
    services.submit_version(session, actor=author, version_id=draft.id)
    return 1


def _buyer_feedback(session: Session) -> int:
    buyer = demo_user(session, "buyer.ixelles@demo.clausier.brussels")
    version = services.latest_published(session, DEMO_FEEDBACK_CODE)
    if version is None:
        return 0
    exists = session.exec(
        select(ClauseFeedback).where(ClauseFeedback.author_id == buyer.id)
    ).first()
    if exists is not None:
        return 0
    services.give_feedback(
        session,
        actor=buyer,
        version_id=version.id,
        kind="unclear",
        body=(
            "Plusieurs soumissionnaires ont demandé si la part de produits écolabellisés se "
            "calcule en volume ou en nombre de références, et sur quelle période. Pourriez-vous "
            "préciser dans le texte que le calcul porte sur le volume d'achat annuel et donner "
            "un exemple ?"
        ),
    )
    return 1


def _mandatory(session: Session) -> int:
    code, category, applies_from = DEMO_MANDATORY
    clause = _clause(session, code)
    if clause is None or clause.current_version_id is None:
        return 0
    cat = get_category(session, category)
    exists = session.exec(
        select(MandatoryClause).where(
            MandatoryClause.clause_id == clause.id, MandatoryClause.category_id == cat.id
        )
    ).first()
    if exists is not None:
        return 0
    coordinator = demo_user(session, "coordinator@demo.clausier.brussels")
    services.mark_mandatory(
        session, actor=coordinator, code=code, category=category, applies_from=applies_from
    )
    return 1
