import re

import pytest
from sqlmodel import select

from portal.accounts import services
from portal.accounts.models import Role, User
from portal.audit.models import AuditEvent
from portal.companies.models import Company
from portal.errors import PermissionDenied, ValidationError
from tests.conftest import TEST_PASSWORD

REGISTRATION = {
    "company_name": "Vélo-Cargo Bruxelles SRL",
    "enterprise_number": "0403.170.701",
    "size": "micro",
    "is_social_economy": "y",
    "municipality": "saint-gilles",
    "full_name": "Inès Moreau",
    "email": "ines@velocargo.example",
    "password": "a-strong-password",
    "confirm": "a-strong-password",
}


def test_company_registration_creates_profile_and_account(client, db):
    response = client.post("/register", data=REGISTRATION)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/company")
    user = db.exec(select(User).where(User.email == "ines@velocargo.example")).one()
    company = db.get(Company, user.company_id)
    assert user.role == Role.company
    assert company.enterprise_number == "0403170701"
    assert company.is_social_economy is True
    assert client.get("/company").status_code == 200


def test_registration_with_bad_enterprise_number_stores_nothing(client, db):
    data = dict(REGISTRATION, enterprise_number="0403.170.702", email="bad@velo.example")
    response = client.post("/register", data=data)
    assert response.status_code == 200
    assert b"check digits" in response.data or "contrôle".encode() in response.data
    assert db.exec(select(User).where(User.email == "bad@velo.example")).first() is None
    assert (
        db.exec(select(Company).where(Company.name == REGISTRATION["company_name"])).first() is None
    )


def test_registration_with_taken_email_stores_no_company(client, db, make_user):
    user = make_user(Role.buyer)
    data = dict(REGISTRATION, email=user.email, enterprise_number="")
    response = client.post("/register", data=data)
    assert response.status_code == 200
    assert (
        db.exec(select(Company).where(Company.name == REGISTRATION["company_name"])).first() is None
    )


def test_login_with_wrong_password_fails_with_one_message(client, make_user):
    user = make_user(Role.buyer)
    response = client.post("/login", data={"email": user.email, "password": "wrong-password"})
    assert response.status_code == 200
    assert b"not correct" in response.data or b"pas correct" in response.data
    assert client.get("/account").status_code == 302


def test_login_redirects_only_to_local_next(client, make_user):
    user = make_user(Role.buyer)
    response = client.post(
        "/login",
        data={"email": user.email, "password": TEST_PASSWORD, "next": "https://evil.example/"},
    )
    assert response.headers["Location"] == "/"


