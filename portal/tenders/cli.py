"""``flask --app portal documents render``: a dossier's Word document from the command line.

For automation and tests. The file is written where ``--out`` says and is not added to the
dossier's history (the history holds what buyers generated and handed out). The same dossier
and pinned clause versions always give the same bytes, so the printed SHA-256 can be compared
with a stored document's checksum.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from portal.documents import DocumentTemplateError, builtin, render_document
from portal.tenders.context import build_context, pinned_clauses
from portal.tenders.models import Dossier
from portal.tenders.services import generation_problems

documents_group = AppGroup("documents", help="Word documents of the tender builder.")


@documents_group.command("render")
@click.option("--dossier", "dossier_id", type=int, required=True, help="Id of the dossier.")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="The .docx file to write.",
)
@click.option(
    "--lang",
    type=click.Choice(["fr", "nl"]),
    default=None,
    help="Document language (default: the dossier's first document language).",
)
@click.option(
    "--section",
    type=click.Choice([t.key for t in builtin.ALL_TEMPLATES]),
    default=builtin.COMPLETE.key,
    show_default=True,
    help="The complete document or one section.",
)
def render(dossier_id: int, out: Path, lang: str | None, section: str) -> None:
    """Render a dossier's document with Clausier's built-in template into FILE.docx."""
    from portal.db import session_scope

    with session_scope() as session, force_locale("en"):
        dossier = session.get(Dossier, dossier_id)
        if dossier is None:
            raise click.ClickException(f"There is no dossier {dossier_id}.")
        problems = generation_problems(session, dossier)
        if problems:
            lines = "\n".join(f"- {p}" for p in problems)
            raise click.ClickException(f"Dossier {dossier_id} cannot be rendered yet:\n{lines}")
        lang = lang or dossier.language.langs[0]
        pinned = pinned_clauses(session, dossier)
        if section == "anti_dumping_declaration" and not any(
            p.version.family == "anti_social_dumping" for p in pinned
        ):
            raise click.ClickException(
                f"Dossier {dossier_id} has no anti-social-dumping clause, so no declaration."
            )
        context = build_context(session, dossier, lang, pinned=pinned)
        try:
            rendered = render_document(builtin.template_path(section, lang), context, lang=lang)
        except DocumentTemplateError as exc:  # pragma: no cover - the built-in templates render
            raise click.ClickException(str(exc.as_json())) from None
    out.write_bytes(rendered.data)
    click.echo(
        f"Wrote {out} ({section}, {lang}, {len(rendered.data)} bytes, "
        f"{len(pinned)} clauses, sha256 {rendered.sha256})."
    )
