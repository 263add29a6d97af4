"""The public help page for template authors, with the example templates and documents."""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

from flask import Blueprint, abort, current_app, render_template, send_file
from werkzeug.wrappers import Response

from portal.accounts.permissions import PUBLIC, access
from portal.documents.builtin import ALL_TEMPLATES, BY_KEY, COMPLETE, template_path
from portal.documents.context import DOCUMENT_LANGS, Node, context_variables, records
from portal.documents.environment import DOCUMENT_FILTERS, SAFE_BUILTIN_FILTERS
from portal.documents.example import CLAUSES, LOTS, example_context
from portal.documents.formatting import format_date, format_money, format_number, format_percent
from portal.documents.render import render_docx
from portal.i18n import _l

bp = Blueprint(
    "documents", __name__, template_folder="templates", url_prefix="/help/word-templates"
)

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: The menu entry's label (portal/navigation.py), kept here so that its translation is ours.
MENU_LABEL = _l("Word templates")

KIND_LABELS = {
    "object": _l("group"),
    "list": _l("list"),
    "text": _l("text"),
    "integer": _l("whole number"),
    "number": _l("number"),
    "money": _l("amount in euro"),
    "percent": _l("points out of 100"),
    "boolean": _l("yes or no"),
    "date": _l("date"),
}

RECORD_TITLES = {
    "Authority": _l("The contracting authority"),
    "Dossier": _l("The dossier"),
    "Cpv": _l("Each CPV code"),
    "ClauseGroups": _l("The clauses by placement"),
    "Clause": _l("Each clause"),
    "Verification": _l("Each control instrument"),
    "Weights": _l("The weights table"),
    "WeightRow": _l("Each sustainability award criterion"),
    "Lots": _l("The lots section"),
    "Lot": _l("Each lot"),
    "Coordination": _l("The coordination lot"),
    "ChecklistRow": _l("Each row of the verification checklist"),
    "AntiDumping": _l("The anti-social-dumping block"),
}

FILTER_DOCS = {
    "money": _l("An amount in euro, in the document's language."),
    "number": _l("A number with the separators of the document's language."),
    "percent": _l("A percentage given from 0 to 100."),
    "date": _l("A date written in full; date('short') gives 15/02/2027."),
}


def _filter_examples() -> list[dict[str, Any]]:
    samples = {
        "money": ("{{ lot.value|money }}", lambda lang: format_money("1234.5", lang)),
        "number": ("{{ 1234.5|number }}", lambda lang: format_number("1234.5", lang)),
        "percent": ("{{ 40|percent }}", lambda lang: format_percent(40, lang)),
        "date": ("{{ generated_on|date }}", lambda lang: format_date("2027-02-15", lang)),
    }
    return [
        {
            "name": name,
            "doc": FILTER_DOCS[name],
            "tag": samples[name][0],
            "examples": {lang: samples[name][1](lang) for lang in DOCUMENT_LANGS},
        }
        for name in DOCUMENT_FILTERS
    ]


def _variable_tables() -> list[dict[str, Any]]:
    """Group the documented variables by record, top level first."""
    variables = context_variables()
    nodes: dict[str, Node] = records()
    top = [v for v in variables if v.record == "DocumentContext"]
    tables = [{"record": "DocumentContext", "title": None, "where": [], "rows": top}]
    for name, node in nodes.items():
        if name == "DocumentContext":
            continue
        where = sorted(
            {
                v.path + ("[]" if v.kind == "list" else "")
                for v in variables
                if v.item_record == name or (v.kind == "object" and _record_of(v.path) == name)
            }
        )
        rows = [
            {"path": field_name, "kind": child.kind, "doc": child.doc, "optional": child.optional}
            for field_name, child in node.fields.items()
        ]
        tables.append(
            {"record": name, "title": RECORD_TITLES.get(name, name), "where": where, "rows": rows}
        )
    return tables


def _record_of(path: str) -> str:
    node: Node | None = records()["DocumentContext"]
    for part in path.replace("[]", "").split("."):
        if node is None:
            return ""
        node = node.fields.get(part)
        if node is not None and node.kind == "list":
            node = node.item
    return node.record if node is not None else ""


@bp.get("/")
@access(PUBLIC)
def help_page():  # type: ignore[no-untyped-def]
    return render_template(
        "documents/help.html",
        templates=ALL_TEMPLATES,
        complete=COMPLETE,
        langs=DOCUMENT_LANGS,
        kinds=KIND_LABELS,
        filters=_filter_examples(),
        builtin_filters=SAFE_BUILTIN_FILTERS,
        tables=_variable_tables(),
        example_lots=len(LOTS),
        example_clauses=len(CLAUSES),
        max_megabytes=current_app.config["TEMPLATE_UPLOAD_MAX_BYTES"] // (1024 * 1024),
    )


def _docx(data: bytes, name: str) -> Response:
    return send_file(
        io.BytesIO(data), mimetype=DOCX_MIMETYPE, as_attachment=True, download_name=name
    )


@bp.get("/templates/<lang>/<key>.docx")
@access(PUBLIC)
def template_file(lang: str, key: str):  # type: ignore[no-untyped-def]
    if lang not in DOCUMENT_LANGS or key not in BY_KEY:
        abort(404)
    data = template_path(key, lang).read_bytes()
    return _docx(data, f"clausier-{key.replace('_', '-')}-{lang}.docx")


@lru_cache(maxsize=len(DOCUMENT_LANGS))
def _example_output(lang: str) -> bytes:
    # The example never changes while the portal runs, and rendering is reproducible.
    return render_docx(template_path(COMPLETE.key, lang), example_context(lang), lang=lang)


@bp.get("/examples/<lang>.docx")
@access(PUBLIC)
def example_output(lang: str):  # type: ignore[no-untyped-def]
    if lang not in DOCUMENT_LANGS:
        abort(404)
    return _docx(_example_output(lang), f"clausier-example-{lang}.docx")
