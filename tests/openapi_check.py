"""Check an API response against the schema that /api/v1/openapi.json documents for it."""

from __future__ import annotations

from typing import Any


def assert_matches_documented_schema(
    client: Any,
    url: str,
    path: str,
    *,
    method: str = "get",
    status: int = 200,
    json: Any = None,
) -> Any:
    """Call ``url`` and assert its status, and that its JSON body validates against the response
    schema of ``path`` (as written in the OpenAPI document, without /api/v1) for that status.
    Returns the body."""
    from jsonschema import Draft202012Validator

    spec = client.get("/api/v1/openapi.json").get_json()
    response = client.open(url, method=method.upper(), json=json)
    assert response.status_code == status, (url, response.status_code, response.data[:500])
    operation = spec["paths"][path][method]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    # The document's components travel with the schema, so that its "#/components/..." refs
    # resolve; OpenAPI 3.1 schemas are JSON Schema 2020-12.
    validator = Draft202012Validator({**schema, "components": spec["components"]})
    body = response.get_json()
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)
    ]
    assert errors == [], (url, errors[:5])
    return body
