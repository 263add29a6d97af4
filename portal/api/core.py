"""The OpenAPI document itself and the API's JSON error answers."""

from __future__ import annotations

from flask import jsonify, request

from portal.accounts.permissions import PUBLIC, access
from portal.api import bp
from portal.api.openapi import build_spec


@bp.get("/openapi.json")
@access(PUBLIC)
def openapi_document():  # type: ignore[no-untyped-def]
    spec = build_spec(server_url=request.url_root.rstrip("/") + "/api/v1")
    response = jsonify(spec)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
