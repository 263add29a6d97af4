"""Full-text search in French, Dutch and English with filters and CPV ancestry; the same
behaviour on SQLite (FTS5) and PostgreSQL (tsvector), and no user input breaks a query."""

from __future__ import annotations

import pytest

from portal.clauses import search, services
from portal.clauses.vocabulary import Ambition, Family, Placement
from tests.clauses.conftest import LOC


def _codes(db, **args) -> list[str]:  # type: ignore[no-untyped-def]
    query, errors = services.parse_search(args)
    assert errors == {}
    return sorted(v.code for v in services.search_versions(db, query).items)


@pytest.mark.parametrize(
    "q",
    [
        "désinfectants",  # French
        "ontsmettingsmiddelen afbreekbaar",  # Dutch, two words
        "biodegradable disinfectants",  # English
        "desinfectants biodegradables",  # accents left out
        "Biologisch",  # case
        "désinfect",  # word start
    ],
)
def test_words_in_any_language_find_the_clause(db, library, q):
    assert _codes(db, q=q) == ["CLEAN-ENV-901"]


def test_every_word_must_match(db, library):
    assert _codes(db, q="désinfectants stagiaires") == []
    assert _codes(db, q="stagiaires") == ["GEN-SOC-901"]


def test_titles_rank_before_texts(db, library, load_clauses):
    from tests.clauses.conftest import clause_data

    load_clauses(
        clause_data(
            "CLEAN-ENV-903",
            title=LOC("Autolaveuses", "Schrobmachines", "Scrubber dryers"),
            text=LOC(
                "Les autolaveuses ont un niveau sonore bas. {{ share }} {{ labels }} {{ months }}",
                "De schrobmachines zijn stil. {{ share }} {{ labels }} {{ months }}",
                "The scrubber dryers are quiet. {{ share }} {{ labels }} {{ months }}",
            ),
        )
    )
    query, _errors = services.parse_search({"q": "autolaveuses"})
    ranked = [v.code for v in services.search_versions(db, query).items]
    assert ranked == ["CLEAN-ENV-903", "CLEAN-ENV-902"]


def test_filters_by_family_placement_ambition_and_category(db, library):
    assert _codes(db, family="social") == ["GEN-SOC-901"]
    assert _codes(db, placement="award") == ["CLEAN-ENV-902"]
    assert _codes(db, ambition="base") == ["CLEAN-ENV-901"]
    assert _codes(db, category="catering") == ["GEN-SOC-901"]
    assert _codes(db, category="cleaning", family="environmental") == [
        "CLEAN-ENV-901",
        "CLEAN-ENV-902",
    ]
    assert _codes(db, category="it-hardware") == []


def test_cpv_matches_its_ancestors_and_the_categories_covering_it(db, library):
    # 39831000-6 (detergents) lies below 39830000-9, to which CLEAN-ENV-901 is attached, and
    # below a root of the cleaning category, for which all three clauses are written.
    assert _codes(db, cpv="39831000-6") == ["CLEAN-ENV-901", "CLEAN-ENV-902", "GEN-SOC-901"]
    assert _codes(db, cpv="39831000-6", family="environmental", q="désinfectants") == [
        "CLEAN-ENV-901"
    ]
    # 55520000-1 (catering services) is covered by the catering category only.
    assert _codes(db, cpv="55520000") == ["GEN-SOC-901"]
    # 30213100-6 (portable computers): no clause.
    assert _codes(db, cpv="30213100-6") == []


@pytest.mark.parametrize("q", ["", "désinfectants"])
def test_cpv_of_a_group_finds_the_clauses_attached_below_it(db, load_clauses, q):
    # A catering clause attached to 30213100-6 (portable computers): no category links it to
    # the IT codes, only its CPV code does.
    from tests.clauses.conftest import clause_data

    load_clauses(clause_data(categories=["catering"], cpv=["30213100-6"], code="CATER-ENV-901"))
    assert _codes(db, cpv="30213100-6", q=q) == ["CATER-ENV-901"]  # the code itself
    assert _codes(db, cpv="30210000-4", q=q) == ["CATER-ENV-901"]  # its group
    assert _codes(db, cpv="30000000-9", q=q) == ["CATER-ENV-901"]  # its division
    assert _codes(db, cpv="30213200-7", q=q) == []  # a sibling
    assert _codes(db, cpv="39830000-9", q=q) == []


def test_cpv_of_a_parent_and_of_a_child_find_the_same_specific_clause(db, load_clauses):
    from tests.clauses.conftest import clause_data

    load_clauses(clause_data(categories=["it-hardware"], cpv=["30213100-6"], code="ITHW-ENV-901"))
    assert _codes(db, cpv="30213100-6") == ["ITHW-ENV-901"]
    assert _codes(db, cpv="30213000-5") == ["ITHW-ENV-901"]  # category it-hardware covers it
    assert _codes(db, cpv="39830000-9") == []


