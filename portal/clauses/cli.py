"""``flask --app portal clauses ...``: sync the corpus, export it, show coverage, rebuild search."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from portal.clauses import sync

clauses_group = AppGroup("clauses", help="The clause library and its corpus of files.")


@clauses_group.command("sync")
@click.argument(
    "directory",
    required=False,
    type=click.Path(file_okay=False, path_type=Path),
    default=sync.CORPUS_DIR,
)
def sync_command(directory: Path) -> None:
    """Load the clause files of DIRECTORY (default: clauses/) into the library.

    All or nothing: if any file has an error, each error is listed by file and field and
    nothing is loaded.
    """
    from portal.db import session_scope

    try:
        with session_scope() as session:
            report = sync.sync_directory(session, directory)
    except sync.SyncError as exc:
        for problem in exc.problems:
            for line in problem.lines():
                click.echo(f"ERROR {line}", err=True)
        files = sum(1 for problem in exc.problems if problem.file != "(database)")
        plural = "s" if files != 1 else ""
        raise click.ClickException(
            f"{files} file{plural} with errors in {directory}; nothing was loaded."
            if files
            else "Nothing was loaded."
        ) from None
    for _code, message in report.warnings:
        click.echo(f"WARNING {message}", err=True)
    for label, codes in (
        ("created", report.created),
        ("new version", report.updated),
        ("retired", report.retired),
    ):
        for code in codes:
            click.echo(f"{label}: {code}")
    click.echo(
        f"{len(report.created)} created, {len(report.updated)} new versions, "
        f"{len(report.retired)} retired, {len(report.unchanged)} unchanged"
        + (f", {len(report.warnings)} stale files" if report.warnings else "")
        + "."
    )


@clauses_group.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export_command(directory: Path) -> None:
    """Write the current version of every clause to DIRECTORY as canonical clause files."""
    from portal.db import session_scope

    with session_scope() as session:
        report = sync.export_directory(session, directory)
    for problem in report.problems:
        for line in problem.lines():
            click.echo(f"ERROR {line}", err=True)
    click.echo(
        f"{len(report.written)} written, {len(report.unchanged)} unchanged in {directory}"
        + (f", {len(report.problems)} not exportable" if report.problems else "")
        + "."
    )
    if report.problems:
        raise SystemExit(1)


@clauses_group.command("stats")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Count the clause files of this folder instead of the library.",
)
def stats_command(directory: Path | None) -> None:
    """Show coverage per category and family, placement and ambition level."""
    if directory is not None:
        facts, errors = sync.facts_from_files(directory)
        for err in errors:
            click.echo(f"ERROR {err}", err=True)
    else:
        from portal.db import session_scope

        with session_scope() as session:
            facts = sync.facts_from_db(session)
    click.echo(sync.format_coverage(sync.coverage(facts, sync.category_order())))


@clauses_group.command("reindex")
def reindex_command() -> None:
    """Rebuild the full-text search index of published versions."""
    from portal.clauses.search import rebuild_index
    from portal.db import session_scope

    with session_scope() as session:
        count = rebuild_index(session)
    click.echo(f"{count} published versions indexed.")
