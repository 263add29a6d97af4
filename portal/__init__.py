"""Clausier: the portal for sustainable, innovative and SME-friendly public procurement in Brussels.

``create_app`` wires the subsystems in a fixed order: configuration, database, languages, login,
CSRF and rate limits, security headers, error pages, blueprints, then the CLI commands.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter


class BoundedIntegerConverter(IntegerConverter):
    """``<int:...>`` in URLs, limited to what every database column can hold (a signed 32-bit
    integer), so that ``/dossiers/99999999999999999999`` is a plain 404, not a database
    overflow."""

    def __init__(
        self,
        map: Any,
        fixed_digits: int = 0,
        min: int | None = None,  # noqa: A002
        max: int | None = 2**31 - 1,
        signed: bool = False,
    ) -> None:  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application. ``test_config`` overrides every other setting (tests only)."""
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = BoundedIntegerConverter

    from portal.config import load_config

    load_config(app, test_config)

    from portal import db, extensions, i18n, navigation, security

    db.Database().init_app(app)
    i18n.init_app(app)
    extensions.init_app(app)
    security.init_app(app)
    navigation.init_app(app)

    from portal.errors import register_error_handlers

    register_error_handlers(app)

    from portal.blueprints import register_blueprints

    register_blueprints(app)

    from portal.cli import register_cli

    register_cli(app)
    return app
