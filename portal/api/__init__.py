"""The public JSON API under ``/api/v1``, described by an OpenAPI 3 document.

Each domain adds its routes to ``bp`` in its own ``api`` module and registers their description
with :func:`portal.api.openapi.add_paths`. The test suite checks that every route is documented.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Route modules register themselves on import.
from portal.api import core, reference  # noqa: E402,F401
from portal.clauses import api as clauses_api  # noqa: E402,F401
from portal.lots import api as lots_api  # noqa: E402,F401
