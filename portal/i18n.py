"""Languages: Flask-Babel set-up, locale selection and locale-aware formatting.

The locale of a request is chosen, in order, from: an explicit ``?lang=`` parameter, the language
cookie set by the language switch, the logged-in user's preference, the browser's
Accept-Language header, and finally ``BABEL_DEFAULT_LOCALE``.

Catalogs: ``portal/translations`` holds the core strings, and a domain package may have its own
``translations`` folder (for example ``portal/clauses/translations``). All folders are merged at
run time; ``flask --app portal i18n update`` extracts each package's strings into its own catalog.
Use ``_l`` for strings defined at import time (form labels, enum titles) and ``_`` inside requests.
"""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from babel import numbers as babel_numbers
from flask import Flask, current_app, flash, g, has_request_context, request
from flask_babel import Babel, get_locale, ngettext
from flask_babel import format_date as _format_date
from flask_babel import format_datetime as _format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

__all__ = ["_", "_l", "ngettext", "babel", "current_lang", "localized", "init_app"]

babel = Babel()

LANGUAGE_NAMES = {"fr": "Français", "nl": "Nederlands", "en": "English"}


def translation_directories(app: Flask) -> list[str]:
    """Every ``translations`` folder inside the portal package, core first."""
    root = app.root_path
    found = [os.path.join(root, "translations")]
    for entry in sorted(os.listdir(root)):
        candidate = os.path.join(root, entry, "translations")
        if os.path.isdir(candidate):
            found.append(candidate)
    return found


def select_locale() -> str:
    langs = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and background work: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    asked = request.args.get("lang")
    if asked in langs:
        g.lang_from_query = asked
        return asked
    cookie = request.cookies.get(current_app.config["LANGUAGE_COOKIE"])
    if cookie in langs:
        return cookie
    if current_user and getattr(current_user, "is_authenticated", False):
        pref = getattr(current_user, "locale", None)
        if pref in langs:
            return pref
    return request.accept_languages.best_match(langs) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_lang() -> str:
    """The language code of the current request (``fr``, ``nl`` or ``en``)."""
    locale = get_locale()
    return locale.language if locale is not None else "fr"


def localized(obj: Any, field: str, lang: str | None = None) -> str:
    """Return ``obj.<field>_<lang>`` (or the dict key), falling back to fr, nl, then en."""
    lang = lang or current_lang()
    for code in (lang, "fr", "nl", "en"):
        key = f"{field}_{code}"
        value = obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)
        if value:
            return value
    return ""


def format_money(value: Any, currency: str = "EUR", digits: bool = True) -> str:
    if value is None or value == "":
        return ""
    locale = get_locale() or "fr_BE"
    lang = str(locale)[:2]
    fmt = (
        None
        if digits
        else ("¤#,##0" if lang == "en" else "¤\u00a0#,##0" if lang == "nl" else "#,##0\u00a0¤")
    )
    return babel_numbers.format_currency(
        Decimal(str(value)), currency, format=fmt, locale=locale, currency_digits=digits
    )


def format_number(value: Any, digits: int | None = None) -> str:
    if value is None or value == "":
        return ""
    locale = get_locale() or "fr_BE"
    fmt = None if digits is None else "#,##0." + "0" * digits if digits else "#,##0"
    return babel_numbers.format_decimal(Decimal(str(value)), format=fmt, locale=locale)


def format_percent(value: Any) -> str:
    """Format a percentage given as 0-100 (not as a fraction)."""
    if value is None or value == "":
        return ""
    locale = get_locale() or "fr_BE"
    return babel_numbers.format_percent(Decimal(str(value)) / 100, locale=locale)


def colon(lang: str | None = None) -> str:
    """What stands between a label and its value: French typography puts a no-break space
    before the colon ("Famille : Social"), Dutch and English do not."""
    return "\u00a0: " if (lang or current_lang()) == "fr" else ": "


def path_without_lang() -> str:
    """The current path and query string without ``lang``, for the language switch links."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    query = urlencode(args)
    return request.path + (f"?{query}" if query else "")


def init_app(app: Flask) -> None:
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(translation_directories(app))
    babel.init_app(app, locale_selector=select_locale)

    @app.before_request
    def _unknown_language_notice() -> None:
        asked = request.args.get("lang")
        if (
            asked
            and asked not in app.config["LANGUAGES"]
            and request.method == "GET"
            and not request.path.startswith(("/api/", "/static/"))
        ):
            flash(
                _(
                    "The language “%(code)s” is not available. Choose French, Dutch or English.",
                    code=asked[:12],
                ),
                "warning",
            )

    @app.after_request
    def _remember_language(response):  # type: ignore[no-untyped-def]
        chosen = g.get("lang_from_query")
        if chosen:
            response.set_cookie(
                app.config["LANGUAGE_COOKIE"],
                chosen,
                max_age=365 * 24 * 3600,
                samesite="Lax",
                secure=app.config["SESSION_COOKIE_SECURE"],
                httponly=True,
            )
        response.headers.setdefault("Content-Language", current_lang())
        return response

    app.jinja_env.filters.update(
        date=lambda d, fmt="medium": _format_date(d, fmt) if d else "",
        datetime=lambda d, fmt="medium": _format_datetime(d, fmt) if d else "",
        money=format_money,
        number=format_number,
        percent=format_percent,
    )
    app.jinja_env.globals.update(
        loc=localized,
        colon=colon,
        current_lang=current_lang,
        path_without_lang=path_without_lang,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
    )
