"""``flask --app portal lots ...``: the lot-split advisor's command line.

``thresholds-sync`` loads the EU and Belgian thresholds of ``portal/data/*thresholds*.csv`` into
the thresholds table (idempotent; rows the coordinator edited in the portal are kept). The demo
loader runs it too. Run it after ``reference sync`` on a new installation, and again when the
project's threshold files change.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

lots_group = AppGroup("lots", help="Lot-split advisor: procurement thresholds.")


@lots_group.command("thresholds-sync")
def thresholds_sync() -> None:
    """Load or update the thresholds from portal/data (idempotent)."""
    from portal.db import session_scope
    from portal.lots.rules import ThresholdDataError
    from portal.lots.services import sync_thresholds

    try:
        with session_scope() as session:
            counts = sync_thresholds(session)
    except ThresholdDataError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Thresholds: {counts['created']} created, {counts['updated']} updated, "
        f"{counts['kept']} kept as edited in the portal."
    )
