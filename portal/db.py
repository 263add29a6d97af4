"""Database access: one engine per app, one session per request.

Views and CLI commands get the session with :func:`get_session`, pass it to services, and are the
only places that commit. The session is closed (and anything uncommitted rolled back) when the
application context ends.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session


def utcnow() -> datetime:
    """Return the current time, UTC-aware."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored in UTC and always returned UTC-aware.

    PostgreSQL stores it as ``timestamptz``; SQLite, which has no time zones, stores naive UTC.
    Naive datetimes are refused so that local times never slip in unnoticed.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC timestamp column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_type(enum_cls: type[enum.Enum], length: int = 32) -> sa.Enum:
    """Store an enum as its value in a VARCHAR (no native database enum to migrate)."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def sqlite_begin_statement() -> str:
    """How a SQLite transaction starts: ``BEGIN`` for reading requests, else ``BEGIN IMMEDIATE``.

    A deferred transaction that reads first and writes later cannot wait for another writer: in
    WAL mode SQLite refuses the upgrade at once ("database is locked") if someone committed since
    its snapshot, whatever the busy timeout. Taking the write lock when the transaction starts
    makes concurrent form posts, logins and CLI commands queue (up to the busy timeout) instead of
    failing; GET requests keep reading concurrently.
    """
    if has_request_context() and request.method in READ_ONLY_METHODS:
        return "BEGIN"
    return "BEGIN IMMEDIATE"


def make_engine(url: str, echo: bool = False) -> Engine:
    """Create an engine, with SQLite made transactional and foreign-key aware."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}
        )
        is_file = ":memory:" not in url and url != "sqlite://"

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy, not pysqlite, decide when transactions begin, so that SAVEPOINTs
            # and rollbacks behave (SQLAlchemy docs, "Serializable isolation / Savepoints").
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            if is_file:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            conn.exec_driver_sql(sqlite_begin_statement())

        return engine
    return sa.create_engine(url, echo=echo, pool_pre_ping=True)


class Database:
    """The app's engine and session factory (``app.extensions['portal.db']``)."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.sessionmaker: sessionmaker[Session] | None = None

    def init_app(self, app: Flask) -> None:
        self.engine = make_engine(app.config["DATABASE_URL"], app.config["DATABASE_ECHO"])
        self.sessionmaker = sessionmaker(
            bind=self.engine, class_=Session, expire_on_commit=False, autoflush=True
        )
        app.extensions["portal.db"] = self
        app.teardown_appcontext(_close_session)


def database() -> Database:
    return current_app.extensions["portal.db"]


def get_session() -> Session:
    """Return the session of the current application context, opening it on first use."""
    if "db_session" not in g:
        g.db_session = database().sessionmaker()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session for CLI commands and scripts: commit on success, roll back on error."""
    session = database().sessionmaker()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def dialect_name(session: Session) -> str:
    return session.get_bind().dialect.name
