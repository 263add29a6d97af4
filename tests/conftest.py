"""Test fixtures: a migrated database (SQLite, or PostgreSQL when PORTAL_TEST_DATABASE_URL is
set), one app for the session, and one rolled-back transaction per test.

- ``app``, ``client``: the application and a test client (CSRF off; see ``csrf_client``).
- ``db``: the session of the current test; everything it or the app writes is rolled back.
- ``make_user(role, **overrides)``, ``login(user)``: factories for accounts.
- ``authority(code)``, ``category(code)``: reference rows (loaded once per session).

PostgreSQL: set ``PORTAL_TEST_DATABASE_URL`` to a server URL whose user may create databases
(``postgresql+psycopg://postgres@127.0.0.1:55432/postgres``); each test session creates its own
database there and drops it at the end, so parallel runs do not collide.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, select

from portal import create_app
from portal.accounts import services as account_services
from portal.accounts.models import AUTHORITY_ROLES, THEMED_ROLES, Role, User
from portal.companies.models import Company, CompanySize
from portal.reference.models import ContractingAuthority, ProcurementCategory

TEST_PASSWORD = "Test-password-2026"
PROJECT_ROOT = Path(__file__).resolve().parent.parent

account_services.use_fast_hashing()


def pytest_configure(config: pytest.Config) -> None:
    # Tests read compiled catalogs; compile them when a .po is newer than its .mo.
    from portal.i18n_tools import compile_catalogs

    compile_catalogs()


# ------------------------------------------------------------------------------------------------
# Database


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def create_test_database(tmp_dir: Path, label: str) -> tuple[str, Callable[[], None]]:
    """Create an empty database for a test session; return its URL and a function that drops it."""
    server = os.environ.get("PORTAL_TEST_DATABASE_URL", "").strip()
    if not server:
        path = tmp_dir / f"{label}.sqlite3"
        return f"sqlite:///{path}", lambda: None
    name = f"clausier_test_{label}_{_worker()}_{uuid.uuid4().hex[:8]}".lower()
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(server).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
                ),
                {"n": name},
            )
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()

    return url, drop


def migrate(url: str) -> None:
    """Build the schema with the Alembic migrations, as in production."""
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.attributes["database_url"] = url
    command.upgrade(cfg, "head")


def make_test_config(url: str, tmp_dir: Path, **overrides: Any) -> dict[str, Any]:
    return {
        "TESTING": True,
        "ENV_NAME": "testing",
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "MAIL_OUTBOX_DIR": str(tmp_dir / "outbox"),
        "SERVER_NAME": "clausier.test",
        **overrides,
    }


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, drop = create_test_database(tmp_path_factory.mktemp("db"), "unit")
    migrate(url)
    app = create_app(make_test_config(url, tmp_path_factory.mktemp("boot")))
    with app.app_context():
        from portal.db import session_scope
        from portal.reference.services import sync_reference_data

        with session_scope() as session:
            sync_reference_data(session)
    app.extensions["portal.db"].engine.dispose()
    yield url
    drop()


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    application = create_app(make_test_config(database_url, tmp_path_factory.mktemp("app")))
    yield application
    application.extensions["portal.db"].engine.dispose()


@pytest.fixture()
def db(app: Flask) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test.

    The app's own sessions join the same connection through SAVEPOINTs, so views and services
    can commit as usual and still leave nothing behind. No app context is pushed here: each
    request of the test client gets its own, as in production.
    """
    database = app.extensions["portal.db"]
    connection = database.engine.connect()
    transaction = connection.begin()
    original = database.sessionmaker
    database.sessionmaker = sessionmaker(
        bind=connection,
        class_=Session,
        expire_on_commit=False,
        join_transaction_mode="create_savepoint",
    )
    session = database.sessionmaker()
    try:
        yield session
    finally:
        session.close()
        database.sessionmaker = original
        if transaction.is_active:
            transaction.rollback()
        connection.close()


@pytest.fixture()
def client(app: Flask, db: Session):  # type: ignore[no-untyped-def]
    return app.test_client()


# ------------------------------------------------------------------------------------------------
# Factories


@pytest.fixture()
def authority(db: Session) -> Callable[[str], ContractingAuthority]:
    def get(code: str = "commune-ixelles") -> ContractingAuthority:
        return db.exec(select(ContractingAuthority).where(ContractingAuthority.code == code)).one()

    return get


@pytest.fixture()
def category(db: Session) -> Callable[[str], ProcurementCategory]:
    def get(code: str = "cleaning") -> ProcurementCategory:
        return db.exec(select(ProcurementCategory).where(ProcurementCategory.code == code)).one()

    return get


@pytest.fixture()
def make_company(db: Session) -> Callable[..., Company]:
    def make(**overrides: Any) -> Company:
        company = Company(
            name=overrides.pop("name", f"Company {uuid.uuid4().hex[:6]}"),
            size=overrides.pop("size", CompanySize.small),
            **overrides,
        )
        db.add(company)
        db.flush()
        return company

    return make


@pytest.fixture()
def make_user(db: Session, authority, make_company) -> Callable[..., User]:  # type: ignore[no-untyped-def]
    """Create an account with sensible links for its role (authority, themes, company)."""

    def make(role: Role | str = Role.buyer, **overrides: Any) -> User:
        role = Role(role)
        kwargs: dict[str, Any] = {
            "email": overrides.pop("email", f"{role.value}-{uuid.uuid4().hex[:8]}@test.brussels"),
            "full_name": overrides.pop("full_name", f"Test {role.title}"),
            "password": overrides.pop("password", TEST_PASSWORD),
            "role": role,
        }
        if role in AUTHORITY_ROLES:
            auth = overrides.pop("authority", None) or authority("commune-ixelles")
            kwargs["authority_id"] = auth.id
        if role in THEMED_ROLES:
            kwargs["themes"] = overrides.pop(
                "themes", ["environmental", "social", "anti_dumping", "pro_sme", "innovation"]
            )
        if role == Role.company:
            kwargs["company_id"] = overrides.pop("company", None) or make_company().id
        user = account_services.create_user(db, actor=None, **kwargs, **overrides)
        db.commit()
        return user

    return make


@pytest.fixture()
def login(client):  # type: ignore[no-untyped-def]
    def do(user: User, password: str = TEST_PASSWORD):  # type: ignore[no-untyped-def]
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.data[:500]
        return response

    return do


@pytest.fixture()
def logged_in(make_user, login):  # type: ignore[no-untyped-def]
    """Create a user of the given role and log the test client in as them."""

    def do(role: Role | str = Role.buyer, **overrides: Any) -> User:
        user = make_user(role, **overrides)
        login(user)
        return user

    return do


@pytest.fixture()
def outbox(app: Flask) -> Callable[[], list[str]]:
    """Return the mails written to the file outbox so far (newest last), as decoded text:
    the headers, a blank line, then the body."""
    from email import message_from_bytes, policy

    def read() -> list[str]:
        folder = Path(app.config["MAIL_OUTBOX_DIR"])
        if not folder.exists():
            return []
        mails = []
        for path in sorted(folder.glob("*.eml")):
            msg = message_from_bytes(path.read_bytes(), policy=policy.default)
            headers = "\n".join(f"{k}: {v}" for k, v in msg.items())
            mails.append(f"{headers}\n\n{msg.get_content()}")
        return mails

    return read
