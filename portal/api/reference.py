"""API: procurement categories, CPV codes and contracting authorities."""

from __future__ import annotations

from flask import jsonify, request

from portal.accounts.permissions import PUBLIC, access
from portal.api import bp
from portal.api.openapi import (
    add_paths,
    add_schemas,
    add_tag,
    error_response,
    json_response,
)
from portal.db import get_session
from portal.errors import ValidationError
from portal.i18n import _l
from portal.reference import services
from portal.reference.models import AuthorityKind, AuthorityType


def category_json(category, cpv_codes: list[str]) -> dict:  # type: ignore[no-untyped-def]
    return {
        "code": category.code,
        "names": {"fr": category.name_fr, "nl": category.name_nl, "en": category.name_en},
        "descriptions": {
            "fr": category.description_fr,
            "nl": category.description_nl,
            "en": category.description_en,
        },
        "cpv_codes": cpv_codes,
    }


def cpv_json(cpv) -> dict:  # type: ignore[no-untyped-def]
    return {
        "code": cpv.code,
        "level": cpv.level,
        "parent": cpv.parent_code,
        "labels": {"fr": cpv.label_fr, "nl": cpv.label_nl, "en": cpv.label_en},
    }


@bp.get("/categories")
@access(PUBLIC)
def categories():  # type: ignore[no-untyped-def]
    session = get_session()
    cpv_map = services.category_cpv_map(session)
    data = [category_json(c, cpv_map.get(c.code, [])) for c in services.list_categories(session)]
    return jsonify(categories=data)


@bp.get("/categories/<code>")
@access(PUBLIC)
def category(code: str):  # type: ignore[no-untyped-def]
    session = get_session()
    cat = services.get_category(session, code)
    return jsonify(category_json(cat, services.category_cpv_map(session).get(cat.code, [])))


@bp.get("/cpv")
@access(PUBLIC)
def cpv_search():  # type: ignore[no-untyped-def]
    q = request.args.get("q", "").strip()
    if len(q) < 2:
        raise ValidationError.single("q", _l("Type at least two characters to search."))
    if len(q) > 100:
        raise ValidationError.single("q", _l("Use at most %(n)d characters.", n=100))
    try:
        limit = min(max(int(request.args.get("limit", 20)), 1), 50)
    except ValueError:
        raise ValidationError.single("limit", _l("Must be a whole number.")) from None
    results = services.search_cpv(get_session(), q, limit=limit)
    return jsonify(results=[cpv_json(c) for c in results])


@bp.get("/cpv/<code>")
@access(PUBLIC)
def cpv_detail(code: str):  # type: ignore[no-untyped-def]
    services.validate_cpv(code, field="code")
    session = get_session()
    cpv = services.get_cpv(session, code)
    data = cpv_json(cpv)
    data["ancestors"] = services.cpv_ancestors(cpv.code)[1:]
    data["categories"] = [c.code for c in services.categories_for_cpv(session, cpv.code)]
    return jsonify(data)


@bp.get("/authorities")
@access(PUBLIC)
def authorities():  # type: ignore[no-untyped-def]
    kind = request.args.get("kind") or None
    type_ = request.args.get("type") or None
    errors = {}
    if kind and kind not in AuthorityKind.__members__:
        errors["kind"] = [_l("Not one of the allowed values.")]
    if type_ and type_ not in AuthorityType.__members__:
        errors["type"] = [_l("Not one of the allowed values.")]
    if errors:
        raise ValidationError(errors)
    rows = services.list_authorities(get_session(), kind=kind, type_=type_)
    return jsonify(
        authorities=[
            {
                "code": a.code,
                "names": {"fr": a.name_fr, "nl": a.name_nl, "en": a.name_en},
                "kind": a.kind.value,
                "type": a.type.value,
                "nuts": a.nuts_code,
                "municipality": a.municipality,
            }
            for a in rows
        ]
    )


