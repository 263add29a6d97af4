"""Home page, language switch, accessibility statement and the health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request
from flask_login import current_user

from portal.accounts.permissions import PUBLIC, access
from portal.db import get_session
from portal.i18n import _
from portal.reference.services import list_categories
from portal.security import is_safe_next

bp = Blueprint("site", __name__, template_folder="templates")


@bp.get("/")
@access(PUBLIC)
def home():  # type: ignore[no-untyped-def]
    session = get_session()
    categories = list_categories(session)
    figures = site_figures(session)
    return render_template("site/home.html", categories=categories, figures=figures)


def site_figures(session) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Counts shown on the home page: published clauses, categories and authorities."""
    from portal.clauses.models import Clause, ClauseVersion, VersionStatus
    from portal.reference.models import ContractingAuthority

    published = session.scalar(
        sa.select(sa.func.count())
        .select_from(Clause)
        .join(ClauseVersion, ClauseVersion.id == Clause.current_version_id)
        .where(ClauseVersion.status == VersionStatus.published)
    )
    authorities = session.scalar(sa.select(sa.func.count()).select_from(ContractingAuthority))
    return {"clauses": published or 0, "authorities": authorities or 0}


@bp.get("/language/<code>")
@access(PUBLIC)
def set_language(code: str):  # type: ignore[no-untyped-def]
    """Switch the interface language and remember it in a cookie (and the user's profile)."""
    langs = current_app.config["LANGUAGES"]
    if code not in langs:
        abort(404, description=_("This language is not available."))
    target = request.args.get("next", "")
    response = redirect(target if is_safe_next(target) else "/")
    response.set_cookie(
        current_app.config["LANGUAGE_COOKIE"],
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
    )
    if current_user.is_authenticated and current_user.locale != code:
        current_user.locale = code
        get_session().commit()
    return response


@bp.get("/accessibility")
@access(PUBLIC)
def accessibility():  # type: ignore[no-untyped-def]
    return render_template("site/accessibility.html")


@bp.get("/healthz")
@access(PUBLIC)
def healthz():  # type: ignore[no-untyped-def]
    """Liveness and database check for load balancers and monitoring."""
    try:
        get_session().execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        current_app.logger.exception("Health check: database unreachable")
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
