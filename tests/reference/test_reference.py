import pytest
from sqlmodel import func, select

from portal.errors import ValidationError
from portal.reference import services
from portal.reference.models import (
    AuthorityKind,
    AuthorityType,
    ContractingAuthority,
    CpvCode,
    ProcurementCategory,
)

REQUIRED_CATEGORIES = {
    "catering",
    "cleaning",
    "office-supplies",
    "it-hardware",
    "software-it-services",
    "furniture",
    "vehicles-mobility",
    "logistics-delivery",
    "construction-works",
    "renovation-energy",
    "maintenance-fm",
    "textiles-workwear",
    "events-communication",
    "green-spaces",
    "energy-supply",
    "waste",
    "security-services",
}


def test_all_official_cpv_codes_are_loaded_with_three_labels(db):
    assert db.exec(select(func.count()).select_from(CpvCode)).one() == 9454
    sample = db.get(CpvCode, "90910000-9")
    assert (sample.label_en, sample.label_fr, sample.label_nl) == (
        "Cleaning services",
        "Services de nettoyage",
        "Reinigingsdiensten",
    )
    assert sample.parent_code == "90900000-6"
    assert sample.level == 4


def test_cpv_codes_that_fail_the_check_digit_rule_are_still_valid():
    # 30213000-5 does not satisfy the weighted check-digit rule, yet it is official.
    assert services.validate_cpv("30213000-5") == "30213000-5"


@pytest.mark.parametrize(
    "raw,message",
    [
        ("90910000-1", "does not exist"),
        ("9091", "is not a CPV code"),
        ("<script>", "is not a CPV code"),
    ],
)
def test_unknown_or_malformed_cpv_codes_are_rejected(raw, message):
    with pytest.raises(ValidationError) as exc:
        services.validate_cpv(raw, field="main_cpv")
    assert message in str(exc.value.errors["main_cpv"][0])


def test_eight_digits_get_their_check_digit():
    assert services.validate_cpv("45000000") == "45000000-7"


@pytest.mark.parametrize(
    "query,expected",
    [
        ("nettoyage de bâtiments", "90911200-8"),
        ("reiniging van gebouwen", "90911200-8"),
        ("building-cleaning", "90911200-8"),
        ("NETTOYAGE DE BATIMENTS", "90911200-8"),
        ("909112", "90911200-8"),
    ],
)
def test_cpv_search_in_three_languages_and_by_code(db, query, expected):
    codes = [c.code for c in services.search_cpv(db, query, limit=50)]
    assert expected in codes


def test_cpv_search_is_safe_with_wildcards(db):
    assert services.search_cpv(db, "%_%") == []


def test_categories_have_names_in_three_languages_and_valid_cpv(db):
    categories = services.list_categories(db)
    assert {c.code for c in categories} >= REQUIRED_CATEGORIES
    cpv_map = services.category_cpv_map(db)
    for category in categories:
        assert category.name_fr and category.name_nl and category.name_en
        assert cpv_map[category.code], category.code
        for code in cpv_map[category.code]:
            assert services.validate_cpv(code) == code


def test_categories_for_a_cpv_code_follow_the_tree(db):
    codes = [c.code for c in services.categories_for_cpv(db, "90911200-8")]
    assert codes == ["cleaning"]
    assert "it-hardware" in [c.code for c in services.categories_for_cpv(db, "30213000-5")]


def test_authorities_registry(db):
    authorities = db.exec(select(ContractingAuthority)).all()
    municipalities = [a for a in authorities if a.type == AuthorityType.municipality]
    cpas = [a for a in authorities if a.type == AuthorityType.cpas]
    assert len(municipalities) == 19 and len(cpas) == 19
    codes = {a.code for a in authorities}
    for required in (
        "bruxelles-environnement",
        "bee",
        "actiris",
        "hub-brussels",
        "innoviris",
        "bruxelles-mobilite",
        "citydev",
        "port-bruxelles",
        "bruxelles-proprete",
    ):
        assert required in codes
    for a in authorities:
        assert a.name_fr and a.name_nl and a.nuts_code == "BE100"
        expected = (
            AuthorityKind.central if a.type == AuthorityType.federal else AuthorityKind.sub_central
        )
        assert a.kind == expected, a.code


def test_municipality_names_in_both_languages():
    assert services.municipality_by_name("Elsene").code == "ixelles"
    assert services.municipality_by_name("sint-jans-molenbeek").code == "molenbeek-saint-jean"
    assert services.municipality_by_name("Paris") is None


def test_category_page_lists_cpv_codes(client):
    response = client.get("/categories/cleaning", headers={"Accept-Language": "nl"})
    assert response.status_code == 200
    assert b"Schoonmaakdiensten" in response.data
    assert b"90910000-9" in response.data


def test_cpv_search_page(client):
    response = client.get("/cpv?q=reinigingsdiensten")
    assert response.status_code == 200
    assert b"90910000-9" in response.data


def test_unknown_category_is_a_404_page(client):
    response = client.get("/categories/nope")
    assert response.status_code == 404
    assert b"nope" in response.data


def test_reference_data_counts_stay_stable(db):
    assert db.exec(select(func.count()).select_from(ProcurementCategory)).one() == 17
