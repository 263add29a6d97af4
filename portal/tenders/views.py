"""Pages of the tender builder: the dossier list, the dossier form, the dossier tabs (overview,
clauses, documents, history), the upgrade of a pinned clause and the authority's templates.

Views are thin: they read a form, call one service, commit, then redirect or render. Services
raise NotFound for another authority's dossier, so nothing about it leaks.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_date, format_datetime
from flask_login import current_user
from sqlmodel import select
from werkzeug.routing import BuildError

from portal.accounts.models import User
from portal.accounts.permissions import Permission, access, can
from portal.clauses import services as clause_services
from portal.clauses.content import LANGUAGE_TITLES
from portal.clauses.rendering import format_value
from portal.clauses.vocabulary import CostEffect, MarketReadiness
from portal.db import get_session
from portal.documents import PdfConversionError, builtin, pdf_available
from portal.errors import NotFound, ValidationError
from portal.forms import apply_errors, choices, parse_id
from portal.i18n import _, _l, colon, current_lang, format_money, localized, ngettext
from portal.lots.rules import ContractType
from portal.reference.models import ContractingAuthority, ProcurementCategory
from portal.reference.services import cpv_label, list_categories
from portal.tenders import services
from portal.tenders.forms import (
    DossierForm,
    GenerateForm,
    TemplateUploadForm,
    param_fields,
    read_choices,
)
from portal.tenders.models import (
    CONTRACT_TYPE_TITLES,
    DocumentLanguage,
    Dossier,
    IntendedProcedure,
)
from portal.tenders.tabs import DOSSIER_TABS, Tab, tab_links

bp = Blueprint("tenders", __name__, template_folder="templates", url_prefix="/tenders")

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

__all__ = ["DOSSIER_TABS", "Tab", "bp"]

#: How the history tab words each audited action.
ACTION_TITLES = {
    "dossier.created": _l("Dossier created"),
    "dossier.updated": _l("Dossier changed"),
    "dossier.clause.added": _l("Clause added"),
    "dossier.clause.included": _l("Clause included again"),
    "dossier.clause.changed": _l("Clause settings changed"),
    "dossier.clause.removed": _l("Clause removed"),
    "dossier.clause.upgraded": _l("Clause upgraded to a newer version"),
    "dossier.document.generated": _l("Document generated"),
}
#: How the history tab names the fields of a change.
FIELD_TITLES = {
    "title": _l("Title"),
    "subject": _l("Subject"),
    "title_nl": _l("Title in Dutch"),
    "subject_nl": _l("Subject in Dutch"),
    "category_id": _l("Category"),
    "main_cpv": _l("Main CPV code"),
    "additional_cpv": _l("Additional CPV codes"),
    "estimated_value": _l("Estimated value"),
    "contract_type": _l("Type of contract"),
    "procedure": _l("Intended procedure"),
    "language": _l("Language of the documents"),
    "publication_date": _l("Planned publication date"),
    "reference": _l("Internal reference"),
    "price_weight": _l("Weight of the price"),
    "included": _l("Included"),
    "values": _l("Parameter values"),
    "weight": _l("Weight"),
    "version": _l("Version"),
}
GENERATION_TITLES = {
    "never": _l("Not generated yet"),
    "current": _l("Document up to date"),
    "outdated": _l("Changed since the last document"),
}


# ------------------------------------------------------------------------------------------------
# Helpers


def _help_url() -> str | None:
    """The public help page on Word templates and their tags (by the documents package)."""
    try:
        return url_for("documents.help_page")
    except BuildError:
        return None


def _clause_url(code: str, number: int | None) -> str | None:
    """The clause library's page of a version (None if the library's pages are absent)."""
    if not number:
        return None
    try:
        return url_for("clauses.version", code=code, number=number)
    except BuildError:
        return None


def _libreoffice() -> str | None:
    return current_app.config.get("LIBREOFFICE_PATH") or None


def _pdf_enabled() -> bool:
    try:
        return pdf_available(_libreoffice())
    except Exception:  # noqa: BLE001 - a broken PATH or setting hides PDF, never breaks a page
        current_app.logger.exception("LibreOffice look-up failed")
        return False


def _kind_labels() -> dict[str, Any]:
    return {s.key: s.label for s in builtin.ALL_TEMPLATES}


def _kind_choices() -> list[tuple[str, Any]]:
    return [(builtin.COMPLETE.key, builtin.COMPLETE.label)] + [
        (s.key, s.label) for s in builtin.SECTIONS
    ]


def _lang_choices(dossier: Dossier) -> list[tuple[str, Any]]:
    return [(lang.value, lang.title) for lang in DocumentLanguage]


def _dossier_choices(form: DossierForm, session: Any) -> None:
    lang = current_lang()
    form.category.choices = choices(
        [("", _("Choose a category"))]
        + [(c.code, localized(c, "name", lang)) for c in list_categories(session)]
    )
    form.contract_type.choices = choices((t.value, CONTRACT_TYPE_TITLES[t]) for t in ContractType)
    form.procedure.choices = choices((p.value, p.title) for p in IntendedProcedure)
    form.language.choices = choices((lang_.value, lang_.title) for lang_ in DocumentLanguage)
    if services.is_coordinator(current_user):
        authorities = _authorities(session)
        form.authority.choices = choices(
            [("", _("Choose the contracting authority"))]
            + [(str(a.id), localized(a, "name", lang)) for a in authorities]
        )


def _authorities(session: Any) -> list[ContractingAuthority]:
    return list(session.exec(select(ContractingAuthority).order_by(ContractingAuthority.code)))


def _authority_name(session: Any, authority_id: int) -> str:
    authority = session.get(ContractingAuthority, authority_id)
    return localized(authority, "name") if authority else ""


def _dossier_page(template: str, dossier: Dossier, active_tab: str, **context: Any) -> str:
    """Render a dossier tab with the header and the tab bar."""
    session = get_session()
    return render_template(
        template,
        dossier=dossier,
        authority_name=_authority_name(session, dossier.authority_id),
        tabs=tab_links(dossier.id),
        active_tab=active_tab,
        **context,
    )


def _weights_chart(price: int, rows: Iterable[tuple[str, str, int]]) -> dict[str, Any]:
    """Bars of the award weights for the SVG chart (widths in percent of the 100 points)."""
    bars = [{"key": "price", "label": _("Price"), "title": _("Price"), "weight": price}]
    bars += [{"key": code, "label": code, "title": title, "weight": w} for code, title, w in rows]
    total = sum(b["weight"] for b in bars)
    scale = max(total, 100)
    offset = 0.0
    for index, bar in enumerate(bars):
        bar["x"] = round(offset * 100 / scale, 3)
        bar["width"] = round(bar["weight"] * 100 / scale, 3)
        bar["tone"] = "price" if index == 0 else f"c{(index - 1) % 6}"
        offset += bar["weight"]
    return {"bars": bars, "total": total, "ok": total == 100}


def _whole(value: Any) -> int:
    """A weight as the form holds it (int, digits or anything else) as a whole number."""
    try:
        return int(str(value).strip()) if value is not None else 0
    except ValueError:
        return 0


def _cpv_rows(dossier: Dossier, lang: str) -> list[tuple[str, str]]:
    return [(code, cpv_label(code, lang)) for code in [dossier.main_cpv, *dossier.additional_cpv]]


# ------------------------------------------------------------------------------------------------
# The list and the dossier form


@bp.get("/")
@access(Permission.manage_dossiers)
def index():  # type: ignore[no-untyped-def]
    session = get_session()
    query = request.args.get("q", "")[:100]
    page = services.list_dossiers(
        session,
        actor=current_user,
        page=request.args.get("page"),
        size=current_app.config["PAGE_SIZE"],
        query=query,
    )
    return render_template(
        "tenders/index.html",
        page=page,
        query=query,
        generation_titles=GENERATION_TITLES,
        kind_labels=_kind_labels(),
        is_coordinator=services.is_coordinator(current_user),
        can_templates=can(current_user, Permission.manage_templates),
    )


@bp.route("/new", methods=["GET", "POST"])
@access(Permission.manage_dossiers)
def create():  # type: ignore[no-untyped-def]
    session = get_session()
    initial = None
    if request.method == "GET":
        initial = {
            "contract_type": ContractType.services.value,
            "procedure": IntendedProcedure.open.value,
            "language": DocumentLanguage.both.value,
        }
    form = DossierForm(data=initial)
    _dossier_choices(form, session)
    if form.validate_on_submit():
        authority_id = None
        if services.is_coordinator(current_user):
            authority_id = parse_id(form.authority.data)
        try:
            dossier = services.create_dossier(
                session,
                actor=current_user,
                data=form.data_for_service(),
                authority_id=authority_id,
            )
        except ValidationError as exc:
            session.rollback()
            apply_errors(form, exc)
        else:
            session.commit()
            flash(
                _("The dossier is created. Its mandatory base criteria are already selected."),
                "success",
            )
            return redirect(url_for("tenders.clauses", dossier_id=dossier.id))
    return render_template(
        "tenders/dossier_form.html",
        form=form,
        dossier=None,
        is_coordinator=services.is_coordinator(current_user),
    )


@bp.route("/<int:dossier_id>/edit", methods=["GET", "POST"])
@access(Permission.manage_dossiers)
def edit(dossier_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    dossier = services.get_dossier(session, actor=current_user, dossier_id=dossier_id)
    initial = None
    if request.method == "GET":
        category = session.get(ProcurementCategory, dossier.category_id)
        initial = {
            "title": dossier.title,
            "subject": dossier.subject,
            "title_nl": dossier.title_nl,
            "subject_nl": dossier.subject_nl,
            "category": category.code,
            "main_cpv": dossier.main_cpv,
            "additional_cpv": [*dossier.additional_cpv, "", ""],
            "estimated_value": f"{dossier.estimated_value:f}",
            "contract_type": dossier.contract_type.value,
            "procedure": dossier.procedure.value,
            "language": dossier.language.value,
            "publication_date": (
                dossier.publication_date.isoformat() if dossier.publication_date else ""
            ),
            "reference": dossier.reference or "",
            "lock_version": str(dossier.lock_version),
        }
    form = DossierForm(data=initial)
    _dossier_choices(form, session)
    if form.validate_on_submit():
        try:
            services.update_dossier(
                session,
                actor=current_user,
                dossier_id=dossier.id,
                data=form.data_for_service(),
                lock_version=form.lock_version.data,
            )
        except ValidationError as exc:
            session.rollback()
            apply_errors(form, exc)
        else:
            session.commit()
            flash(_("The dossier is saved."), "success")
            return redirect(url_for("tenders.overview", dossier_id=dossier.id))
    return _dossier_page(
        "tenders/dossier_form.html", dossier, "overview", form=form, is_coordinator=False
    )


# ------------------------------------------------------------------------------------------------
# The dossier tabs


@bp.get("/<int:dossier_id>")
@access(Permission.manage_dossiers)
def overview(dossier_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    dossier = services.get_dossier(session, actor=current_user, dossier_id=dossier_id)
    board = services.build_board(session, dossier, with_diffs=False)
    lang = current_lang()
    category = session.get(ProcurementCategory, dossier.category_id)
    counts = [
        (
            services.PLACEMENT_GROUP_TITLES[key],
            sum(1 for i in items if i.selection is not None and i.selection.is_included),
            sum(1 for i in items if not i.is_included and i.is_mandatory),
        )
        for key, items in board.groups
    ]
    documents = services.list_documents(session, dossier)[:5]
    weights = _weights_chart(
        board.price_weight,
        [(i.code, i.version.text("title", lang), w) for i, w in board.award_weights],
    )
    return _dossier_page(
        "tenders/overview.html",
        dossier,
        "overview",
        category=category,
        cpv_rows=_cpv_rows(dossier, lang),
        counts=counts,
        board=board,
        problems=services.board_problems(board) + services.lot_problems(session, dossier),
        lot_warnings=services.lot_warnings(session, dossier),
        procedure_warnings=services.procedure_warnings(session, dossier),
        language_warnings=services.language_warnings(dossier),
        weights=weights,
        documents=documents,
        kind_labels=_kind_labels(),
        generation=services.generation_status(dossier, documents[0] if documents else None),
        generation_titles=GENERATION_TITLES,
        contract_type_title=CONTRACT_TYPE_TITLES[dossier.contract_type],
        lang=lang,
        users=services.rows_by_id(
            session, User, {dossier.created_by_id, dossier.updated_by_id} - {None}
        ),
    )


def _preview(item: services.BoardItem, lang: str) -> list[str]:
    """The clause text in the page's language, filled with the stored values."""
    try:
        texts = clause_services.render_texts(item.version, item.values, langs=(lang,))
    except ValidationError:
        texts = clause_services.render_texts(item.version, {}, langs=(lang,))
    from portal.clauses.rendering import paragraphs

    return paragraphs(texts[lang])


