"""Core CLI commands: ``db`` (Alembic migrations), ``reference`` and ``demo``.

Domain packages add their own groups (``users``, ``clauses``, ``documents``...) through
``portal.blueprints.CLI_COMMANDS``.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from portal.blueprints import CLI_COMMANDS, DEMO_LOADERS, resolve

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def alembic_config():  # type: ignore[no-untyped-def]
    """Alembic configuration for the current app (its database URL, ``migrations/``)."""
    from alembic.config import Config

    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.attributes["database_url"] = current_app.config["DATABASE_URL"]
    return cfg


db_group = AppGroup("db", help="Create and migrate the database schema (Alembic).")


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: head)."""
    from alembic import command

    command.upgrade(alembic_config(), revision)
    click.echo(f"Database upgraded to {revision}.")


@db_group.command("downgrade")
@click.argument("revision", default="-1")
def db_downgrade(revision: str) -> None:
    """Revert migrations down to REVISION (default: one step; 'base' removes everything)."""
    from alembic import command

    command.downgrade(alembic_config(), revision)
    click.echo(f"Database downgraded to {revision}.")


@db_group.command("current")
def db_current() -> None:
    """Show the revision the database is at."""
    from alembic import command

    command.current(alembic_config(), verbose=False)


@db_group.command("check")
def db_check() -> None:
    """Fail if the models and the migrations disagree."""
    from alembic import command

    command.check(alembic_config())
    click.echo("Models and migrations agree.")


@db_group.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Autogenerate a new migration from the models (read it before committing it)."""
    from alembic import command

    command.revision(alembic_config(), message=message, autogenerate=True)


reference_group = AppGroup("reference", help="Reference data: CPV, NUTS, categories, authorities.")


@reference_group.command("sync")
def reference_sync() -> None:
    """Load or update the reference data from portal/data (idempotent)."""
    from portal.db import session_scope
    from portal.reference.services import sync_reference_data

    with session_scope() as session:
        changed = sync_reference_data(session)
    click.echo(", ".join(f"{k}: {v} changed" for k, v in changed.items()))


demo_group = AppGroup("demo", help="Realistic Brussels demo data.")


@demo_group.command("load")
def demo_load() -> None:
    """Load the demo data (reference data first). Running it again changes nothing."""

    load_demo(echo=click.echo)


def load_demo(echo=lambda _msg: None) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Run every demo loader in one transaction; return the number of rows each created."""
    from portal.db import session_scope
    from portal.reference.services import sync_reference_data

    created: dict[str, int] = {}
    with session_scope() as session:
        sync_reference_data(session)
        for path in DEMO_LOADERS:
            count = resolve(path)(session)
            session.flush()
            created[path] = count or 0
            echo(f"{path}: {count or 0} created")
    return created


def register_cli(app: Flask) -> None:
    for path in CLI_COMMANDS:
        app.cli.add_command(resolve(path))
