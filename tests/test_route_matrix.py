"""Every route, every role: the access each route declares is the access each role gets.

Routes declare their policy with ``portal.accounts.permissions.access``. For each route and each
role (and the anonymous visitor), this test opens the route as a demo user of that role and
checks the outcome against the policy:

- allowed: any answer but 401/403, and no redirect to the login page;
- anonymous and not allowed: a redirect to the login page (401 JSON on the API);
- logged in and not allowed: 403.

POST-only routes are sent an empty form: allowed users may get a 400 for the missing data, never
a 403. A route without a declared policy, or whose URL cannot be built from
``tests/route_samples.py``, fails the test.
"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlmodel import Session, select
from werkzeug.routing import Rule

from portal.accounts.models import Role, User
from portal.accounts.permissions import AUTHENTICATED, PUBLIC, Permission, roles_with
from portal.cli import load_demo
from tests import route_samples

#: The demo account used for each role.
DEMO_ACCOUNTS = {
    Role.company: "company@demo.clausier.brussels",
    Role.buyer: "buyer.ixelles@demo.clausier.brussels",
    Role.authority_manager: "manager.ixelles@demo.clausier.brussels",
    Role.curator: "curator.env@demo.clausier.brussels",
    Role.expert: "expert@demo.clausier.brussels",
    Role.coordinator: "coordinator@demo.clausier.brussels",
}
ROLES: list[Role | None] = [None, *Role]


def _routes(app: Flask) -> list[Rule]:
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint != "static"),
        key=lambda r: (r.rule, r.endpoint),
    )


def _allowed(policy: object, role: Role | None) -> bool:
    if policy == PUBLIC:
        return True
    if role is None:
        return False
    if policy == AUTHENTICATED:
        return True
    assert isinstance(policy, Permission)
    return role in roles_with(policy)


def _url(app: Flask, db: Session, rule: Rule) -> str:
    values = {}
    overrides = route_samples.BY_ENDPOINT.get(rule.endpoint, {})
    for arg in rule.arguments:
        producer = overrides.get(arg) or route_samples.VALUES.get(arg)
        assert producer is not None, (
            f"tests/route_samples.py has no value for <{arg}> of {rule.endpoint}"
        )
        values[arg] = producer(db)
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


@pytest.fixture()
def demo(app: Flask, db: Session) -> dict[Role, User]:
    with app.app_context():
        load_demo()
    users = {}
    for role, email in DEMO_ACCOUNTS.items():
        users[role] = db.exec(select(User).where(User.email == email)).one()
    return users


def test_every_route_declares_its_access(app: Flask) -> None:
    missing = [
        r.endpoint
        for r in _routes(app)
        if not hasattr(app.view_functions[r.endpoint], "access_policy")
    ]
    assert missing == [], f"routes without @access(...): {missing}"


def test_route_role_matrix(app: Flask, db: Session, demo: dict[Role, User]) -> None:
    failures = []
    checked = 0
    for rule in _routes(app):
        policy = app.view_functions[rule.endpoint].access_policy
        url = _url(app, db, rule)
        method = "GET" if "GET" in rule.methods else "POST"
        for role in ROLES:
            client = app.test_client()
            if role is not None:
                with client.session_transaction() as session:
                    session["_user_id"] = demo[role].get_id()
                    session["_fresh"] = True
            response = client.open(url, method=method, data={})
            allowed = _allowed(policy, role)
            location = response.headers.get("Location", "")
            to_login = response.status_code == 302 and "/login" in location
            label = f"{method} {url} as {role.value if role else 'visitor'}"
            if allowed:
                ok = response.status_code not in (401, 403, 500) and not to_login
                if method == "GET" and response.status_code == 302:
                    ok = ok and rule.endpoint in route_samples.REDIRECTS_ON_GET
            elif role is None:
                ok = to_login or (url.startswith("/api/") and response.status_code == 401)
            else:
                ok = response.status_code == 403
            if not ok:
                failures.append(f"{label}: got {response.status_code} {location}".strip())
            checked += 1
    assert not failures, "\n".join(failures)
    assert checked >= len(ROLES) * 20
