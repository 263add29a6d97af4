"""``flask --app portal users ...``: create accounts from the command line."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from portal.accounts.models import Role, Theme
from portal.errors import ValidationError

users_group = AppGroup("users", help="Manage accounts.")


@users_group.command("create")
@click.option("--email", required=True)
@click.option(
    "--role", required=True, type=click.Choice([r.value for r in Role if r != Role.company])
)
@click.option(
    "--name", "full_name", default=None, help="Full name (default: the e-mail's local part)."
)
@click.option("--authority", default=None, help="Authority code, for buyers and managers.")
@click.option(
    "--theme",
    "themes",
    multiple=True,
    type=click.Choice([t.value for t in Theme]),
    help="Theme of a curator or expert (repeat for several).",
)
@click.option("--password", default=None, help="Password (asked for when omitted).")
def create(
    email: str,
    role: str,
    full_name: str | None,
    authority: str | None,
    themes: tuple[str, ...],
    password: str | None,
) -> None:
    """Create an account for a buyer, manager, curator, expert or coordinator."""
    from portal.accounts.services import create_user
    from portal.db import session_scope
    from portal.errors import NotFound
    from portal.reference.services import get_authority

    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with session_scope() as session:
            authority_id = get_authority(session, authority).id if authority else None
            user = create_user(
                session,
                actor=None,
                email=email,
                full_name=full_name or email.split("@")[0],
                role=role,
                password=password,
                authority_id=authority_id,
                themes=list(themes),
                min_password_length=current_app.config["PASSWORD_MIN_LENGTH"],
            )
            click.echo(f"Created {user.email} ({user.role.value}).")
    except ValidationError as exc:
        for field, messages in exc.errors.items():
            for message in messages:
                click.echo(f"Error: {field or 'input'}: {message}", err=True)
        raise SystemExit(1) from None
    except NotFound as exc:
        click.echo(f"Error: {exc.message}", err=True)
        raise SystemExit(1) from None
