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

BY_ENDPOINT: dict[str, dict[str, Callable[[Session], Any]]] = {
    "site.set_language": {"code": lambda db: "nl"},
    "reference.category": {"code": lambda db: "cleaning"},
    "reference.cpv_detail": {"code": lambda db: "90910000-9"},
    "api.category": {"code": lambda db: "cleaning"},
    "api.cpv_detail": {"code": lambda db: "90910000-9"},
}

#: Endpoints whose GET legitimately redirects even for allowed users (value: why).
REDIRECTS_ON_GET: dict[str, str] = {
    "site.set_language": "switches the language and goes back",
    "accounts.reset_password": "an invalid token sends the user back to the reset form",
    "accounts.login": "a logged-in user is sent to the home page",
    "accounts.register": "a logged-in user is sent to the home page",
}
