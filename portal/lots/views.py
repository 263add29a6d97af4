"""Pages of the lot-split advisor: the dossier's "Lots" tab (items, options, saved plan), the
item form and import, the comparison of proposals, the lot editor with live checks, the OCDS
export, the public help page and the coordinator's thresholds.

Views are thin: they read a form, call one service, commit, then redirect or render. Another
authority's dossier is a NotFound raised by the services.
"""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from portal.accounts.permissions import PUBLIC, Permission, access
from portal.db import get_session
from portal.errors import NotFound, ValidationError
from portal.forms import apply_errors
from portal.i18n import _, _l, current_lang, format_number, localized, ngettext
from portal.lots import forms, messages, presenters, services
from portal.lots.advisor import DEFAULT_TARGET_LOT_SIZE, EXACT_LIMIT, FieldError, Strategy
from portal.lots.importing import EXAMPLE_HEADERS, example_rows, to_csv, to_xlsx
from portal.lots.rules import (
    ART_AGGREGATION,
    ART_COMBINED,
    ART_COORDINATION,
    ART_DIVIDE,
    ART_MAX_LOTS,
    ART_SMALL_LOTS,
    ART_TURNOVER,
    SMALL_LOT_LIMITS,
    ContractType,
)
from portal.pagination import page_number
from portal.reference.models import ContractingAuthority
from portal.tenders.models import Dossier
from portal.tenders.services import brussels_today
from portal.tenders.tabs import Tab, register_tab, tab_links

bp = Blueprint("lots", __name__, template_folder="templates")

register_tab(Tab("lots", _l("Lots"), "lots.dossier_lots"), after="clauses")

#: How the dossier's history words the lots' audit actions.
ACTION_TITLES = {
    "lots.item.created": _l("Item added"),
    "lots.item.updated": _l("Item changed"),
    "lots.item.deleted": _l("Item removed"),
    "lots.items.imported": _l("Items imported"),
    "lots.options.updated": _l("Lot options changed"),
    "lots.plan.saved": _l("Lot plan saved"),
}


#: How the dossier's history names the fields of the lots' changes.
FIELD_TITLES = {
    "description": _l("Description"),
    "cpv": _l("CPV code"),
    "value": _l("Value"),
    "quantity": _l("Quantity"),
    "unit": _l("Unit"),
    "municipality": _l("Municipality"),
    "site": _l("Site"),
    "period_start": _l("Start of the item's own period"),
    "period_end": _l("End of the item's own period"),
    "divide": _l("Divide the contract into lots"),
    "max_lots_bid": _l("Most lots one tenderer may bid for"),
    "max_lots_awarded": _l("Most lots one tenderer may be awarded"),
    "combined_bids": _l("Allow combined bids for several lots"),
    "coordination_lot": _l("Add a coordination lot"),
    "coordination_value": _l("Estimated value of the coordination lot (EUR)"),
    "target_lot_size": _l("Target lot size (yearly value, EUR)"),
    "duration_months": _l("Duration of the contract (months)"),
    "annex_xiv_services": _l("Social and other specific services (Annex XIV, light regime)"),
    "turnover_requirement": _l("Minimum yearly turnover you intend to require (EUR)"),
}


def _register_history_titles() -> None:
    # The tender builder's history tab words audit actions and changed fields through its
    # ACTION_TITLES and FIELD_TITLES mappings; add the lots' own, never replacing theirs.
    try:
        from portal.tenders import views as tender_views
    except ImportError:  # pragma: no cover - the tender builder is always installed
        return
    for name, ours in (("ACTION_TITLES", ACTION_TITLES), ("FIELD_TITLES", FIELD_TITLES)):
        theirs = getattr(tender_views, name, None)
        if isinstance(theirs, dict):
            for key, title in ours.items():
                theirs.setdefault(key, title)


