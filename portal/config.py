"""Configuration of the portal.

Every key lives in :class:`DefaultConfig` with a comment that says what it does. Any key can be
overridden by an environment variable with the ``PORTAL_`` prefix (``PORTAL_DATABASE_URL``,
``PORTAL_SECRET_KEY``, ...). Values are parsed as JSON when they can be, so
``PORTAL_MAX_CONTENT_LENGTH=1048576`` gives an integer and ``PORTAL_RATELIMIT_ENABLED=false``
a boolean. Tests pass a mapping to ``create_app(test_config)``, which is applied last.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

#: The development secret key. The portal refuses to start in production with it.
INSECURE_DEFAULT_SECRET_KEY = "clausier-development-key-do-not-use-in-production"  # noqa: S105


class ConfigurationError(RuntimeError):
    """The configuration cannot work; the message says which key to fix."""


class DefaultConfig:
    #: ``development``, ``production`` or ``testing``. Production refuses the default secret key
    #: and turns on secure cookies.
    ENV_NAME = "development"
    #: Signs sessions, CSRF tokens and password-reset links. Set PORTAL_SECRET_KEY in production.
    SECRET_KEY = INSECURE_DEFAULT_SECRET_KEY
    #: SQLAlchemy URL. Empty means the embedded SQLite file ``instance/clausier.sqlite3``.
    #: Production: ``postgresql+psycopg://user:password@host:5432/clausier``.
    DATABASE_URL = ""
    #: Log every SQL statement (debugging only).
    DATABASE_ECHO = False
    #: Largest request body accepted, in bytes (uploads included). Larger requests get a 413 page.
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    #: Languages offered, in the order of the language switch. The first one is the default.
    LANGUAGES = ("fr", "nl", "en")
    #: Language used when neither the visitor's choice nor the browser says anything usable.
    BABEL_DEFAULT_LOCALE = "fr"
    #: Time zone in which dates and times are shown.
    BABEL_DEFAULT_TIMEZONE = "Europe/Brussels"
    #: Name of the cookie that remembers the chosen language (one year).
    LANGUAGE_COOKIE = "clausier_lang"
    #: SMTP server for outgoing mail. Empty: mails are written as .eml files to MAIL_OUTBOX_DIR.
    MAIL_SERVER = ""
    MAIL_PORT = 587
    MAIL_USE_TLS = True
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    #: Sender of the portal's mails.
    MAIL_SENDER = "Clausier <no-reply@clausier.brussels>"
    #: Folder of the file outbox used when no SMTP server is set. Empty: ``instance/outbox``.
    MAIL_OUTBOX_DIR = ""
    #: Lifetime of a password-reset link, in seconds.
    PASSWORD_RESET_MAX_AGE = 3600
    #: Minimum length of a password.
    PASSWORD_MIN_LENGTH = 10
    #: Rate limits on login, registration and password reset (Flask-Limiter).
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    #: Limit applied to the login, registration and reset forms (POST only).
    AUTH_RATE_LIMIT = "10 per minute"
    #: Lifetime of a CSRF token, in seconds.
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    #: Cookies only over HTTPS. Forced on in production.
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    #: Send Strict-Transport-Security (only behind HTTPS). Forced on in production.
    HSTS_ENABLED = False
    #: Number of rows per page in lists.
    PAGE_SIZE = 25
    #: Path of the LibreOffice binary for PDF export. Empty: looked up on PATH; absent: no PDF.
    LIBREOFFICE_PATH = ""
    #: Largest Word template an authority may upload, in bytes.
    TEMPLATE_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    #: Largest CSV/XLSX import of tender items, in bytes.
    ITEM_IMPORT_MAX_BYTES = 2 * 1024 * 1024
    #: Prefix of OCDS ids (ocid) in the lots export. Register a real one with the Open
    #: Contracting Partnership before publishing data.
    OCDS_OCID_PREFIX = "ocds-clausier"


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill ``app.config``: defaults, then ``PORTAL_*`` variables, then the test mapping."""
    app.config.from_object(DefaultConfig)
    app.config.from_prefixed_env("PORTAL")
    if test_config:
        app.config.from_mapping(test_config)

    if not app.config["DATABASE_URL"]:
        os.makedirs(app.instance_path, exist_ok=True)
        path = os.path.join(app.instance_path, "clausier.sqlite3")
        app.config["DATABASE_URL"] = f"sqlite:///{path}"
    if not app.config["MAIL_OUTBOX_DIR"]:
        app.config["MAIL_OUTBOX_DIR"] = os.path.join(app.instance_path, "outbox")
    app.config["LANGUAGES"] = tuple(app.config["LANGUAGES"])
    app.config["TESTING"] = app.config.get("TESTING", False) or app.config["ENV_NAME"] == "testing"
    _check(app)


def _check(app: Flask) -> None:
    """Fail fast on a configuration that cannot be run safely."""
    cfg = app.config
    if cfg["ENV_NAME"] not in {"development", "production", "testing"}:
        raise ConfigurationError(
            f"PORTAL_ENV_NAME must be development, production or testing, not {cfg['ENV_NAME']!r}"
        )
    if cfg["ENV_NAME"] == "production":
        if not cfg["SECRET_KEY"] or cfg["SECRET_KEY"] == INSECURE_DEFAULT_SECRET_KEY:
            raise ConfigurationError(
                "Refusing to start in production with the default secret key: "
                "set PORTAL_SECRET_KEY to a long random value."
            )
        if len(str(cfg["SECRET_KEY"])) < 32:
            raise ConfigurationError("PORTAL_SECRET_KEY must be at least 32 characters long.")
        cfg["SESSION_COOKIE_SECURE"] = True
        cfg["REMEMBER_COOKIE_SECURE"] = True
        cfg["HSTS_ENABLED"] = True
    if cfg["BABEL_DEFAULT_LOCALE"] not in cfg["LANGUAGES"]:
        raise ConfigurationError("BABEL_DEFAULT_LOCALE must be one of LANGUAGES.")
