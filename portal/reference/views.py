"""Public pages: procurement categories, CPV search and the registry of contracting authorities."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from portal.accounts.permissions import PUBLIC, access
from portal.db import get_session
from portal.errors import ValidationError
from portal.reference import services
from portal.reference.models import AuthorityKind, AuthorityType

bp = Blueprint("reference", __name__, template_folder="templates")

#: Extra panels shown on a category page, contributed by other domains (clauses...).
#: Each is ``callable(session, category) -> (template_name, context) | None``.
CATEGORY_PANELS: list = []


@bp.get("/categories")
@access(PUBLIC)
def categories():  # type: ignore[no-untyped-def]
    session = get_session()
    cats = services.list_categories(session)
    cpv_map = services.category_cpv_map(session)
    return render_template("reference/categories.html", categories=cats, cpv_map=cpv_map)


@bp.get("/categories/<code>")
@access(PUBLIC)
def category(code: str):  # type: ignore[no-untyped-def]
    session = get_session()
    cat = services.get_category(session, code)
    cpv_codes = services.category_cpv_codes(session, cat)
    covered = services.count_cpv_below(session, [c.code for c in cpv_codes])
    panels = [p for p in (panel(session, cat) for panel in CATEGORY_PANELS) if p]
    return render_template(
        "reference/category.html", category=cat, cpv_codes=cpv_codes, covered=covered, panels=panels
    )


@bp.get("/cpv")
@access(PUBLIC)
def cpv():  # type: ignore[no-untyped-def]
    q = request.args.get("q", "").strip()[:100]
    results, error = [], None
    if q:
        if len(q) < 2:
            error = ValidationError.single("q", "")
        else:
            results = services.search_cpv(get_session(), q, limit=50)
    return render_template("reference/cpv.html", q=q, results=results, too_short=error is not None)


@bp.get("/cpv/<code>")
@access(PUBLIC)
def cpv_detail(code: str):  # type: ignore[no-untyped-def]
    session = get_session()
    cpv = services.get_cpv(session, code)
    ancestors = [services.get_cpv(session, c) for c in services.cpv_ancestors(cpv.code)[1:]]
    categories = services.categories_for_cpv(session, cpv.code)
    return render_template(
        "reference/cpv_detail.html", cpv=cpv, ancestors=ancestors, categories=categories
    )


@bp.get("/authorities")
@access(PUBLIC)
def authorities():  # type: ignore[no-untyped-def]
    kind = request.args.get("kind", "")
    type_ = request.args.get("type", "")
    kind = kind if kind in AuthorityKind.__members__ else ""
    type_ = type_ if type_ in AuthorityType.__members__ else ""
    rows = services.list_authorities(get_session(), kind=kind or None, type_=type_ or None)
    return render_template(
        "reference/authorities.html",
        authorities=rows,
        kind=kind,
        type_=type_,
        kinds=list(AuthorityKind),
        types=list(AuthorityType),
    )
