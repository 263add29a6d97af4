"""The `procedure` placement: provisions of the procedure itself (lots, deadlines, visits,
variants...). It comes first in tender order everywhere: files, catalogue, API, category pages,
the tender builder's groups and the coverage statistics."""

from __future__ import annotations

import pytest

from portal.clauses import schema, search, services, sync
from portal.clauses.forms import ClauseForm
from portal.clauses.vocabulary import PLACEMENT_TITLES, Placement
from tests.clauses.conftest import LOC, award_data, clause_data


def procedure_data(code: str = "CLEAN-SME-901", **overrides):  # type: ignore[no-untyped-def]
    data = clause_data(
        code,
        placement="procedure",
        facilitator="bee",
        cpv=[],
        title=LOC(
            "Lots par bâtiment et visite des lieux",
            "Percelen per gebouw en plaatsbezoek",
            "Lots per building and site visit",
        ),
        text=LOC(
            "Le marché est divisé en lots par bâtiment ; un même soumissionnaire obtient au plus "
            "{{ max_lots }} lots.",
            "De opdracht is verdeeld in percelen per gebouw; eenzelfde inschrijver krijgt "
            "hoogstens {{ max_lots }} percelen.",
            "The contract is divided into lots per building; one tenderer wins at most "
            "{{ max_lots }} lots.",
        ),
        parameters=[
            {
                "name": "max_lots",
                "type": "integer",
                "label": LOC("Lots au maximum", "Maximaal aantal percelen", "Maximum lots"),
                "min": 1,
                "max": 10,
                "default": 2,
            }
        ],
        legal_basis=[{"instrument": "law_2016", "article": "art. 58"}],
    )
    data.update(overrides)
    return data


@pytest.fixture()
def with_procedure(library, load_clauses):  # type: ignore[no-untyped-def]
    """The three library clauses and a procedure clause for cleaning."""
    return load_clauses(procedure_data())


def test_procedure_comes_first_in_tender_order():
    assert list(Placement)[0] == Placement.procedure
    assert list(PLACEMENT_TITLES) == list(Placement)
    assert str(Placement.procedure.title) == "Procedure and lots"


def test_a_procedure_file_is_valid_and_takes_no_award_block(corpus_dir):
    clause = schema.ClauseFile.model_validate(procedure_data())
    assert clause.placement == Placement.procedure
    assert "placement: procedure\n" in schema.dump(clause)
    with pytest.raises(ValueError, match="other placements must not have one"):
        schema.ClauseFile.model_validate(procedure_data(award=award_data()["award"]))


def test_catalogue_filters_procedure_clauses(client, with_procedure):
    page = client.get("/clauses?placement=procedure&lang=en").data.decode()
    assert "1 clause found" in page and "CLEAN-SME-901" in page
    assert '<option value="procedure" selected>Procedure and lots</option>' in page
    # The option comes first among the placements.
    assert page.index('value="procedure"') < page.index('value="exclusion"')
    french = client.get("/clauses?placement=procedure&lang=fr").data.decode()
    assert "Modalités de la procédure et lots" in french
    dutch = client.get("/clauses?lang=nl").data.decode()
    assert "Procedure en percelen" in dutch


def test_search_facet_and_service_filter(db, with_procedure):
    query, errors = services.parse_search({"placement": "procedure"})
    assert errors == {} and query.placement == Placement.procedure
    found = services.search_versions(db, query)
    assert [v.code for v in found.items] == ["CLEAN-SME-901"]
    assert search.placement_token(Placement.procedure) == "plcprocedure"
    both, _errors = services.parse_search({"placement": "procedure", "q": "gebouw"})
    assert [v.code for v in services.search_versions(db, both).items] == ["CLEAN-SME-901"]


def test_api_lists_serves_and_documents_procedure_clauses(client, with_procedure):
    body = client.get("/api/v1/clauses?placement=procedure").get_json()
    assert [c["code"] for c in body["clauses"]] == ["CLEAN-SME-901"]
    assert body["clauses"][0]["placement"] == "procedure"
    detail = client.get("/api/v1/clauses/CLEAN-SME-901").get_json()["current"]
    assert detail["placement"] == "procedure" and detail["award"] is None
    spec = client.get("/api/v1/openapi.json").get_json()
    parameter = next(
        p for p in spec["paths"]["/clauses"]["get"]["parameters"] if p["name"] == "placement"
    )
    assert parameter["schema"]["enum"][0] == "procedure"
    assert parameter["schema"]["enum"] == [p.value for p in Placement]
    for name in ("ClauseSummary", "ClauseVersion"):
        enum = spec["components"]["schemas"][name]["properties"]["placement"]["enum"]
        assert "procedure" in enum


def test_proposed_versions_put_procedure_first(app, db, with_procedure):
    groups = services.proposed_versions(db, category="cleaning")
    assert next(iter(groups)) == Placement.procedure
    assert [v.code for v in groups[Placement.procedure]] == ["CLEAN-SME-901"]
    with app.app_context():
        document = services.version_document(db, services.latest_published(db, "CLEAN-SME-901"))
    assert document["placement"]["value"] == "procedure"
    assert document["placement"]["titles"]["fr"] == "Modalités de la procédure et lots"
    assert document["placement"]["titles"]["nl"] == "Procedure en percelen"


def test_category_page_shows_procedure_clauses_first(client, with_procedure):
    page = client.get("/categories/cleaning?lang=en").data.decode()
    assert "CLEAN-SME-901" in page
    assert page.index("<h3>Procedure and lots</h3>") < page.index("<h3>Technical specification")


def test_editor_offers_the_procedure_placement_first(app):
    with app.test_request_context("/?lang=en"):
        form = ClauseForm(meta={"csrf": False})
        values = [choice.value for choice in form.placement.choices]
    assert values == [p.value for p in Placement]


def test_stats_count_procedure_clauses_and_check_the_parts_of_the_tender(corpus_dir):
    from tests.clauses.conftest import write_corpus

    write_corpus(corpus_dir, clause_data(), procedure_data())
    facts, errors = sync.facts_from_files(corpus_dir)
    cov = sync.coverage(facts, sync.category_order())
    text = sync.format_coverage(cov)
    assert not errors
    header = next(line for line in text.splitlines() if line.startswith("category"))
    assert header.index("PROC") < header.index("EXC")
    assert "placements: procedure 1, exclusion 0," in text
    # Cleaning has a technical specification but no selection, award or performance clause;
    # procedure clauses are optional.
    assert "  cleaning: exclusion or selection" in text
    assert "  cleaning: award" in text and "  cleaning: technical_specification" not in text
    assert not any("procedure" in line for line in text.splitlines() if line.startswith("  "))


def test_the_corpus_covers_every_part_of_the_tender_in_every_category():
    facts, errors = sync.facts_from_files(sync.CORPUS_DIR)
    assert errors == []
    cov = sync.coverage(facts, sync.category_order())
    assert cov.placement_gaps() == []
    assert cov.by_placement[Placement.procedure] > 0
