"""POST /api/v1/lot-split and /assess: shapes, the OpenAPI description, every kind of bad input
(400 with messages per field, 413), and messages in the language of the request."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from portal.api.openapi import build_spec
from portal.lots.api import MAX_BODY_BYTES
from portal.lots.parsing import MAX_ITEMS

URL = "/api/v1/lot-split"


def item(**overrides):  # type: ignore[no-untyped-def]
    data = {"description": "Nettoyage des bureaux", "cpv": "90919200-4", "value": "120000"}
    data.update(overrides)
    return data


def body(items=None, **options):  # type: ignore[no-untyped-def]
    opts = {
        "authority_kind": "sub_central",
        "contract_type": "services",
        "publication_date": "2027-03-15",
        "duration_months": 48,
    }
    opts.update(options)
    return {
        "items": items
        if items is not None
        else [
            item(id="town-hall", value="480000", municipality="Ixelles", site="Hôtel communal"),
            item(id="schools", cpv="90919300-5", value="620000", municipality="Elsene"),
            item(id="windows", cpv="90911300-9", value=96000),
            item(id="products", cpv="39830000-9", value=40000.5),
            item(id="paper", cpv="33761000-2", value="44000"),
        ],
        "options": opts,
    }


def post(client, data, lang="en", **kwargs):  # type: ignore[no-untyped-def]
    return client.post(URL, json=data, headers={"Accept-Language": lang}, **kwargs)


def raw(client, data, content_type="application/json"):  # type: ignore[no-untyped-def]
    return client.post(URL, data=data, content_type=content_type, headers={"Accept-Language": "en"})


def fields(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 400, response.data[:500]
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    return error["fields"]


def test_proposals_with_lots_checks_and_thresholds(client):
    response = post(client, body())
    assert response.status_code == 200
    data = response.get_json()
    assert 2 <= len(data["proposals"]) <= 3
    assert data["thresholds"]["on_date"] == "2027-03-15"
    assert data["thresholds"]["eu"]["amount"] == "216000.00"
    proposal = data["proposals"][data["recommended"]]
    placed = sorted(i for lot in proposal["lots"] for i in lot["item_ids"])
    assert placed == ["paper", "products", "schools", "town-hall", "windows"]
    lot = proposal["lots"][0]
    assert Decimal(lot["turnover_cap"]) == 2 * Decimal(lot["value"])
    assert Decimal(lot["turnover_sme"]) <= Decimal(lot["turnover_max"])
    assert lot["procedure"]["code"] in {
        "accepted_invoice",
        "negotiated_without_publication",
        "national_publication",
        "eu_publication",
    }
    assert lot["sme_reasons"] and lot["sme_reasons"][0]["message"]
    codes = {check["code"] for check in proposal["checks"]}
    assert {
        "aggregate_eu_threshold",
        "small_lots_exemption",
        "max_lots_per_tenderer",
        "combined_bids",
        "divide_or_explain",
        "coordination_lot",
        "turnover_cap",
    } <= codes
    check = proposal["checks"][0]
    assert check["article"] and check["title"] and check["message"]


def test_amounts_are_exact_strings_and_cost_a_fraction(client):
    data = post(client, body()).get_json()
    proposal = data["proposals"][0]
    assert proposal["aggregate"] == "1280000.50"
    assert "/" in proposal["cost"] or proposal["cost"].isdigit()
    assert all(isinstance(lot["value"], str) for lot in proposal["lots"])
    # No exponent notation anywhere ("1E+6"), whatever the arithmetic made of the Decimals.
    assert not re.search(r"\d[eE][+-]?\d", json.dumps(data))


def test_same_input_same_output(client):
    first = post(client, body()).get_json()
    reordered = body()
    reordered["items"].reverse()
    assert post(client, reordered).get_json() == first


def test_not_dividing_gives_the_drafted_justification(client):
    data = post(client, body(divide=False)).get_json()
    assert [p["strategy"] for p in data["proposals"]] == ["single_lot"]
    justification = data["proposals"][0]["justification"]
    assert "article 58" in justification["fr"]
    assert "artikel 58" in justification["nl"]


def test_coordination_lot_with_tasks_and_interactions(client):
    data = post(client, body(coordination_lot=True, coordination_value="40000")).get_json()
    divided = next(p for p in data["proposals"] if len(p["lots"]) >= 2)
    coordination = divided["coordination"]
    assert coordination["coordinates"] == [lot["number"] for lot in divided["lots"]]
    assert coordination["tasks"][0]["message"]
    assert any(i["code"] == "direct_contract_with_authority" for i in coordination["interactions"])


def test_messages_follow_accept_language(client):
    fr = post(client, body(), lang="fr-BE,fr;q=0.9").get_json()
    nl = post(client, body(), lang="nl-BE,nl;q=0.9").get_json()
    assert fr["language"] == "fr" and nl["language"] == "nl"
    fr_check = fr["proposals"][0]["checks"][0]
    nl_check = nl["proposals"][0]["checks"][0]
    assert fr_check["title"] == "Valeur de l'ensemble des lots et seuil européen"
    assert nl_check["title"] == "Waarde van alle percelen en Europese drempel"
    assert "seuil européen" in fr_check["message"]
    assert "Europese drempel" in nl_check["message"]


def test_assess_keeps_the_given_lots_and_numbers(client):
    data = body()
    data["lots"] = [["products", "paper"], ["town-hall", "schools", "windows"]]
    response = client.post(URL + "/assess", json=data)
    assert response.status_code == 200
    proposal = response.get_json()["proposal"]
    assert [lot["item_ids"] for lot in proposal["lots"]] == [
        ["paper", "products"],
        ["schools", "town-hall", "windows"],
    ]
    assert proposal["strategy"] == "manual"


def test_assess_reports_items_left_out(client):
    data = body()
    data["lots"] = [["products"], ["town-hall"]]
    messages = fields(client.post(URL + "/assess", json=data))
    assert "lots" in messages


def test_endpoints_are_documented_with_schemas_and_examples(app):
    with app.test_request_context():
        spec = build_spec()
    for path in ("/lot-split", "/lot-split/assess"):
        operation = spec["paths"][path]["post"]
        content = operation["requestBody"]["content"]["application/json"]
        assert content["schema"]["$ref"].startswith("#/components/schemas/LotSplit")
        assert content["example"]["items"]
        assert set(operation["responses"]) >= {"200", "400", "413"}
    schemas = spec["components"]["schemas"]
    assert {"LotSplitRequest", "LotSplitResponse", "LotSplitProposal", "LotSplitCheck"} <= set(
        schemas
    )


def test_the_documented_example_is_accepted(client, app):
    with app.test_request_context():
        example = build_spec()["paths"]["/lot-split"]["post"]["requestBody"]["content"][
            "application/json"
        ]["example"]
    assert post(client, example).status_code == 200


def test_no_csrf_token_or_account_needed(app, db):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = app.test_client().post(URL, json=body())
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 200


# ------------------------------------------------------------------------------------------------
# Bad input


def test_malformed_json(client):
    response = raw(client, "{items: [")
    assert fields(response) == {"": ["The request body is not valid JSON."]}


def test_non_json_content_type(client):
    response = raw(client, "items=1", "application/x-www-form-urlencoded")
    assert "Content-Type: application/json" in fields(response)[""][0]


@pytest.mark.parametrize("payload", [[], "text", 42, None])
def test_body_not_an_object(client, payload):
    response = raw(client, json.dumps(payload))
    assert "" in fields(response)


def test_empty_item_list(client):
    assert fields(post(client, body(items=[]))) == {"items": ["Add at least one item."]}


def test_unknown_cpv_code_is_named_by_position(client):
    items = body()["items"]
    items[3]["cpv"] = "99999999-9"
    messages = fields(post(client, body(items=items)))
    assert list(messages) == ["items.3.cpv"]
    assert "99999999-9" in messages["items.3.cpv"][0]


@pytest.mark.parametrize(
    "value,message",
    [
        ("-5", "Enter a number greater than zero."),
        (0, "Enter a number greater than zero."),
        ("abc", "Enter an amount as a number, for example 12500.50."),
        (True, "Enter an amount as a number, for example 12500.50."),
        ("1e400", "Enter an amount as a number, for example 12500.50."),
        ("1000000000000", "Too large: must be less than €1,000,000,000,000.00."),
    ],
)
def test_bad_values(client, value, message):
    assert fields(post(client, body(items=[item(value=value)]))) == {"items.0.value": [message]}


def test_missing_required_fields(client):
    messages = fields(post(client, body(items=[{"id": "a"}])))
    assert set(messages) == {"items.0.description", "items.0.cpv", "items.0.value"}


def test_unknown_place(client):
    messages = fields(post(client, body(items=[item(municipality="Ixeles")])))
    assert "Ixeles" in messages["items.0.municipality"][0]


@pytest.mark.parametrize("day", ["2027-02-30", "31/13/2027", "tomorrow", 20270101])
def test_impossible_dates(client, day):
    messages = fields(post(client, body(items=[item(start=day, end="2028-01-01")])))
    assert messages == {
        "items.0.start": ["Enter a real date, for example 31/12/2027 or 2027-12-31."]
    }


def test_end_before_start(client):
    messages = fields(post(client, body(items=[item(start="2028-01-01", end="2027-01-01")])))
    assert messages == {"items.0.end": ["The end date is before the start date."]}


def test_duplicate_ids(client):
    messages = fields(post(client, body(items=[item(id="a"), item(id="a")])))
    assert messages == {"items.1.id": ["The identifier “a” is used twice."]}


def test_unknown_fields_are_refused(client):
    data = body()
    data["items"][0]["colour"] = "blue"
    data["options"]["speed"] = 3
    messages = fields(post(client, data))
    assert set(messages) == {"items.0.colour", "options.speed"}


def test_bad_options(client):
    data = body(
        authority_kind="federal",
        contract_type=None,
        max_lots_per_tenderer=0,
        combined_bids_allowed="yes",
        target_lot_size="-1",
    )
    messages = fields(post(client, data))
    assert set(messages) == {
        "options.authority_kind",
        "options.contract_type",
        "options.max_lots_per_tenderer",
        "options.combined_bids_allowed",
        "options.target_lot_size",
    }


def test_annex_xiv_needs_services(client):
    messages = fields(post(client, body(contract_type="works", annex_xiv_services=True)))
    assert list(messages) == ["options.annex_xiv_services"]


def test_publication_date_outside_the_thresholds(client):
    messages = fields(post(client, body(publication_date="2040-01-01")))
    assert "2040-01-01" in messages["options.publication_date"][0]


def test_too_many_items(client):
    many = [item(id=str(n)) for n in range(MAX_ITEMS + 1)]
    assert fields(post(client, body(items=many))) == {"items": ["At most 5000 items at a time."]}


def test_oversized_body_gets_a_json_413(client):
    big = json.dumps(body(items=[item(description="x" * 400, id=str(n)) for n in range(11000)]))
    assert len(big) > MAX_BODY_BYTES
    response = client.post(URL, data=big, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "request_entity_too_large"


def test_errors_in_french_and_dutch(client):
    bad = body(items=[item(cpv="99999999-9", value="-1")])
    fr = fields(post(client, bad, lang="fr"))
    nl = fields(post(client, bad, lang="nl"))
    assert fr["items.0.value"] == ["Indiquez un nombre supérieur à zéro."]
    assert nl["items.0.value"] == ["Geef een getal groter dan nul."]
    assert "nomenclature CPV 2008" in fr["items.0.cpv"][0]
    assert "CPV-nomenclatuur 2008" in nl["items.0.cpv"][0]


def test_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405


def test_lot_split_responses_match_the_openapi_document(client):
    from tests.openapi_check import assert_matches_documented_schema as check

    check(client, URL, "/lot-split", method="post", json=body())
    check(client, URL, "/lot-split", method="post", status=400, json={"items": []})
    assess = body()
    assess["lots"] = [["products", "paper"], ["town-hall", "schools", "windows"]]
    check(client, URL + "/assess", "/lot-split/assess", method="post", json=assess)
    assess["lots"] = [["products"], ["town-hall"]]
    check(client, URL + "/assess", "/lot-split/assess", method="post", status=400, json=assess)


def test_the_documented_money_examples_are_what_the_parser_reads(client, app):
    """The OpenAPI document's amounts, its examples and the parser agree."""
    from jsonschema import Draft202012Validator

    with app.test_request_context():
        spec = build_spec()
    schemas = spec["components"]["schemas"]
    value = schemas["LotSplitItem"]["properties"]["value"]
    assert value["examples"] == ["12500.50"]
    money = Draft202012Validator(value)
    accepted = ["12500.50", "480000", " 96000.00 ", 12500.5, 40000]
    refused = ["12 500,50", "12,500.50", "1e5", "€12500", "-5", "\u0661\u0662\u0665", "12500."]
    for example in value["examples"] + accepted:
        assert money.is_valid(example), example
        response = post(client, body(items=[item(value=example)]))
        assert response.status_code == 200, (example, response.data[:300])
    for wrong in refused:
        assert not money.is_valid(wrong), wrong
        assert "items.0.value" in fields(post(client, body(items=[item(value=wrong)]))), wrong
    # The whole documented request is valid against its own schema, and accepted.
    request_body = spec["paths"]["/lot-split"]["post"]["requestBody"]["content"]["application/json"]
    validator = Draft202012Validator(
        {"$ref": "#/components/schemas/LotSplitRequest", "components": spec["components"]}
    )
    assert list(validator.iter_errors(request_body["example"])) == []
    amounts = [i["value"] for i in request_body["example"]["items"]]
    assert "12500.50" in amounts and all(isinstance(a, str) for a in amounts)
