"""API: the published clause library (``/api/v1/clauses``), documented in the OpenAPI document."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for

from portal.accounts.permissions import PUBLIC, access
from portal.api import bp
from portal.api.openapi import add_paths, add_schemas, add_tag, error_response, json_response
from portal.clauses import services
from portal.clauses.content import LANGS, legal_reference, legal_title
from portal.clauses.models import PUBLIC_STATUSES, ClauseVersion, VersionStatus
from portal.clauses.vocabulary import (
    Ambition,
    CostEffect,
    Evidence,
    Facilitator,
    Family,
    MarketReadiness,
    ParamType,
    Placement,
    Stage,
)
from portal.db import get_session
from portal.errors import NotFound, ValidationError
from portal.i18n import _l

MAX_PER_PAGE = 100


def _loc(version: ClauseVersion, field: str) -> dict[str, str]:
    return {lang: version.text(field, lang) for lang in LANGS}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def summary_json(version: ClauseVersion, categories: list[str]) -> dict[str, Any]:
    return {
        "code": version.code,
        "number": version.number,
        "title": _loc(version, "title"),
        "family": version.family.value,
        "placement": version.placement.value,
        "ambition": version.ambition.value,
        "categories": categories,
        "published_at": _iso(version.published_at),
        "url": url_for("clauses.version", code=version.code, number=version.number, _external=True),
        "api_url": url_for(
            "api.clause_version", code=version.code, number=version.number, _external=True
        ),
    }


def version_json(session: Any, version: ClauseVersion) -> dict[str, Any]:
    data = services.data_of(session, version)
    award = data.get("award")
    return {
        "code": version.code,
        "number": version.number,
        "status": version.status.value,
        "family": version.family.value,
        "placement": version.placement.value,
        "ambition": version.ambition.value,
        "facilitator": version.facilitator.value,
        "categories": data["categories"],
        "cpv": data.get("cpv", []),
        "title": _loc(version, "title"),
        "text": _loc(version, "text"),
        "parameters": data.get("parameters", []),
        "award": award,
        "verification": data["verification"],
        "guidance": data["guidance"],
        "legal_basis": [
            {
                **b,
                "title": {lang: legal_title(b["instrument"], lang) for lang in LANGS},
                "reference": {lang: legal_reference(b, lang) for lang in LANGS},
            }
            for b in data["legal_basis"]
        ],
        "change_note": _loc(version, "change_note"),
        "published_at": _iso(version.published_at),
        "superseded_at": _iso(version.superseded_at),
        "retired_at": _iso(version.retired_at),
        "url": url_for("clauses.version", code=version.code, number=version.number, _external=True),
    }


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError.single(name, _l("Must be a whole number.")) from None
    if not low <= value <= high:
        raise ValidationError.single(
            name, _l("Enter a value between %(min)s and %(max)s.", min=low, max=high)
        )
    return value


@bp.get("/clauses")
@access(PUBLIC)
def clauses():  # type: ignore[no-untyped-def]
    query, errors = services.parse_search(request.args)
    page = per_page = 0
    for name, default, high in (("page", 1, 100_000), ("per_page", 20, MAX_PER_PAGE)):
        try:
            value = _int_arg(name, default, 1, high)
        except ValidationError as exc:
            errors.update(exc.errors)
            continue
        if name == "page":
            page = value
        else:
            per_page = value
    if errors:
        raise ValidationError(errors)
    session = get_session()
    result = services.search_versions(session, query, page=page, per_page=per_page)
    return jsonify(
        clauses=[
            summary_json(v, [c.code for c in result.categories.get(v.id, [])]) for v in result.items
        ],
        page=result.page,
        per_page=result.per_page,
        total=result.total,
        total_exact=result.exact,
        pages=result.pages,
    )


@bp.get("/clauses/<code>")
@access(PUBLIC)
def clause(code: str):  # type: ignore[no-untyped-def]
    session = get_session()
    found = services.get_clause(session, code)
    current = services.current_version(session, found)
    if current is None:
        raise NotFound(_l("There is no clause “%(code)s”.", code=code[:20]))
    return jsonify(
        code=found.code,
        family=found.family.value,
        status=current.status.value,
        current=version_json(session, current),
        versions=[
            {
                "number": v.number,
                "status": v.status.value,
                "published_at": _iso(v.published_at),
                "change_note": _loc(v, "change_note"),
                "api_url": url_for(
                    "api.clause_version", code=v.code, number=v.number, _external=True
                ),
            }
            for v in services.history(session, found)
        ],
        mandatory=[
            {
                "category": category.code,
                "from": rule.applies_from.isoformat(),
                "until": _iso(rule.applies_until),
            }
            for rule, category in services.mandatory_for_clause(session, found.id)
        ],
    )


@bp.get("/clauses/<code>/versions/<int:number>")
@access(PUBLIC)
def clause_version(code: str, number: int):  # type: ignore[no-untyped-def]
    session = get_session()
    version = services.get_version(session, code, number)
    return jsonify(version_json(session, version))


# ------------------------------------------------------------------------------------------------
# OpenAPI description

add_tag("clauses", "The clause library: published, versioned sustainable-procurement clauses.")
_LOC = {"$ref": "#/components/schemas/Labels"}
_CODE = {"type": "string", "pattern": r"^[A-Z]{3,6}-(ENV|SOC|ETH|ASD|SME|INN)-\d{3}$"}


def _enum(cls: Any) -> dict[str, Any]:
    return {"type": "string", "enum": [m.value for m in cls]}


add_schemas(
    {
        "ClauseSummary": {
            "type": "object",
            "required": ["code", "number", "title", "family", "placement", "ambition"],
            "properties": {
                "code": _CODE,
                "number": {"type": "integer", "minimum": 1},
                "title": _LOC,
                "family": _enum(Family),
                "placement": _enum(Placement),
                "ambition": _enum(Ambition),
                "categories": {"type": "array", "items": {"type": "string"}},
                "published_at": {"type": ["string", "null"], "format": "date-time"},
                "url": {"type": "string", "format": "uri"},
                "api_url": {"type": "string", "format": "uri"},
            },
        },
        "ClauseParameter": {
            "type": "object",
            "required": ["name", "type", "label"],
            "description": "A typed value the buyer chooses; the texts use it as {{ name }}.",
            "properties": {
                "name": {"type": "string"},
                "type": _enum(ParamType),
                "label": _LOC,
                "help": _LOC,
                "unit": _LOC,
                "min": {"type": "number"},
                "max": {"type": "number"},
                "max_length": {"type": "integer"},
                "options": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"value": {"type": "string"}, "label": _LOC},
                    },
                },
                "conjunction": {"type": "string", "enum": ["or", "and"]},
                "default": {"description": "Number, option value(s), or a text per language."},
            },
        },
        "ClauseVersion": {
            "type": "object",
            "required": ["code", "number", "status", "title", "text", "verification"],
            "properties": {
                "code": _CODE,
                "number": {"type": "integer", "minimum": 1},
                "status": {"type": "string", "enum": [s.value for s in PUBLIC_STATUSES]},
                "family": _enum(Family),
                "placement": _enum(Placement),
                "ambition": _enum(Ambition),
                "facilitator": _enum(Facilitator),
                "categories": {"type": "array", "items": {"type": "string"}},
                "cpv": {"type": "array", "items": {"type": "string", "pattern": r"^\d{8}-\d$"}},
                "title": _LOC,
                "text": {
                    **_LOC,
                    "description": "Plain text; paragraphs separated by a blank line; "
                    "parameters as {{ name }}; a word agreeing with a whole-number parameter "
                    "as {{ name | singular | plural }}.",
                },
                "parameters": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/ClauseParameter"},
                },
                "award": {
                    "type": ["object", "null"],
                    "description": "Award criteria only: suggested weight (points of 100) and "
                    "scoring method.",
                    "properties": {
                        "weight": {
                            "type": "object",
                            "properties": {
                                "min": {"type": "integer"},
                                "max": {"type": "integer"},
                                "suggested": {"type": "integer"},
                            },
                        },
                        "scoring": _LOC,
                    },
                },
                "verification": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "evidence": _enum(Evidence),
                            "stage": _enum(Stage),
                            "what": _LOC,
                            "how": _LOC,
                        },
                    },
                },
                "guidance": {
                    "type": "object",
                    "properties": {
                        "when_to_use": _LOC,
                        "market_readiness": _enum(MarketReadiness),
                        "market": _LOC,
                        "cost_effect": _enum(CostEffect),
                        "cost": _LOC,
                        "pitfalls": _LOC,
                        "reviewed_on": {"type": "string", "format": "date"},
                    },
                },
                "legal_basis": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "instrument": {"type": "string"},
                            "article": {
                                "type": "string",
                                "description": "As written in the corpus (English).",
                            },
                            "title": _LOC,
                            "reference": _LOC,
                        },
                    },
                },
                "change_note": _LOC,
                "published_at": {"type": ["string", "null"], "format": "date-time"},
                "superseded_at": {"type": ["string", "null"], "format": "date-time"},
                "retired_at": {"type": ["string", "null"], "format": "date-time"},
                "url": {"type": "string", "format": "uri"},
            },
        },
    }
)

_FILTERS = [
    {
        "name": "q",
        "in": "query",
        "required": False,
        "description": "Words to find in the titles and texts (French, Dutch or English).",
        "schema": {"type": "string", "maxLength": services.MAX_QUERY},
    },
    {
        "name": "category",
        "in": "query",
        "required": False,
        "description": "A procurement category code (see /categories).",
        "schema": {"type": "string"},
    },
    {
        "name": "cpv",
        "in": "query",
        "required": False,
        "description": "A CPV code: clauses attached to it, to a code above it or to a code "
        "below it, and clauses of the categories whose CPV codes cover it or lie below it.",
        "schema": {"type": "string", "examples": ["90911200-8"]},
    },
    {"name": "family", "in": "query", "required": False, "schema": _enum(Family)},
    {"name": "placement", "in": "query", "required": False, "schema": _enum(Placement)},
    {"name": "ambition", "in": "query", "required": False, "schema": _enum(Ambition)},
    {
        "name": "page",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "default": 1},
    },
    {
        "name": "per_page",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20},
    },
]
_CODE_PARAM = {"name": "code", "in": "path", "required": True, "schema": _CODE}

add_paths(
    {
        "/clauses": {
            "get": {
                "tags": ["clauses"],
                "operationId": "listClauses",
                "summary": "Search the published clauses (best matches first when q is given).",
                "parameters": _FILTERS,
                "responses": {
                    "200": json_response(
                        "One page of published clause versions.",
                        {
                            "type": "object",
                            "required": [
                                "clauses",
                                "page",
                                "per_page",
                                "total",
                                "total_exact",
                                "pages",
                            ],
                            "properties": {
                                "clauses": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/ClauseSummary"},
                                },
                                "page": {"type": "integer"},
                                "per_page": {"type": "integer"},
                                "total": {
                                    "type": "integer",
                                    "description": "Matches, counted up to 1,000 for a search "
                                    "with words (see total_exact).",
                                },
                                "total_exact": {
                                    "type": "boolean",
                                    "description": "False when more than `total` clauses "
                                    "match: refine the search to see them all.",
                                },
                                "pages": {"type": "integer"},
                            },
                        },
                    ),
                    "400": error_response(
                        "A filter or the page is not valid (messages per field)."
                    ),
                },
            }
        },
        "/clauses/{code}": {
            "get": {
                "tags": ["clauses"],
                "operationId": "getClause",
                "summary": "A clause: its current version, its public versions and where it is "
                "mandatory.",
                "parameters": [_CODE_PARAM],
                "responses": {
                    "200": json_response(
                        "The clause.",
                        {
                            "type": "object",
                            "required": ["code", "status", "current", "versions"],
                            "properties": {
                                "code": _CODE,
                                "family": _enum(Family),
                                "status": {
                                    "type": "string",
                                    "enum": [
                                        VersionStatus.published.value,
                                        VersionStatus.retired.value,
                                    ],
                                },
                                "current": {"$ref": "#/components/schemas/ClauseVersion"},
                                "versions": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "number": {"type": "integer"},
                                            "status": {"type": "string"},
                                            "published_at": {"type": ["string", "null"]},
                                            "change_note": _LOC,
                                            "api_url": {"type": "string", "format": "uri"},
                                        },
                                    },
                                },
                                "mandatory": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "category": {"type": "string"},
                                            "from": {"type": "string", "format": "date"},
                                            "until": {"type": ["string", "null"], "format": "date"},
                                        },
                                    },
                                },
                            },
                        },
                    ),
                    "404": error_response("No published clause has this code."),
                },
            }
        },
        "/clauses/{code}/versions/{number}": {
            "get": {
                "tags": ["clauses"],
                "operationId": "getClauseVersion",
                "summary": "One public version of a clause (published, superseded or retired).",
                "parameters": [
                    _CODE_PARAM,
                    {
                        "name": "number",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1},
                    },
                ],
                "responses": {
                    "200": json_response(
                        "The version.", {"$ref": "#/components/schemas/ClauseVersion"}
                    ),
                    "404": error_response("No such clause or version."),
                },
            }
        },
    }
)
