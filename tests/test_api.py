import re

import pytest

from tests.openapi_check import assert_matches_documented_schema


def test_categories_endpoint_lists_codes_names_and_cpv(client):
    response = client.get("/api/v1/categories")
    assert response.status_code == 200
    data = response.get_json()["categories"]
    assert len(data) >= 16
    cleaning = next(c for c in data if c["code"] == "cleaning")
    assert cleaning["names"] == {
        "fr": "Services de nettoyage",
        "nl": "Schoonmaakdiensten",
        "en": "Cleaning services",
    }
    assert "90910000-9" in cleaning["cpv_codes"]


def test_cpv_endpoint_searches_and_validates(client):
    assert client.get("/api/v1/cpv?q=schoonmaak").get_json()["results"]
    response = client.get("/api/v1/cpv?q=a")
    assert response.status_code == 400
    assert response.get_json()["error"]["fields"]["q"]
    response = client.get("/api/v1/cpv/12345678-9", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "does not exist" in response.get_json()["error"]["fields"]["code"][0]
    detail = client.get("/api/v1/cpv/90911200-8").get_json()
    assert detail["categories"] == ["cleaning"]
    assert detail["ancestors"][0] == "90911000-6"


def test_api_errors_are_json_in_the_users_language(client):
    response = client.get("/api/v1/categories/unknown", headers={"Accept-Language": "nl"})
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["error"]["code"] == "not_found"


def test_authorities_endpoint_filters_and_rejects_unknown_values(client):
    data = client.get("/api/v1/authorities?type=municipality").get_json()["authorities"]
    assert len(data) == 19
    assert client.get("/api/v1/authorities?kind=galactic").status_code == 400


def test_openapi_documents_every_api_route(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in documented, f"{method} {path} is not documented"


def test_openapi_references_resolve(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    text = str(spec)
    for ref in set(re.findall(r"#/components/schemas/(\w+)", text)):
        assert ref in spec["components"]["schemas"], ref


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/categories/%3Cscript%3E"])
def test_unknown_api_paths_give_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.is_json


def test_wrong_method_on_api_is_json_405(client):
    response = client.post("/api/v1/categories", json={})
    assert response.status_code == 405
    assert response.is_json


def test_openapi_document_is_a_valid_openapi_3_document(client):
    from openapi_spec_validator import validate

    validate(client.get("/api/v1/openapi.json").get_json())  # raises on any schema error


def test_responses_match_their_documented_schemas(client):
    assert_matches_documented_schema(client, "/api/v1/categories", "/categories")
    assert_matches_documented_schema(
        client, "/api/v1/authorities?type=municipality", "/authorities"
    )
    assert_matches_documented_schema(
        client, "/api/v1/authorities?kind=galactic", "/authorities", status=400
    )
    assert_matches_documented_schema(client, "/api/v1/categories/cleaning", "/categories/{code}")
    assert_matches_documented_schema(client, "/api/v1/cpv?q=nettoyage", "/cpv")
    assert_matches_documented_schema(client, "/api/v1/cpv?q=a", "/cpv", status=400)
    assert_matches_documented_schema(client, "/api/v1/cpv/90910000-9", "/cpv/{code}")
    assert_matches_documented_schema(client, "/api/v1/cpv/12345678-9", "/cpv/{code}", status=400)