def test_login_is_case_insensitive_on_email(client, make_user):
    user = make_user(Role.buyer, email="Mixed.Case@Test.Brussels")
    response = client.post(
        "/login", data={"email": "MIXED.case@test.brussels", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert user.email == "mixed.case@test.brussels"


def test_disabled_account_cannot_log_in(client, db, make_user):
    user = make_user(Role.buyer)
    user.is_active = False
    db.commit()
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 200


def test_logout_requires_post(client, logged_in):
    logged_in(Role.buyer)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/account").status_code == 302


def test_passwords_are_hashed_with_argon2(make_user):
    user = make_user(Role.buyer)
    assert user.password_hash.startswith("$argon2id$")
    assert TEST_PASSWORD not in user.password_hash


def test_password_change_ends_other_sessions(app, client, db, make_user, login):
    user = make_user(Role.buyer)
    login(user)
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert other.get("/account").status_code == 200
    response = client.post(
        "/account/password",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": "another-long-one",
            "confirm": "another-long-one",
        },
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302
    db.expire_all()
    assert services.verify_password(db.get(User, user.id), "another-long-one")


def test_password_change_rejects_wrong_current_password(client, logged_in):
    logged_in(Role.buyer)
    response = client.post(
        "/account/password",
        data={
            "current_password": "nope",
            "new_password": "another-long-one",
            "confirm": "another-long-one",
        },
    )
    assert response.status_code == 200
    assert b"current password" in response.data.lower() or b"actuel" in response.data


def test_password_reset_by_mail(client, db, make_user, outbox):
    user = make_user(Role.curator)
    response = client.post("/password/reset", data={"email": user.email})
    assert response.status_code == 302
    mail = outbox()[-1]
    assert f"To: {user.email}" in mail
    link = re.search(r"http://clausier\.test(/password/reset/\S+)", mail).group(1)
    assert client.get(link).status_code == 200
    response = client.post(
        link, data={"new_password": "brand-new-password", "confirm": "brand-new-password"}
    )
    assert response.status_code == 302
    db.expire_all()
    assert services.verify_password(db.get(User, user.id), "brand-new-password")
    # The link works once only.
    assert client.get(link).status_code == 302


def test_password_reset_does_not_reveal_unknown_addresses(client, outbox):
    before = len(outbox())
    response = client.post(
        "/password/reset", data={"email": "nobody@nowhere.example"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert len(outbox()) == before


def test_reset_mail_is_in_the_users_language(client, make_user, outbox):
    user = make_user(Role.buyer, locale="nl")
    client.post("/password/reset", data={"email": user.email})
    assert "wachtwoord" in outbox()[-1].lower()


def test_coordinator_creates_accounts_in_service(db, make_user, authority):
    coordinator = make_user(Role.coordinator)
    user = services.create_user(
        db,
        actor=coordinator,
        email="curator@actiris.example",
        full_name="Curator",
        role=Role.curator,
        password="long-enough-pass",
        themes=["social"],
    )
    assert user.themes == ["social"]
    event = db.exec(
        select(AuditEvent).where(
            AuditEvent.action == "user.created", AuditEvent.entity_id == str(user.id)
        )
    ).one()
    assert event.actor_id == coordinator.id


@pytest.mark.parametrize("role", [Role.buyer, Role.curator, Role.expert, Role.authority_manager])
def test_only_coordinators_create_accounts(db, make_user, role):
    actor = make_user(role)
    with pytest.raises(PermissionDenied):
        services.create_user(
            db,
            actor=actor,
            email="x@example.be",
            full_name="X",
            role=Role.buyer,
            password="long-enough-pass",
        )


def test_buyer_needs_an_authority_and_curator_a_theme(db):
    with pytest.raises(ValidationError) as exc:
        services.create_user(
            db,
            actor=None,
            email="b@example.be",
            full_name="B",
            role=Role.buyer,
            password="long-enough-pass",
        )
    assert "authority_id" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        services.create_user(
            db,
            actor=None,
            email="c@example.be",
            full_name="C",
            role=Role.curator,
            password="long-enough-pass",
            themes=[],
        )
    assert "themes" in exc.value.errors


def test_coordinator_edits_a_user_over_http(client, db, logged_in, make_user, authority):
    logged_in(Role.coordinator)
    target = make_user(Role.buyer)
    response = client.post(
        f"/admin/users/{target.id}",
        data={
            "email": target.email,
            "full_name": "Renamed",
            "role": "authority_manager",
            "authority_id": str(authority("commune-uccle").id),
            "is_active": "y",
        },
    )
    assert response.status_code == 302
    db.expire_all()
    refreshed = db.get(User, target.id)
    assert refreshed.full_name == "Renamed"
    assert refreshed.role == Role.authority_manager


def test_coordinator_cannot_demote_themselves(db, make_user):
    coordinator = make_user(Role.coordinator)
    with pytest.raises(PermissionDenied):
        services.update_user(
            db,
            actor=coordinator,
            user_id=coordinator.id,
            full_name="C",
            role=Role.buyer,
            authority_id=None,
            themes=[],
            is_active=True,
        )


def test_company_edits_only_its_own_profile(client, db, logged_in, make_company):
    user = logged_in(Role.company)
    response = client.post(
        "/company",
        data={
            "name": "Renamed SRL",
            "size": "small",
            "description": "Nettoyage écologique",
            "sectors": ["cleaning"],
            "municipality": "ixelles",
            "website": "https://example.be",
        },
    )
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Company, user.company_id).name == "Renamed SRL"
    other = make_company()
    from portal.companies.services import update_company

    with pytest.raises(PermissionDenied):
        update_company(db, actor=user, company_id=other.id, name="Hijack", size="small")


def test_profile_language_preference_is_saved_and_applied(client, db, logged_in):
    user = logged_in(Role.buyer)
    response = client.post("/account", data={"full_name": "Nieuwe Naam", "locale": "nl"})
    assert response.status_code == 302
    db.expire_all()
    assert db.get(User, user.id).locale == "nl"
    page = client.get("/account")
    assert b'<html lang="nl">' in page.data