def test_superseded_and_retired_versions_are_not_found(db, library, curator, curator2):
    draft = services.start_draft(db, actor=curator, code="CLEAN-ENV-901")
    data = services.data_of(db, draft)
    data["title"] = LOC("Produits probiotiques", "Probiotische middelen", "Probiotic products")
    data["change_note"] = LOC("Nouveau titre.", "Nieuwe titel.", "New title.")
    services.update_draft(
        db, actor=curator, version_id=draft.id, data=data, lock_version=draft.lock_version
    )
    services.submit_version(db, actor=curator, version_id=draft.id)
    assert _codes(db, q="probiotiques") == []  # not published yet
    services.publish_version(db, actor=curator2, version_id=draft.id)
    assert _codes(db, q="probiotiques") == ["CLEAN-ENV-901"]
    query, _errors = services.parse_search({"q": "biodegradable"})
    found = services.search_versions(db, query).items
    assert [v.id for v in found] == [draft.id]  # the text is still there; v1 is no longer
    services.retire_clause(db, actor=curator, code="CLEAN-ENV-901", reason="Retirée.")
    assert _codes(db, q="probiotiques") == []


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "'",
        "*",
        "^",
        "NEAR(a b)",
        "a OR b AND NOT c",
        "title_fr:x",
        '"unclosed phrase',
        "') DROP TABLE clause_versions; --",
        "!!! ??? ::: &&& |||",
        "désinfectants:*",
        "a" * 200,
        "\x00\x01",
        "l'",
        "-",
        "(",
    ],
)
def test_any_input_is_a_safe_query(db, library, client, q):
    query, errors = services.parse_search({"q": q})
    result = services.search_versions(db, query)
    assert result.total >= 0 and errors == {}
    assert client.get("/clauses", query_string={"q": q}).status_code == 200
    assert client.get("/api/v1/clauses", query_string={"q": q}).status_code == 200


def test_query_words_are_quoted(db):
    # Folded, de-duplicated, punctuation and one-letter words dropped: operators become words.
    assert search.terms('Désinfectants, l\'eau OR "xy" eau') == ["desinfectants", "eau", "or", "xy"]
    assert search.fts5_query(["eau", "co"]) == '"eau"* "co"'
    assert search.tsquery(["eau", "desinfect"]) == "eau & desinfect:*"
    assert search.tsquery(["desinfect", "co"]) == "desinfect & co"


def test_an_overlong_query_is_refused_not_cut(db, library):
    query, errors = services.parse_search({"q": "x" * 201})
    assert "q" in errors and query.q == ""


def test_invalid_filters_are_reported(db):
    query, errors = services.parse_search(
        {"family": "cosmic", "placement": "top", "ambition": "x", "category": "nope", "cpv": "123"}
    )
    assert set(errors) == {"family", "placement", "ambition", "category", "cpv"}
    assert query.is_empty


def test_filter_values_are_enums(db):
    query, errors = services.parse_search(
        {"family": "pro_sme", "placement": "selection", "ambition": "ambitious"}
    )
    assert (query.family, query.placement, query.ambition) == (
        Family.pro_sme,
        Placement.selection,
        Ambition.ambitious,
    )
    assert errors == {}


def test_rebuilding_the_index_keeps_results(db, library):
    assert search.rebuild_index(db) == 3
    assert _codes(db, q="stagiaires") == ["GEN-SOC-901"]


def test_common_words_rank_title_matches_first_and_counts_are_capped(
    db, load_clauses, monkeypatch, client
):
    from tests.clauses.conftest import clause_data

    items = []
    for n in range(1, 7):
        in_title = n in (3, 5)
        items.append(
            clause_data(
                f"CLEAN-ENV-9{n:02d}",
                title=LOC(
                    ("Marché commun " if in_title else "Titre ") + str(n),
                    "Titel " + str(n),
                    "Title " + str(n),
                ),
                text=LOC(
                    "Un marché commun {{ share }} {{ labels }} {{ months }}",
                    "Een gemeenschappelijke markt {{ share }} {{ labels }} {{ months }}",
                    "A common market {{ share }} {{ labels }} {{ months }}",
                ),
            )
        )
    load_clauses(*items)
    monkeypatch.setattr(search, "FULL_RANK_LIMIT", 2)
    monkeypatch.setattr(search, "COUNT_LIMIT", 5)
    query, _errors = services.parse_search({"q": "commun"})
    first = services.search_versions(db, query, page=1, per_page=3)
    second = services.search_versions(db, query, page=2, per_page=3)
    assert (first.total, first.exact, second.total) == (5, False, 5)
    codes = [v.code for v in first.items + second.items]
    assert codes[:2] == ["CLEAN-ENV-903", "CLEAN-ENV-905"]  # titles first
    assert codes[2:] == ["CLEAN-ENV-901", "CLEAN-ENV-902", "CLEAN-ENV-904"]  # then index order
    body = client.get("/api/v1/clauses?q=commun&per_page=3&page=2").get_json()
    assert body["total"] == 5 and body["total_exact"] is False and body["pages"] == 2
    page = client.get("/clauses?q=commun&lang=en").data.decode()
    assert "More than 5 clauses found" in page