add_tag("reference", "Procurement categories, CPV 2008 codes and contracting authorities.")
_LABELS = {
    "type": "object",
    "required": ["fr", "nl", "en"],
    "properties": {"fr": {"type": "string"}, "nl": {"type": "string"}, "en": {"type": "string"}},
}
add_schemas(
    {
        "Labels": _LABELS,
        "Category": {
            "type": "object",
            "required": ["code", "names", "cpv_codes"],
            "properties": {
                "code": {"type": "string", "examples": ["cleaning"]},
                "names": {"$ref": "#/components/schemas/Labels"},
                "descriptions": {"$ref": "#/components/schemas/Labels"},
                "cpv_codes": {
                    "type": "array",
                    "description": "CPV codes the category covers, with everything below them.",
                    "items": {"type": "string", "pattern": r"^\d{8}-\d$"},
                },
            },
        },
        "CpvCode": {
            "type": "object",
            "required": ["code", "level", "labels"],
            "properties": {
                "code": {"type": "string", "pattern": r"^\d{8}-\d$"},
                "level": {"type": "integer", "minimum": 2, "maximum": 8},
                "parent": {"type": ["string", "null"]},
                "labels": {"$ref": "#/components/schemas/Labels"},
            },
        },
        "Authority": {
            "type": "object",
            "required": ["code", "names", "kind", "type", "nuts"],
            "properties": {
                "code": {"type": "string"},
                "names": {"$ref": "#/components/schemas/Labels"},
                "kind": {"type": "string", "enum": [k.value for k in AuthorityKind]},
                "type": {"type": "string", "enum": [t.value for t in AuthorityType]},
                "nuts": {"type": "string"},
                "municipality": {"type": ["string", "null"]},
            },
        },
    }
)
add_paths(
    {
        "/categories": {
            "get": {
                "tags": ["reference"],
                "operationId": "listCategories",
                "summary": "List the procurement categories with their names and CPV codes.",
                "responses": {
                    "200": json_response(
                        "All categories.",
                        {
                            "type": "object",
                            "properties": {
                                "categories": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Category"},
                                }
                            },
                        },
                    )
                },
            }
        },
        "/categories/{code}": {
            "get": {
                "tags": ["reference"],
                "operationId": "getCategory",
                "summary": "One procurement category.",
                "parameters": [
                    {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": json_response(
                        "The category.", {"$ref": "#/components/schemas/Category"}
                    ),
                    "404": error_response("No such category."),
                },
            }
        },
        "/cpv": {
            "get": {
                "tags": ["reference"],
                "operationId": "searchCpv",
                "summary": "Search CPV 2008 codes by code prefix or by words in FR, NL or EN.",
                "parameters": [
                    {
                        "name": "q",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "minLength": 2, "maxLength": 100},
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 20},
                    },
                ],
                "responses": {
                    "200": json_response(
                        "Matching codes, broadest first.",
                        {
                            "type": "object",
                            "properties": {
                                "results": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/CpvCode"},
                                }
                            },
                        },
                    ),
                    "400": error_response("The query is missing, too short or too long."),
                },
            }
        },
        "/cpv/{code}": {
            "get": {
                "tags": ["reference"],
                "operationId": "getCpv",
                "summary": "One CPV code with its ancestors and the categories that cover it.",
                "parameters": [
                    {
                        "name": "code",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "examples": ["45000000-7"]},
                    }
                ],
                "responses": {
                    "200": json_response("The code.", {"$ref": "#/components/schemas/CpvCode"}),
                    "400": error_response("The code is malformed or not in the CPV 2008 list."),
                },
            }
        },
        "/authorities": {
            "get": {
                "tags": ["reference"],
                "operationId": "listAuthorities",
                "summary": "List contracting authorities, optionally by kind or type.",
                "parameters": [
                    {
                        "name": "kind",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "enum": [k.value for k in AuthorityKind]},
                    },
                    {
                        "name": "type",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "enum": [t.value for t in AuthorityType]},
                    },
                ],
                "responses": {
                    "200": json_response(
                        "The authorities.",
                        {
                            "type": "object",
                            "properties": {
                                "authorities": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Authority"},
                                }
                            },
                        },
                    ),
                    "400": error_response("Unknown kind or type."),
                },
            }
        },
        "/openapi.json": {
            "get": {
                "tags": ["reference"],
                "operationId": "getOpenApi",
                "summary": "This OpenAPI document.",
                "responses": {
                    "200": json_response("The OpenAPI 3.1 document.", {"type": "object"})
                },
            }
        },
    }
)
