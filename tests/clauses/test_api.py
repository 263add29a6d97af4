"""The JSON API of the clause library: shapes, filters, pagination and errors."""

from __future__ import annotations

import pytest

from portal.clauses import services
from tests.clauses.conftest import LOC


def test_list_returns_published_summaries_with_pagination(client, library):
    body = client.get("/api/v1/clauses?per_page=2").get_json()
    assert body["total"] == 3 and body["pages"] == 2 and body["page"] == 1
    assert [c["code"] for c in body["clauses"]] == ["CLEAN-ENV-901", "CLEAN-ENV-902"]
    first = body["clauses"][0]
    assert set(first) >= {"code", "number", "title", "family", "placement", "ambition", "url"}
    assert first["title"]["nl"] == "Biologisch afbreekbare ontsmettingsmiddelen"
    assert first["categories"] == ["cleaning"]
    assert first["api_url"].endswith("/api/v1/clauses/CLEAN-ENV-901/versions/1")
    page2 = client.get("/api/v1/clauses?per_page=2&page=2").get_json()
    assert [c["code"] for c in page2["clauses"]] == ["GEN-SOC-901"]


def test_list_searches_and_filters_like_the_catalogue(client, library):
    body = client.get("/api/v1/clauses?q=stagiairs&cpv=55520000-1").get_json()
    assert [c["code"] for c in body["clauses"]] == ["GEN-SOC-901"]
    body = client.get("/api/v1/clauses?family=environmental&placement=award").get_json()
    assert [c["code"] for c in body["clauses"]] == ["CLEAN-ENV-902"]


@pytest.mark.parametrize(
    "query,field",
    [
        ("family=cosmic", "family"),
        ("placement=x", "placement"),
        ("ambition=9", "ambition"),
        ("category=nope", "category"),
        ("cpv=12345678-9", "cpv"),
        ("cpv=abc", "cpv"),
        ("page=abc", "page"),
        ("page=0", "page"),
        ("per_page=1000", "per_page"),
        ("q=" + "x" * 201, "q"),
    ],
)
def test_bad_parameters_give_400_with_field_errors(client, library, query, field):
    response = client.get(f"/api/v1/clauses?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["fields"]


def test_errors_follow_the_language(client, library):
    english = client.get("/api/v1/clauses?family=cosmic&lang=en").get_json()["error"]
    dutch = client.get("/api/v1/clauses?family=cosmic&lang=nl").get_json()["error"]
    assert english["fields"]["family"] == ["Not one of the allowed values."]
    assert dutch["fields"]["family"] != english["fields"]["family"]
    assert "waarde" in dutch["fields"]["family"][0]


def test_clause_has_current_version_history_and_mandatory(
    client, db, library, curator, curator2, coordinator
):
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    data = services.data_of(db, draft)
    data["ambition"] = "advanced"
    data["change_note"] = LOC("Relevé.", "Verhoogd.", "Raised.")
    services.update_draft(
        db, actor=curator, version_id=draft.id, data=data, lock_version=draft.lock_version
    )
    services.submit_version(db, actor=curator, version_id=draft.id)
    services.publish_version(db, actor=curator2, version_id=draft.id)
    from datetime import date

    services.mark_mandatory(
        db,
        actor=coordinator,
        code="CLEAN-ENV-901",
        category="cleaning",
        applies_from=date(2027, 1, 1),
    )
    db.commit()
    body = client.get("/api/v1/clauses/CLEAN-ENV-901").get_json()
    assert body["status"] == "published"
    current = body["current"]
    assert current["number"] == 2 and current["ambition"] == "advanced"
    assert current["text"]["fr"].startswith("Au moins {{ share }}")
    assert [p["name"] for p in current["parameters"]] == ["share", "labels", "months"]
    assert current["verification"][0]["evidence"] == "label"
    assert (
        current["legal_basis"][0]["title"]["nl"]
        == "Wet van 17 juni 2016 inzake overheidsopdrachten"
    )
    assert current["award"] is None
    assert [(v["number"], v["status"]) for v in body["versions"]] == [
        (2, "published"),
        (1, "superseded"),
    ]
    assert body["mandatory"] == [{"category": "cleaning", "from": "2027-01-01", "until": None}]


def test_version_endpoint_serves_superseded_versions(client, db, library, curator, curator2):
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-902")
    data = services.data_of(db, draft)
    data["award"]["weight"]["suggested"] = 12
    data["change_note"] = LOC("Poids.", "Weging.", "Weight.")
    services.update_draft(
        db, actor=curator, version_id=draft.id, data=data, lock_version=draft.lock_version
    )
    services.submit_version(db, actor=curator, version_id=draft.id)
    services.publish_version(db, actor=curator2, version_id=draft.id)
    db.commit()
    old = client.get("/api/v1/clauses/CLEAN-ENV-902/versions/1").get_json()
    new = client.get("/api/v1/clauses/CLEAN-ENV-902/versions/2").get_json()
    assert old["status"] == "superseded" and old["superseded_at"]
    assert old["award"]["weight"]["suggested"] == 10
    assert new["award"]["weight"]["suggested"] == 12


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/clauses/NOPE-ENV-001",
        "/api/v1/clauses/CLEAN-ENV-901/versions/9",
        "/api/v1/clauses/CLEAN-ENV-901/versions/0",
    ],
)
def test_unknown_clause_or_version_is_a_json_404(client, library, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_drafts_are_not_served(client, db, library, curator):
    data = services.data_of(db, services.latest_published(db, "CLEAN-ENV-901"))
    created = services.create_clause(db, actor=curator, data=data)
    db.commit()
    assert client.get(f"/api/v1/clauses/{created.code}").status_code == 404
    body = client.get("/api/v1/clauses").get_json()
    assert created.code not in [c["code"] for c in body["clauses"]]


def test_openapi_documents_the_clause_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/clauses", "/clauses/{code}", "/clauses/{code}/versions/{number}"):
        assert "get" in spec["paths"][path]
    names = {p["name"] for p in spec["paths"]["/clauses"]["get"]["parameters"]}
    assert names == {"q", "category", "cpv", "family", "placement", "ambition", "page", "per_page"}
    assert {"ClauseSummary", "ClauseVersion", "ClauseParameter"} <= set(
        spec["components"]["schemas"]
    )


def test_clause_responses_match_the_openapi_document(client, library):
    from tests.openapi_check import assert_matches_documented_schema as check

    check(client, "/api/v1/clauses?q=stagiairs", "/clauses")
    check(client, "/api/v1/clauses?family=cosmic", "/clauses", status=400)
    check(client, "/api/v1/clauses/CLEAN-ENV-901", "/clauses/{code}")
    check(client, "/api/v1/clauses/CLEAN-ENV-901/versions/1", "/clauses/{code}/versions/{number}")
    check(client, "/api/v1/clauses/NOPE-ENV-999", "/clauses/{code}", status=404)
