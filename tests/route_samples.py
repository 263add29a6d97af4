"""URL values for the route/role matrix test (tests/test_route_matrix.py).

Every route of the app must be buildable from these values. ``VALUES`` maps URL argument names
to a function ``(db) -> value`` reading the demo data; ``BY_ENDPOINT`` overrides them for one
endpoint. ``POST_ONLY_OK`` lists, per endpoint, the statuses an allowed user may get when the
matrix POSTs an empty form (a 400 for missing data is fine; a 403 is not). Domains add entries
here for their routes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session, select

from portal.accounts.models import User


def _first_user_id(db: Session) -> int:
    return db.exec(select(User.id).order_by(User.id)).first()


VALUES: dict[str, Callable[[Session], Any]] = {
    "user_id": _first_user_id,
    "token": lambda db: "not-a-valid-token",
}


def _clause_version_id(db: Session) -> int:
    """Version 1 of CLEAN-ENV-001 (a public version: drafts belong to one theme only)."""
    from portal.clauses.models import ClauseVersion

    found = db.exec(
        select(ClauseVersion.id).where(
            ClauseVersion.code == "CLEAN-ENV-001", ClauseVersion.number == 1
        )
    ).first()
    return found or 0


def _first_id(model_path: str) -> Callable[[Session], int]:
    def produce(db: Session) -> int:
        from portal.blueprints import resolve

        model = resolve(model_path)
        return db.exec(select(model.id).order_by(model.id)).first() or 0

    return produce


_CLAUSE_CODE = {"code": lambda db: "CLEAN-ENV-001"}
_CLAUSE_VERSION = {"code": lambda db: "CLEAN-ENV-001", "number": lambda db: 1}
_VERSION_ID = {"version_id": _clause_version_id}

BY_ENDPOINT: dict[str, dict[str, Callable[[Session], Any]]] = {
    "site.set_language": {"code": lambda db: "nl"},
    "reference.category": {"code": lambda db: "cleaning"},
    "reference.cpv_detail": {"code": lambda db: "90910000-9"},
    "api.category": {"code": lambda db: "cleaning"},
    "api.cpv_detail": {"code": lambda db: "90910000-9"},
    # Clause library: demo data has CLEAN-ENV-001 v1 (environmental), a draft of it in review,
    # feedback on it and a mandatory criterion. Empty POSTs on public versions get 409.
    "clauses.detail": _CLAUSE_CODE,
    "clauses.diff": _CLAUSE_CODE,
    "clauses.start_draft": _CLAUSE_CODE,
    "clauses.retire": _CLAUSE_CODE,
    "clauses.version": _CLAUSE_VERSION,
    "clauses.feedback": _CLAUSE_VERSION,
    "clauses.draft": _VERSION_ID,
    "clauses.draft_diff": _VERSION_ID,
    "clauses.edit": _VERSION_ID,
    "clauses.submit": _VERSION_ID,
    "clauses.publish": _VERSION_ID,
    "clauses.reject": _VERSION_ID,
    "clauses.comment": _VERSION_ID,
    "clauses.close_feedback": {"feedback_id": _first_id("portal.clauses.models:ClauseFeedback")},
    "clauses.draft_from_feedback": {
        "feedback_id": _first_id("portal.clauses.models:ClauseFeedback")
    },
    "clauses.lift_mandatory": {"mandatory_id": _first_id("portal.clauses.models:MandatoryClause")},
    "api.clause": _CLAUSE_CODE,
    "api.clause_version": _CLAUSE_VERSION,
    # Word template help: Clausier's templates and examples exist in fr and nl.
    "documents.template_file": {"lang": lambda db: "fr", "key": lambda db: "complete"},
    "documents.example_output": {"lang": lambda db: "nl"},
}

#: Endpoints whose GET legitimately redirects even for allowed users (value: why).
REDIRECTS_ON_GET: dict[str, str] = {
    "site.set_language": "switches the language and goes back",
    "accounts.reset_password": "an invalid token sends the user back to the reset form",
    "accounts.login": "a logged-in user is sent to the home page",
    "accounts.register": "a logged-in user is sent to the home page",
    "clauses.draft": "the id of a public version leads to its permalink",
    "clauses.edit": "a version that is no longer a draft sends the editor back to its page",
}