def _guidance(item: services.BoardItem, lang: str) -> dict[str, Any]:
    guidance = item.version.guidance or {}

    def text(key: str) -> str:
        value = guidance.get(key)
        if isinstance(value, dict):
            return value.get(lang) or value.get("fr") or ""
        return ""

    readiness = guidance.get("market_readiness")
    cost = guidance.get("cost_effect")
    return {
        "when_to_use": text("when_to_use"),
        "market": text("market"),
        "cost": text("cost"),
        "pitfalls": text("pitfalls"),
        "readiness": MarketReadiness(readiness).title
        if readiness in MarketReadiness.__members__
        else "",
        "cost_effect": CostEffect(cost).title if cost in CostEffect.__members__ else "",
    }


def _diff_sections(diffs: list[Any]) -> list[tuple[Any, list[Any]]]:
    """Changed fields grouped per language: settings first, then French, Dutch, English."""
    sections = []
    for lang in (None, "fr", "nl", "en"):
        rows = [d for d in diffs if d.lang == lang]
        if rows:
            title = LANGUAGE_TITLES[lang] if lang else _("Classification and settings")
            sections.append((lang, title, rows))
    return sections


@bp.route("/<int:dossier_id>/clauses", methods=["GET", "POST"])
@access(Permission.manage_dossiers)
def clauses(dossier_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    lang = current_lang()
    board = services.clause_board(session, actor=current_user, dossier_id=dossier_id)
    dossier = board.dossier
    errors: dict[str, list[str]] = {}
    submitted = None
    price_value: Any = dossier.price_weight
    if request.method == "POST":
        params = {i.code: list(i.version.parameters or []) for i in board.items}
        picked = read_choices(request.form, [i.code for i in board.items], params)
        try:
            result = services.save_selection(
                session,
                actor=current_user,
                dossier_id=dossier.id,
                lock_version=request.form.get("lock_version"),
                price_weight=request.form.get("price_weight"),
                choices=picked,
            )
        except ValidationError as exc:
            session.rollback()
            errors = {k: [str(m) for m in v] for k, v in exc.errors.items()}
            submitted = request.form
            price_value = request.form.get("price_weight", "")
            board = services.clause_board(session, actor=current_user, dossier_id=dossier_id)
        else:
            session.commit()
            if result.changed:
                flash(_("The clause selection is saved."), "success")
            else:
                flash(_("Nothing changed."), "info")
            if not result.weights_ok:
                flash(
                    _(
                        "The award weights total %(total)s, not 100. Documents can be "
                        "generated once price and criteria total 100.",
                        total=result.weights_total,
                    ),
                    "warning",
                )
            return redirect(url_for("tenders.clauses", dossier_id=dossier.id))
    groups = []
    for key, items in board.groups:
        rows = []
        for item in items:
            included = item.is_included
            if submitted is not None and services.field_name(item.code, "version") in submitted:
                included = submitted.get(services.field_name(item.code, "include")) == "1"
            weight = item.weight
            justification = item.selection.removal_justification if item.selection else ""
            if submitted is not None:
                weight = submitted.get(services.field_name(item.code, "weight"), weight)
                justification = submitted.get(
                    services.field_name(item.code, "justification"), justification
                )
            rows.append(
                {
                    "item": item,
                    "title": item.version.text("title", lang) or item.version.text("title", "fr"),
                    "preview": _preview(item, lang),
                    "guidance": _guidance(item, lang),
                    "fields": param_fields(
                        item.code,
                        list(item.version.parameters or []),
                        item.values,
                        lang,
                        submitted=submitted,
                        errors=errors,
                    ),
                    "included": included,
                    "weight": weight,
                    "justification": justification,
                    "errors": {
                        part: errors.get(services.field_name(item.code, part), [])
                        for part in ("weight", "justification")
                    },
                    "diff_sections": _diff_sections(item.upgrade.diffs) if item.upgrade else [],
                }
            )
        groups.append((key, services.PLACEMENT_GROUP_TITLES[key], rows))
    weights = _weights_chart(
        board.price_weight,
        [(i.code, i.version.text("title", lang), w) for i, w in board.award_weights],
    )
    # What the form shows adds up to this (the chart shows the saved weights): an undecided
    # mandatory criterion is shown chosen with its suggested weight, and a form sent back with
    # errors keeps the values typed. The script of the page updates the same total live.
    form_total = _whole(price_value) + sum(
        _whole(row["weight"])
        for _key, _title, rows in groups
        for row in rows
        if row["included"] and row["item"].is_award
    )
    summary = [
        (anchor, message)
        for name, messages in errors.items()
        for anchor, message in _summary_lines(name, messages, groups)
    ]
    return _dossier_page(
        "tenders/clauses.html",
        dossier,
        "clauses",
        groups=groups,
        board=board,
        weights=weights,
        form_total=form_total,
        price_value=price_value,
        price_errors=errors.get("price_weight", []),
        form_errors=errors.get("", []),
        summary=summary,
        field_name=services.field_name,
        clause_url=_clause_url,
    )


CLAUSE_PART_TITLES = {
    "weight": _l("Weight"),
    "justification": _l("Justification of the removal"),
    "include": _l("Included"),
    "version": _l("Version"),
}


def _summary_lines(name: str, messages: list[str], groups: list[Any]) -> list[tuple[str, str]]:
    """The error summary's lines for one field: which clause (code and title) and which of its
    parameters or parts the message is about, linked to the field."""
    if name == "price_weight":
        return [(name, f"{_('Weight of the price')}{colon()}{m}") for m in messages]
    matches = [
        row
        for _key, _title, rows in groups
        for row in rows
        if name.startswith(services.field_name(row["item"].code, ""))
    ]
    if not matches:
        return [(name, message) for message in messages]
    # The longest code wins, should one code begin another one's field names.
    row = max(matches, key=lambda r: len(r["item"].code))
    code = row["item"].code
    part = name[len(services.field_name(code, "")) :]
    anchor = name
    label: Any = CLAUSE_PART_TITLES.get(part)
    for f in row["fields"]:
        if f.name == name:
            label, anchor = f.label, f.id
    if part in ("include", "version") or label is None:
        anchor = f"clause-{code}"
    where = f"{code} – {row['title']}"
    if label:
        where = f"{where}, {label}"
    return [(anchor, f"{where}{colon()}{message}") for message in messages]


@bp.route("/<int:dossier_id>/clauses/<code>/upgrade", methods=["GET", "POST"])
@access(Permission.manage_dossiers)
def upgrade(dossier_id: int, code: str):  # type: ignore[no-untyped-def]
    session = get_session()
    if request.method == "POST":
        try:
            report = services.upgrade_clause(
                session,
                actor=current_user,
                dossier_id=dossier_id,
                code=code,
                lock_version=request.form.get("lock_version"),
            )
        except ValidationError as exc:
            session.rollback()
            for messages in exc.errors.values():
                for message in messages:
                    flash(str(message), "warning")
            return redirect(url_for("tenders.clauses", dossier_id=dossier_id))
        session.commit()
        flash(
            _(
                "Clause %(code)s now uses version %(new)s (it used version %(old)s).",
                code=report.code,
                new=report.new_number,
                old=report.old_number,
            ),
            "success",
        )
        for dropped in report.dropped:
            flash(
                _(
                    "The value “%(value)s” of parameter “%(name)s” was not kept: %(reason)s "
                    "The default of the new version applies; check it on the clauses page.",
                    value=dropped.value
                    if not isinstance(dropped.value, list)
                    else ", ".join(str(v) for v in dropped.value),
                    name=dropped.name,
                    reason=dropped.reason,
                ),
                "warning",
            )
        if report.weight_note is not None:
            flash(str(report.weight_note), "warning")
        return redirect(
            url_for("tenders.clauses", dossier_id=dossier_id, _anchor=f"clause-{report.code}")
        )
    dossier, item = services.upgrade_preview(
        session, actor=current_user, dossier_id=dossier_id, code=code
    )
    lang = current_lang()
    return _dossier_page(
        "tenders/upgrade.html",
        dossier,
        "clauses",
        item=item,
        title=item.version.text("title", lang),
        diff_sections=_diff_sections(item.upgrade.diffs) if item.upgrade else [],
    )


@bp.route("/<int:dossier_id>/documents", methods=["GET", "POST"])
@access(Permission.manage_dossiers)
def documents(dossier_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    dossier = services.get_dossier(session, actor=current_user, dossier_id=dossier_id)
    form = GenerateForm()
    form.kind.choices = choices(_kind_choices())
    form.lang.choices = choices((lang.value, lang.title) for lang in DocumentLanguage)
    templates = services.templates_for_dossier(session, dossier)
    kind_labels = _kind_labels()
    form.template.choices = choices(
        [("", _("Clausier (built-in)"))]
        + [
            (
                str(t.id),
                _(
                    "%(name)s, version %(version)s (%(kind)s)",
                    name=t.name,
                    version=t.version,
                    kind=kind_labels.get(t.kind, t.kind),
                ),
            )
            for t in templates
        ]
    )
    if request.method == "GET":
        form.kind.data = builtin.COMPLETE.key
        form.lang.data = dossier.language.value
        form.template.data = ""
    generated = []
    if form.validate_on_submit():
        template_id = None
        if form.template.data:
            template_id = parse_id(form.template.data) or -1  # -1: no such template
        try:
            lang_choice = DocumentLanguage(form.lang.data or "")
        except ValueError:
            lang_choice = None
        try:
            if lang_choice is None:
                raise ValidationError.single("lang", _l("Choose French, Dutch or both."))
            generated = services.generate_documents(
                session,
                actor=current_user,
                dossier_id=dossier.id,
                kind=form.kind.data or "",
                langs=lang_choice.langs,
                template_id=template_id,
            )
        except ValidationError as exc:
            session.rollback()
            apply_errors(form, exc)
        else:
            session.commit()
            fresh = [d for d in generated if not generated.is_unchanged(d)]
            if fresh:
                flash(
                    ngettext(
                        "The document is generated: download it below.",
                        "%(num)d documents are generated (one per language): download them below.",
                        len(fresh),
                    ),
                    "success",
                )
            for document in generated:
                if generated.is_unchanged(document):
                    flash(_unchanged_message(document), "info")
            return redirect(url_for("tenders.documents", dossier_id=dossier.id))
    history = services.list_documents(session, dossier)
    problems = services.generation_problems(session, dossier)
    return _dossier_page(
        "tenders/documents.html",
        dossier,
        "documents",
        form=form,
        history=history,
        problems=problems,
        lot_warnings=services.lot_warnings(session, dossier),
        procedure_warnings=services.procedure_warnings(session, dossier),
        language_warnings=services.language_warnings(dossier),
        kind_labels=kind_labels,
        pdf=_pdf_enabled(),
        help_url=_help_url(),
        status=lambda doc: (
            "current" if doc.dossier_revision == dossier.lock_version else "outdated"
        ),
        generation_titles=GENERATION_TITLES,
        language_titles={"fr": _("French"), "nl": _("Dutch")},
    )


def _unchanged_message(document: Any) -> str:
    """Tell the buyer that a generation gave the file already stored (not stored again)."""
    when = format_datetime(document.created_at, "short")
    if document.lang == "nl":
        return _(
            "The Dutch document is unchanged: it is the same file (same checksum) as the one "
            "generated on %(when)s, so it was not stored again. Download it below.",
            when=when,
        )
    return _(
        "The French document is unchanged: it is the same file (same checksum) as the one "
        "generated on %(when)s, so it was not stored again. Download it below.",
        when=when,
    )


@bp.get("/<int:dossier_id>/documents/<int:document_id>")
@access(Permission.manage_dossiers)
def download(dossier_id: int, document_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    document = services.get_document(
        session, actor=current_user, dossier_id=dossier_id, document_id=document_id
    )
    response = send_file(
        io.BytesIO(document.content),
        mimetype=DOCX_MIMETYPE,
        as_attachment=True,
        download_name=document.filename,
        etag=document.sha256,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<int:dossier_id>/documents/<int:document_id>/pdf")
@access(Permission.manage_dossiers)
def pdf(dossier_id: int, document_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    # Object-level check first: another authority's document is a 404 whatever the server has.
    services.get_document(
        session, actor=current_user, dossier_id=dossier_id, document_id=document_id
    )
    if not _pdf_enabled():
        abort(404, _("PDF export is not available on this server. Download the Word document."))
    try:
        document, data = services.document_pdf(
            session,
            actor=current_user,
            dossier_id=dossier_id,
            document_id=document_id,
            libreoffice=_libreoffice(),
        )
    except PdfConversionError as exc:
        flash(str(exc.message), "error")
        return redirect(url_for("tenders.documents", dossier_id=dossier_id))
    response = send_file(
        io.BytesIO(data),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=document.filename.rsplit(".", 1)[0] + ".pdf",
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


#: Fields of the history shown as amounts in euro, and as dates, in the reader's locale.
MONEY_FIELDS = frozenset({"estimated_value"})
DATE_FIELDS = frozenset({"publication_date"})


def _history_value(session: Any, name: str, value: Any, lang: str) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if name == "category_id":
        category = session.get(ProcurementCategory, value)
        return localized(category, "name", lang) if category else str(value)
    if name == "contract_type" and value in ContractType.__members__:
        return str(CONTRACT_TYPE_TITLES[ContractType(value)])
    if name == "procedure" and value in IntendedProcedure.__members__:
        return IntendedProcedure(value).title
    if name == "language" and value in DocumentLanguage.__members__:
        return DocumentLanguage(value).title
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name in MONEY_FIELDS:
        try:
            return format_money(Decimal(str(value)))
        except (ArithmeticError, ValueError):
            return str(value)
    if name in DATE_FIELDS:
        try:
            day = value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError:
            return str(value)
        return format_date(day, "long")
    if isinstance(value, dict):
        return "; ".join(
            f"{k}{colon(lang)}{_history_value(session, k, v, lang)}" for k, v in value.items()
        )
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _clause_parameters(
    session: Any, cache: dict[tuple[str, Any], dict[str, Any]], code: Any, number: Any
) -> dict[str, Any]:
    """The parameter definitions of a clause version, by name (empty if it cannot be found)."""
    key = (str(code), number)
    if key not in cache:
        try:
            version = clause_services.get_version(session, str(code), int(number))
        except (NotFound, TypeError, ValueError):
            cache[key] = {}
        else:
            cache[key] = {p["name"]: p for p in version.parameters or []}
    return cache[key]


def _format_values(session: Any, values: Any, parameters: dict[str, Any], lang: str) -> str:
    """Parameter values as the buyer chose them: labels and formatted values in ``lang``."""
    if not isinstance(values, dict) or not values:
        return "—"
    sep = colon(lang)
    parts = []
    for name, value in values.items():
        definition = parameters.get(name)
        if definition is None:
            parts.append(f"{name}{sep}{_history_value(session, name, value, lang)}")
            continue
        label = (definition.get("label") or {}).get(lang) or name
        try:
            text = format_value(definition, value, lang)
        except (KeyError, TypeError, ValueError, ArithmeticError):
            text = _history_value(session, name, value, lang)
        parts.append(f"{label}{sep}{text}")
    return "; ".join(parts)


@bp.get("/<int:dossier_id>/history")
@access(Permission.manage_dossiers)
def history(dossier_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    dossier = services.get_dossier(session, actor=current_user, dossier_id=dossier_id)
    entries = services.dossier_history(session, actor=current_user, dossier_id=dossier.id)
    lang = current_lang()
    kind_labels = _kind_labels()
    rows = []
    cache: dict[tuple[str, Any], dict[str, Any]] = {}
    for entry in entries:
        data = entry.data
        code = data.get("code")
        raw_changes = data.get("changes") or {}
        versions = raw_changes.get("version")
        if isinstance(versions, list) and len(versions) == 2:
            old_number, new_number = versions
        else:
            old_number = new_number = data.get("version")
        changes = []
        for name, pair in raw_changes.items():
            if not (isinstance(pair, list) and len(pair) == 2):
                continue
            if name == "values" and code:
                old_text = _format_values(
                    session, pair[0], _clause_parameters(session, cache, code, old_number), lang
                )
                new_text = _format_values(
                    session, pair[1], _clause_parameters(session, cache, code, new_number), lang
                )
            else:
                old_text = _history_value(session, name, pair[0], lang)
                new_text = _history_value(session, name, pair[1], lang)
            changes.append(
                {"field": FIELD_TITLES.get(name, name), "old": old_text, "new": new_text}
            )
        rows.append(
            {
                "entry": entry,
                "title": ACTION_TITLES.get(entry.action, entry.action),
                "code": data.get("code"),
                "version": data.get("version"),
                "mandatory": data.get("mandatory"),
                "justification": data.get("justification"),
                "dropped": data.get("dropped") or [],
                "parameter_text": _format_values(
                    session,
                    data["values"],
                    _clause_parameters(session, cache, code, data.get("version")),
                    lang,
                )
                if data.get("values") and code
                else "",
                "weight": data.get("weight"),
                "document": {
                    "kind": kind_labels.get(data.get("kind"), data.get("kind")),
                    "lang": data.get("lang"),
                    "sha256": data.get("sha256"),
                }
                if entry.action == "dossier.document.generated"
                else None,
                "changes": changes,
            }
        )
    return _dossier_page("tenders/history.html", dossier, "history", rows=rows)


# ------------------------------------------------------------------------------------------------
# The authority's templates


@bp.route("/templates", methods=["GET", "POST"])
@access(Permission.manage_templates)
def templates():  # type: ignore[no-untyped-def]
    session = get_session()
    form = TemplateUploadForm()
    form.kind.choices = choices(_kind_choices())
    coordinator = services.is_coordinator(current_user)
    lang = current_lang()
    authorities = {}
    if coordinator:
        authorities = {a.id: localized(a, "name", lang) for a in _authorities(session)}
        form.authority.choices = choices(
            [("", _("Choose the contracting authority"))]
            + [(str(i), name) for i, name in authorities.items()]
        )
    if request.method == "GET":
        form.kind.data = builtin.COMPLETE.key
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read() if upload is not None and hasattr(upload, "read") else b""
        filename = getattr(upload, "filename", "") or ""
        authority_id = None
        if coordinator:
            authority_id = parse_id(form.authority.data)
        try:
            template = services.upload_template(
                session,
                actor=current_user,
                name=form.name.data or "",
                kind=form.kind.data or "",
                filename=filename,
                data=data,
                max_bytes=current_app.config["TEMPLATE_UPLOAD_MAX_BYTES"],
                authority_id=authority_id,
            )
        except ValidationError as exc:
            session.rollback()
            apply_errors(form, exc)
        else:
            session.commit()
            flash(
                _(
                    "The template “%(name)s” is accepted as version %(version)s. Your "
                    "authority's buyers can now choose it when they generate a document.",
                    name=template.name,
                    version=template.version,
                ),
                "success",
            )
            return redirect(url_for("tenders.templates"))
    listed = services.list_templates(session, actor=current_user)
    if not coordinator:
        authorities = {
            current_user.authority_id: _authority_name(session, current_user.authority_id)
        }
    elif listed:
        authorities = {**authorities}
    uploaders = services.rows_by_id(session, User, {t.uploaded_by_id for t in listed} - {None})
    return render_template(
        "tenders/templates.html",
        form=form,
        templates=listed,
        authorities=authorities,
        uploaders=uploaders,
        kind_labels=_kind_labels(),
        help_url=_help_url(),
        is_coordinator=coordinator,
        max_megabytes=current_app.config["TEMPLATE_UPLOAD_MAX_BYTES"] / (1024 * 1024),
    )


@bp.post("/templates/<int:template_id>/active")
@access(Permission.manage_templates)
def template_active(template_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    wanted = request.form.get("active")
    if wanted not in ("0", "1"):
        abort(400)
    template = services.set_template_active(
        session, actor=current_user, template_id=template_id, active=wanted == "1"
    )
    session.commit()
    if template.is_active:
        flash(
            _(
                "Buyers can now choose “%(name)s”, version %(v)s.",
                name=template.name,
                v=template.version,
            ),
            "success",
        )
    else:
        flash(
            _(
                "“%(name)s”, version %(v)s, is no longer offered to buyers.",
                name=template.name,
                v=template.version,
            ),
            "info",
        )
    return redirect(url_for("tenders.templates"))


@bp.get("/templates/<int:template_id>/file")
@access(Permission.manage_templates)
def template_file(template_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    template = services.get_template(session, actor=current_user, template_id=template_id)
    response = send_file(
        io.BytesIO(template.content),
        mimetype=DOCX_MIMETYPE,
        as_attachment=True,
        download_name=template.filename,
        etag=template.sha256,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