_register_history_titles()

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Items shown per page on the Lots tab.
ITEMS_PER_PAGE = 100
#: The demo CSV: Ixelles' 40 cleaning items, with French headers (loaded by the demo too).
DEMO_CSV = "ixelles-cleaning-items.csv"


def _authority_name(dossier: Dossier) -> str:
    authority = get_session().get(ContractingAuthority, dossier.authority_id)
    return localized(authority, "name") if authority else ""


def _page(template: str, dossier: Dossier, status: int = 200, **context: Any) -> Any:
    """Render a page of the dossier's Lots tab inside the dossier header and tabs."""
    page = render_template(
        template,
        dossier=dossier,
        authority_name=_authority_name(dossier),
        tabs=tab_links(dossier.id),
        active_tab="lots",
        langs=dossier.language.langs,
        language_names=LANGUAGE_NAMES,
        **context,
    )
    return page, status


LANGUAGE_NAMES = {"fr": _l("French"), "nl": _l("Dutch"), "en": _l("English")}


def _form_data() -> dict[str, Any]:
    return {key: request.form.get(key) for key in request.form}


# ------------------------------------------------------------------------------------------------
# The Lots tab


def _options_form(options: Any) -> forms.OptionsForm:
    form = forms.OptionsForm(formdata=None)
    form.divide.data = options.divide
    form.combined_bids.data = options.combined_bids
    form.coordination_lot.data = options.coordination_lot
    form.annex_xiv_services.data = options.annex_xiv_services
    for name in ("max_lots_bid", "max_lots_awarded", "duration_months"):
        value = getattr(options, name)
        getattr(form, name).data = "" if value is None else str(value)
    for name in ("coordination_value", "target_lot_size", "turnover_requirement"):
        value = getattr(options, name)
        getattr(form, name).data = "" if value is None else format_number(value)
    return form


def _plan_view(space: services.Workspace, state: services.PlanState) -> dict[str, Any] | None:
    if state.plan is None:
        return None
    lang = current_lang()
    view: dict[str, Any] = {
        "plan": state.plan,
        "strategy": str(messages.STRATEGY_LABELS[state.plan.strategy]),
        "problems": [str(p) for p in state.problems],
        "lots": [],
        "proposal": None,
    }
    if state.proposal is None:
        return view
    used = {item.lot_id for item in space.items}
    titles = [lot for lot in state.lots if lot.id in used]
    proposal = presenters.proposal_view(state.proposal, 0, space, lang)
    if state.plan.is_divided:
        for lot_view, plan_lot in zip(proposal["lots"], titles, strict=False):
            names = plan_lot.title or {}
            title = names.get(lang) or next(iter(names.values()), "")
            if title:
                lot_view["title"] = title
    view["proposal"] = proposal
    return view


