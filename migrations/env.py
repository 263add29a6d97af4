"""Alembic environment: the schema is SQLModel.metadata of every model module of the portal.

The database URL is the portal's own (``PORTAL_DATABASE_URL`` or the SQLite file in
``instance/``); ``flask --app portal db upgrade`` passes it in, and plain ``alembic`` builds the
app to read it.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from portal.blueprints import import_models

import_models()
target_metadata = SQLModel.metadata
config = context.config


def _database_url() -> str:
    url = config.attributes.get("database_url")
    if url:
        return url
    from portal import create_app

    return create_app().config["DATABASE_URL"]


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    # Full-text search structures (SQLite FTS5 virtual tables and their shadow tables, the
    # PostgreSQL search indexes) are made by hand in migrations; their names contain "_fts".
    return not (reflected and compare_to is None and name and "_fts" in name)


def run_migrations_offline() -> None:
    context.configure(
        url=_database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        include_object=include_object,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from portal.db import make_engine

    engine = make_engine(_database_url())
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
