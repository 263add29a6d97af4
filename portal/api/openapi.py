"""Assemble the OpenAPI 3.1 document from the fragments each API module registers."""

from __future__ import annotations

import copy
from typing import Any

_PATHS: dict[str, dict[str, Any]] = {}
_SCHEMAS: dict[str, Any] = {}
_TAGS: list[dict[str, str]] = []

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "examples": ["validation_error"]},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "description": "Messages per field; the key is a dotted path into the input.",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}


def add_paths(paths: dict[str, dict[str, Any]]) -> None:
    for path, operations in paths.items():
        _PATHS.setdefault(path, {}).update(operations)


def add_schemas(schemas: dict[str, Any]) -> None:
    _SCHEMAS.update(schemas)


def add_tag(name: str, description: str) -> None:
    if all(t["name"] != name for t in _TAGS):
        _TAGS.append({"name": name, "description": description})


def error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def json_response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


LANG_PARAMETER = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "Language of labels where a single language is returned (fr, nl or en).",
    "schema": {"type": "string", "enum": ["fr", "nl", "en"]},
}


def build_spec(server_url: str = "/api/v1") -> dict[str, Any]:
    schemas = {"Error": ERROR_SCHEMA, **copy.deepcopy(_SCHEMAS)}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Clausier API",
            "version": "1.0.0",
            "description": (
                "Open data of Clausier, the Brussels portal for sustainable, innovative and "
                "SME-friendly public procurement: procurement categories, CPV codes, contracting "
                "authorities, clauses and lot-split advice. Errors are JSON objects with a code, "
                "a message and, for invalid input, messages per field."
            ),
            "license": {"name": "CC BY 4.0", "identifier": "CC-BY-4.0"},
        },
        "servers": [{"url": server_url}],
        "tags": sorted(_TAGS, key=lambda t: t["name"]),
        "paths": {p: copy.deepcopy(_PATHS[p]) for p in sorted(_PATHS)},
        "components": {"schemas": schemas},
    }