def _render_lots_tab(
    space: services.Workspace,
    *,
    options_form: forms.OptionsForm | None = None,
    status: int = 200,
) -> Any:
    session = get_session()
    state = services.plan_state(session, space)
    lang = current_lang()
    page = page_number(request.args.get("page"))
    start = (page - 1) * ITEMS_PER_PAGE
    shown = space.items[start : start + ITEMS_PER_PAGE]
    lot_numbers: dict[int, int] = {}
    if state.proposal is not None and state.plan is not None and state.plan.is_divided:
        by_key = {key: lot.number for lot in state.proposal.lots for key in lot.item_ids}
        lot_numbers = {
            item.id: by_key[services.item_key(item)]
            for item in space.items
            if services.item_key(item) in by_key
        }
    total = sum((item.value for item in space.items), Decimal(0))
    return _page(
        "lots/dossier_lots.html",
        space.dossier,
        status,
        items=[
            {
                "item": item,
                "place": presenters.place_text(item, lang),
                "lot": lot_numbers.get(item.id),
            }
            for item in shown
        ],
        item_count=len(space.items),
        total=total,
        page=page,
        pages=max(1, -(-len(space.items) // ITEMS_PER_PAGE)),
        options_form=options_form or _options_form(space.options),
        plan=_plan_view(space, state),
        services_contract=space.dossier.contract_type is ContractType.services,
        publication_day=services.publication_day(space.dossier),
        default_target=DEFAULT_TARGET_LOT_SIZE,
    )


@bp.get("/tenders/<int:dossier_id>/lots")
@access(Permission.manage_dossiers)
def dossier_lots(dossier_id: int):  # type: ignore[no-untyped-def]
    space = services.workspace(get_session(), actor=current_user, dossier_id=dossier_id)
    return _render_lots_tab(space)


@bp.post("/tenders/<int:dossier_id>/lots/options")
@access(Permission.manage_dossiers)
def save_options(dossier_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    data = _form_data()
    try:
        services.save_options(
            session, actor=current_user, dossier_id=dossier_id, data=data, lang=current_lang()
        )
    except ValidationError as exc:
        session.rollback()
        space = services.workspace(session, actor=current_user, dossier_id=dossier_id)
        form = forms.OptionsForm()
        apply_errors(form, exc)
        return _render_lots_tab(space, options_form=form, status=400)
    session.commit()
    flash(_("The lot options are saved."), "success")
    return redirect(url_for("lots.dossier_lots", dossier_id=dossier_id, _anchor="options"))


# ------------------------------------------------------------------------------------------------
# Items


def _item_form(item: Any = None) -> forms.ItemForm:
    form = forms.ItemForm(formdata=request.form if request.method == "POST" else None)
    form.set_municipalities(current_lang())
    if item is not None and request.method != "POST":
        form.description.data = item.description
        form.cpv.data = item.cpv
        form.value.data = format_number(item.value, 2)
        form.quantity.data = format_number(item.quantity)
        form.unit.data = item.unit
        form.municipality.data = item.municipality or ""
        form.site.data = item.site or ""
        form.period_start.data = item.period_start.isoformat() if item.period_start else ""
        form.period_end.data = item.period_end.isoformat() if item.period_end else ""
    return form


@bp.route("/tenders/<int:dossier_id>/lots/items/new", methods=["GET", "POST"])
@access(Permission.manage_dossiers)
def item_new(dossier_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    dossier = services.get_dossier(session, actor=current_user, dossier_id=dossier_id)
    form = _item_form()
    status = 200
    if request.method == "POST":
        try:
            services.add_item(
                session,
                actor=current_user,
                dossier_id=dossier.id,
                data=_form_data(),
                lang=current_lang(),
            )
        except ValidationError as exc:
            session.rollback()
            apply_errors(form, exc)
            status = 400
        else:
            session.commit()
            flash(_("The item is added."), "success")
            if request.form.get("again"):
                return redirect(url_for("lots.item_new", dossier_id=dossier.id))
            return redirect(url_for("lots.dossier_lots", dossier_id=dossier.id, _anchor="items"))
    return _page("lots/item_form.html", dossier, status, form=form, item=None)


@bp.route("/tenders/<int:dossier_id>/lots/items/<int:item_id>", methods=["GET", "POST"])
@access(Permission.manage_dossiers)
def item_edit(dossier_id: int, item_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    dossier = services.get_dossier(session, actor=current_user, dossier_id=dossier_id)
    item = services.get_item(session, dossier, item_id)
    form = _item_form(item)
    status = 200
    if request.method == "POST":
        try:
            services.update_item(
                session,
                actor=current_user,
                dossier_id=dossier.id,
                item_id=item.id,
                data=_form_data(),
                lang=current_lang(),
            )
        except ValidationError as exc:
            session.rollback()
            apply_errors(form, exc)
            status = 400
        else:
            session.commit()
            flash(_("The item is saved."), "success")
            return redirect(url_for("lots.dossier_lots", dossier_id=dossier.id, _anchor="items"))
    return _page("lots/item_form.html", dossier, status, form=form, item=item)


@bp.post("/tenders/<int:dossier_id>/lots/items/<int:item_id>/delete")
@access(Permission.manage_dossiers)
def item_delete(dossier_id: int, item_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    services.delete_item(session, actor=current_user, dossier_id=dossier_id, item_id=item_id)
    session.commit()
    flash(_("The item is removed."), "success")
    return redirect(url_for("lots.dossier_lots", dossier_id=dossier_id, _anchor="items"))


def _file_message(error: Any) -> str:
    return messages.import_file_message(error.code, dict(error.params))


@bp.route("/tenders/<int:dossier_id>/lots/import", methods=["GET", "POST"])
@access(Permission.manage_dossiers)
def import_items(dossier_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    dossier = services.get_dossier(session, actor=current_user, dossier_id=dossier_id)
    limit = int(current_app.config["ITEM_IMPORT_MAX_BYTES"])
    form = forms.ImportForm(formdata=None)
    context: dict[str, Any] = {"limit": limit, "report": None, "file_error": None}
    if request.method == "GET":
        return _page("lots/import.html", dossier, form=form, **context)
    if request.content_length is not None and request.content_length > limit + 64 * 1024:
        context["file_error"] = messages.import_file_message("too_large", {"max": limit})
        return _page("lots/import.html", dossier, 413, form=form, **context)
    form = forms.ImportForm()
    upload = request.files.get("file")
    mode = request.form.get("mode", "append")
    form.mode.data = mode if mode in services.IMPORT_MODES else "append"
    if upload is None or not upload.filename:
        context["file_error"] = _("Choose a CSV or XLSX file.")
        return _page("lots/import.html", dossier, 400, form=form, **context)
    content = upload.read(limit + 1)
    if len(content) > limit:
        context["file_error"] = messages.import_file_message("too_large", {"max": limit})
        return _page("lots/import.html", dossier, 413, form=form, **context)
    try:
        created = services.import_items(
            session,
            actor=current_user,
            dossier_id=dossier.id,
            filename=upload.filename,
            content=content,
            mode=form.mode.data,
            lang=current_lang(),
        )
    except services.ImportRejected as exc:
        session.rollback()
        if exc.file_error is not None:
            context["file_error"] = _file_message(exc.file_error)
        else:
            context["report"] = _report(exc.result)
        context["filename"] = upload.filename
        return _page("lots/import.html", dossier, 400, form=form, **context)
    except ValidationError as exc:
        session.rollback()
        context["file_error"] = " ".join(str(m) for msgs in exc.errors.values() for m in msgs)
        return _page("lots/import.html", dossier, 400, form=form, **context)
    session.commit()
    flash(
        ngettext(
            "%(num)d item imported from %(file)s.",
            "%(num)d items imported from %(file)s.",
            len(created),
            file=upload.filename,
        ),
        "success",
    )
    return redirect(url_for("lots.dossier_lots", dossier_id=dossier.id, _anchor="items"))


def _report(result: Any) -> dict[str, Any]:
    rows = [
        {
            "row": problem.row,
            "column": problem.column,
            "message": messages.field_message(
                FieldError(
                    problem.error.field.replace("row.", "items[0]."),
                    problem.error.code,
                    problem.error.params,
                )
            ),
        }
        for problem in result.problems
    ]
    return {
        "rows": rows,
        "more": result.more_problems,
        "bad_rows": len({p.row for p in result.problems}),
        "ignored": result.ignored,
    }


# ------------------------------------------------------------------------------------------------
# Proposals and the editor


@bp.get("/tenders/<int:dossier_id>/lots/proposals")
@access(Permission.manage_dossiers)
def proposals(dossier_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    space = services.workspace(session, actor=current_user, dossier_id=dossier_id)
    try:
        advice = services.advice_for(space)
    except ValidationError as exc:
        for messages_ in exc.errors.values():
            for message in messages_:
                flash(str(message), "error")
        return redirect(url_for("lots.dossier_lots", dossier_id=dossier_id))
    lang = current_lang()
    cards = [
        presenters.proposal_view(p, n, space, lang, recommended=n == advice.recommended)
        for n, p in enumerate(advice.proposals)
    ]
    scale = presenters.chart_scale(cards)
    for card in cards:
        card["chart"] = presenters.bar_chart(card["lots"], scale, f"chart-{card['index']}")
    return _page(
        "lots/proposals.html",
        space.dossier,
        cards=cards,
        advice=advice,
        thresholds=advice.thresholds,
        threshold_label=messages.threshold_label,
        regime_label=messages.regime_label,
        legal_act_text=messages.legal_act_text,
        source_label=messages.source_label,
        item_count=len(space.items),
    )


def _signature(draft: services.Draft) -> str:
    groups = [sorted(lot.items) for lot in draft.lots]
    return hashlib.sha256(json.dumps(groups).encode()).hexdigest()[:24]


def _editor_page(
    space: services.Workspace,
    draft: services.Draft,
    *,
    signature: str,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> Any:
    lang = current_lang()
    langs = space.dossier.language.langs
    proposal = services.assess_for(space, draft.groups())
    editor = presenters.editor_view(draft, proposal, space, lang, langs)
    return _page(
        "lots/editor.html",
        space.dossier,
        status,
        editor=editor,
        signature=signature,
        errors=errors or {},
    )


@bp.route("/tenders/<int:dossier_id>/lots/editor", methods=["GET", "POST"])
@access(Permission.manage_dossiers)
def editor(dossier_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    space = services.workspace(session, actor=current_user, dossier_id=dossier_id)
    langs = space.dossier.language.langs
    try:
        if request.method == "GET":
            draft = _starting_draft(session, space, langs)
            return _editor_page(space, draft, signature=_signature(draft))
        draft, _unplaced = services.draft_from_form(request.form, space, langs)
        signature = request.form.get("signature", "")
        if request.form.get("action") == "save":
            try:
                services.save_plan(
                    session,
                    actor=current_user,
                    dossier_id=space.dossier.id,
                    draft=draft,
                    strategy_changed=signature != _signature(draft),
                )
            except ValidationError as exc:
                session.rollback()
                space = services.workspace(session, actor=current_user, dossier_id=dossier_id)
                errors = {k: [str(m) for m in v] for k, v in exc.as_json().items()}
                return _editor_page(space, draft, signature=signature, errors=errors, status=400)
            session.commit()
            flash(
                _("The lot plan is saved. It now feeds the lots section of the documents."),
                "success",
            )
            return redirect(url_for("lots.dossier_lots", dossier_id=dossier_id, _anchor="plan"))
        return _editor_page(space, draft, signature=signature)
    except ValidationError as exc:
        for messages_ in exc.errors.values():
            for message in messages_:
                flash(str(message), "error")
        return redirect(url_for("lots.dossier_lots", dossier_id=dossier_id))


def _starting_draft(session: Any, space: services.Workspace, langs: Any) -> services.Draft:
    """The editor's lots: the chosen proposal, else the saved plan, else the recommendation.

    :raises NotFound: the strategy asked for produced no proposal.
    :raises ValidationError: the advisor cannot run (no items, no thresholds).
    """
    wanted = request.args.get("strategy")
    if not wanted:
        plan, plan_lots = services.get_plan(session, space.dossier)
        if plan is not None and space.items:
            return services.draft_from_plan(space, plan, plan_lots)
    advice = services.advice_for(space)
    if not wanted:
        return services.draft_from_proposal(space, advice.proposals[advice.recommended], langs)
    for proposal in advice.proposals:
        if wanted == proposal.strategy.value or wanted in {s.value for s in proposal.also_from}:
            return services.draft_from_proposal(space, proposal, langs)
    raise NotFound(_("The advisor made no proposal of this kind for this dossier."))


@bp.post("/tenders/<int:dossier_id>/lots/assess")
@access(Permission.manage_dossiers)
def assess(dossier_id: int):  # type: ignore[no-untyped-def]
    """Re-run the checks on the editor's lots (the editor's script calls it on each change)."""
    session = get_session()
    space = services.workspace(session, actor=current_user, dossier_id=dossier_id)
    langs = space.dossier.language.langs
    draft, _unplaced = services.draft_from_form(request.form, space, langs)
    proposal = services.assess_for(space, draft.groups())
    editor_data = presenters.editor_view(draft, proposal, space, current_lang(), langs)
    html = render_template(
        "lots/_editor_body.html",
        dossier=space.dossier,
        editor=editor_data,
        signature=request.form.get("signature", ""),
        errors={},
        langs=langs,
        language_names=LANGUAGE_NAMES,
    )
    return jsonify(
        {
            "lots": [
                {
                    "number": lot.number,
                    "item_ids": list(lot.item_ids),
                    "value": f"{lot.value:f}",
                    "sme_suitable": lot.is_sme_suitable,
                }
                for lot in proposal.lots
            ],
            "checks": [
                {
                    "code": text.code,
                    "status": text.status,
                    "lot": text.lot,
                    "title": text.title,
                    "message": text.message,
                }
                for text in map(messages.check_text, proposal.checks)
            ],
            "renumbered": {str(old): new for old, new in draft.renumbered.items()},
            "summary": ngettext(
                "Checks updated: %(num)d lot, %(warnings)s to act on, %(violations)s breaking "
                "a rule.",
                "Checks updated: %(num)d lots, %(warnings)s to act on, %(violations)s breaking "
                "a rule.",
                len(proposal.lots),
                warnings=editor_data["counts"]["warning"],
                violations=editor_data["counts"]["violation"],
            ),
            "html": html,
        }
    )


@bp.get("/tenders/<int:dossier_id>/lots/ocds.json")
@access(Permission.manage_dossiers)
def ocds(dossier_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    try:
        package = services.ocds_package(
            session,
            actor=current_user,
            dossier_id=dossier_id,
            ocid_prefix=current_app.config["OCDS_OCID_PREFIX"],
            uri=request.base_url,
        )
    except ValidationError as exc:
        for messages_ in exc.errors.values():
            for message in messages_:
                flash(str(message), "error")
        return redirect(url_for("lots.dossier_lots", dossier_id=dossier_id, _anchor="plan"))
    dossier = services.get_dossier(session, actor=current_user, dossier_id=dossier_id)
    body = json.dumps(package, ensure_ascii=False, indent=2)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", dossier.reference or f"dossier-{dossier.id}").strip("-")
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{slug}_lots_ocds.json"'},
    )


# ------------------------------------------------------------------------------------------------
# Help and example files


@bp.get("/lots/help")
@access(PUBLIC)
def help_page():  # type: ignore[no-untyped-def]
    session = get_session()
    today = brussels_today()
    thresholds = services.current_thresholds(session)
    return render_template(
        "lots/help.html",
        thresholds=sorted(
            thresholds, key=lambda t: (t.regime, t.kind.value, t.valid_from, t.amount)
        ),
        in_force=[t for t in thresholds if t.covers(today)],
        today=today,
        kind_labels=messages.THRESHOLD_KIND_LABELS,
        type_labels=messages.CONTRACT_TYPE_LABELS,
        regime_label=messages.regime_label,
        legal_act_text=messages.legal_act_text,
        source_label=messages.source_label,
        headers=EXAMPLE_HEADERS,
        exact_limit=EXACT_LIMIT,
        default_target=DEFAULT_TARGET_LOT_SIZE,
        small_lot_limits=SMALL_LOT_LIMITS,
        articles={
            "aggregation": ART_AGGREGATION,
            "small_lots": ART_SMALL_LOTS,
            "max_lots": ART_MAX_LOTS,
            "combined": ART_COMBINED,
            "divide": ART_DIVIDE,
            "turnover": ART_TURNOVER,
            "coordination": ART_COORDINATION,
        },
        article_text=messages.article_text,
        strategies=[
            (messages.STRATEGY_LABELS[s], messages.STRATEGY_DESCRIPTIONS[s])
            for s in (Strategy.trade, Strategy.geography, Strategy.size)
        ],
    )


@bp.get("/lots/examples/items-<lang>.<fmt>")
@access(PUBLIC)
def example_file(lang: str, fmt: str):  # type: ignore[no-untyped-def]
    if lang not in EXAMPLE_HEADERS or fmt not in ("csv", "xlsx"):
        raise NotFound()
    name = f"clausier-items-example-{lang}.{fmt}"
    if fmt == "csv":
        body, mimetype = to_csv(example_rows(lang)), "text/csv"
    else:
        body, mimetype = to_xlsx(example_rows(lang, typed=True)), XLSX_MIMETYPE
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/lots/examples/" + DEMO_CSV)
@access(PUBLIC)
def demo_file():  # type: ignore[no-untyped-def]
    from portal.lots.demo import demo_csv

    return Response(
        demo_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{DEMO_CSV}"'},
    )


# ------------------------------------------------------------------------------------------------
# The coordinator's thresholds


@bp.get("/admin/thresholds")
@access(Permission.manage_reference_data)
def thresholds():  # type: ignore[no-untyped-def]
    session = get_session()
    rows = services.list_thresholds(session)
    today = brussels_today()
    return render_template(
        "lots/thresholds.html",
        rows=rows,
        seeded=bool(rows),
        today=today,
        kind_labels=messages.THRESHOLD_KIND_LABELS,
        type_labels=messages.CONTRACT_TYPE_LABELS,
        regime_label=messages.regime_label,
        legal_act_text=messages.legal_act_text,
        source_label=messages.source_label,
    )


def _threshold_data() -> dict[str, Any]:
    data: dict[str, Any] = _form_data()
    data["contract_types"] = request.form.getlist("contract_types")
    data["authority_kinds"] = request.form.getlist("authority_kinds")
    return data


@bp.route("/admin/thresholds/new", methods=["GET", "POST"])
@access(Permission.manage_reference_data)
def threshold_new():  # type: ignore[no-untyped-def]
    session = get_session()
    form = forms.ThresholdForm(formdata=request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        try:
            services.create_threshold(session, actor=current_user, data=_threshold_data())
        except ValidationError as exc:
            session.rollback()
            apply_errors(form, exc)
            status = 400
        else:
            session.commit()
            flash(_("The threshold is added."), "success")
            return redirect(url_for("lots.thresholds"))
    return render_template("lots/threshold_form.html", form=form, row=None), status


@bp.route("/admin/thresholds/<int:threshold_id>", methods=["GET", "POST"])
@access(Permission.manage_reference_data)
def threshold_edit(threshold_id: int):  # type: ignore[no-untyped-def]
    session = get_session()
    row = services.get_threshold(session, threshold_id)
    form = forms.ThresholdForm(formdata=request.form if request.method == "POST" else None)
    status = 200
    if request.method == "GET":
        form.regime.data = row.regime
        form.kind.data = str(row.kind)
        form.contract_types.data = list(row.contract_types)
        form.authority_kinds.data = list(row.authority_kinds)
        form.amount.data = f"{row.amount:f}"
        form.valid_from.data = row.valid_from.isoformat()
        form.valid_to.data = row.valid_to.isoformat() if row.valid_to else ""
        form.legal_act.data = row.legal_act
        form.source_status.data = row.source_status
    else:
        try:
            services.update_threshold(
                session, actor=current_user, threshold_id=row.id, data=_threshold_data()
            )
        except ValidationError as exc:
            session.rollback()
            apply_errors(form, exc)
            status = 400
        else:
            session.commit()
            flash(_("The threshold is saved."), "success")
            return redirect(url_for("lots.thresholds"))
    return render_template("lots/threshold_form.html", form=form, row=row), status
