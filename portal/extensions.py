"""Flask extensions shared by the whole app: login, CSRF and rate limits."""

from __future__ import annotations

from flask import Flask, abort, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import AnonymousUserMixin, LoginManager
from flask_wtf import CSRFProtect

from portal.i18n import _l

csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


class Visitor(AnonymousUserMixin):
    """The anonymous visitor: no role, no permissions."""

    role = None
    id = None
    is_active = False
    themes: list[str] = []


def init_app(app: Flask) -> None:
    @app.before_request
    def _refuse_oversized_bodies() -> None:
        # Before the CSRF check: a body over the limit that is not parsed as a form (no
        # form content type) would otherwise be refused as an expired form, not as too large.
        limit = app.config.get("MAX_CONTENT_LENGTH")
        if limit and request.content_length is not None and request.content_length > limit:
            abort(413)

    csrf.init_app(app)
    limiter.init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.anonymous_user = Visitor
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load_user(session_id: str):  # type: ignore[no-untyped-def]
        from portal.accounts.services import load_user_from_session_id
        from portal.db import get_session

        return load_user_from_session_id(get_session(), session_id)

    @login_manager.unauthorized_handler
    def _unauthorized():  # type: ignore[no-untyped-def]
        from flask import abort, redirect, url_for

        if request.path.startswith("/api/"):
            abort(401)
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
