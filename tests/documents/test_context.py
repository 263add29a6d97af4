"""The context contract: its invariants, its dict form, its variable list and the example."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal

import pytest

from portal.clauses.vocabulary import Placement
from portal.documents import labels
from portal.documents.context import (
    PLACEMENT_ORDER,
    ClauseGroups,
    ContextError,
    WeightRow,
    Weights,
    clause_context,
    context_schema,
    context_variables,
)
from portal.documents.example import CLAUSES, example_context, large_context


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_example_fills_every_section(lang: str) -> None:
    ctx = example_context(lang)
    assert len(ctx.clauses.all()) == 14
    assert all(getattr(ctx.clauses, p.value) for p in PLACEMENT_ORDER)
    assert len(ctx.lots.lots) == 3 and ctx.lots.divided
    assert ctx.weights.total == 100
    assert ctx.anti_dumping.applies and len(ctx.anti_dumping.clauses) == 3
    assert [row.code for row in ctx.checklist] == [c.code for c in ctx.clauses.all()]


def test_every_placement_has_its_group_in_tender_order() -> None:
    assert tuple(Placement) == PLACEMENT_ORDER
    assert PLACEMENT_ORDER[0] == Placement.procedure
    assert [f.name for f in dataclasses.fields(ClauseGroups)] == [p.value for p in Placement]
    assert {labels.label("placement", p, "fr") for p in Placement} >= {
        "Disposition relative à la procédure"
    }
    names = {v.path for v in context_variables()}
    assert {"clauses.procedure", "clauses.procedure[].title"} <= names


def test_a_procedure_clause_is_grouped_first() -> None:
    ctx = example_context("nl")
    procedure = ctx.clauses.procedure
    assert [c.code for c in procedure] == ["GEN-SME-008"]
    assert procedure[0].placement_label == "Procedurebepaling"
    assert ctx.clauses.all()[0] is procedure[0]
    assert "op 3 verschillende data" in procedure[0].paragraphs[0]
    misplaced = dataclasses.replace(procedure[0], placement="selection")
    with pytest.raises(ContextError, match="not a procedure"):
        ClauseGroups(procedure=(misplaced,))


def test_dict_form_survives_json() -> None:
    plain = example_context("fr").to_dict()
    assert json.loads(json.dumps(plain)) == plain
    assert plain["dossier"]["estimated_value"] == 1616000
    assert plain["dossier"]["publication_date"] == "2027-02-15"
    assert plain["lots"]["lots"][0]["cpv"] == {
        "code": "90919200-4",
        "label": "Services de nettoyage de bureaux",
    }


def test_clause_text_is_filled_with_the_buyers_values() -> None:
    data = next(c for c in CLAUSES if c["code"] == "CLEAN-ENV-001")
    clause = clause_context(
        data, {"ecolabel_share": 100, "labels": ["blauer_engel"]}, version=2, lang="fr"
    )
    assert clause.paragraphs[0].startswith("Au moins 100\u00a0% des produits")
    assert "Blauer Engel (Ange bleu), ou d'un label équivalent" in clause.paragraphs[0]
    assert clause.reference == "CLEAN-ENV-001 v2"
    assert clause.family_label == "Environnement"
    assert clause.placement_label == "Spécification technique"
    assert (
        clause.legal_basis[0] == "Loi du 17 juin 2016 relative aux marchés publics, art. 53 et 54"
    )


def test_clause_labels_follow_the_document_language_not_the_request() -> None:
    data = next(c for c in CLAUSES if c["code"] == "CLEAN-SOC-004")
    clause = clause_context(data, data["values"], version=3, lang="nl")
    assert clause.placement_label == "Uitvoeringsvoorwaarde"
    assert clause.verification[0].stage_label == "Tijdens de uitvoering"
    assert "minstens 10% van de gepresteerde uren" in clause.paragraphs[0]


def test_weights_must_total_100() -> None:
    with pytest.raises(ContextError, match="not 100"):
        Weights(price=70, criteria=(WeightRow("X", "X v1", "x", 20),), total=90)


def test_weights_table_must_match_the_award_criteria() -> None:
    ctx = example_context("fr")
    rows = ctx.weights.criteria[:-1]
    weights = Weights(price=80, criteria=rows, total=100)
    with pytest.raises(ContextError, match="award criteria"):
        dataclasses.replace(ctx, weights=weights)


def test_only_award_criteria_have_a_weight() -> None:
    clause = example_context("fr").clauses.performance[0]
    with pytest.raises(ContextError, match="weight"):
        dataclasses.replace(clause, weight=10)


def test_an_undivided_contract_needs_its_justification() -> None:
    lots = example_context("fr").lots
    with pytest.raises(ContextError, match="justification"):
        dataclasses.replace(lots, divided=False, lots=(), justification=())


def test_turnover_never_above_twice_the_value() -> None:
    lot = example_context("fr").lots.lots[0]
    with pytest.raises(ContextError, match="58"):
        dataclasses.replace(lot, turnover_max=lot.value * 3, turnover_sme=Decimal(1))


def test_the_checklist_has_one_row_per_chosen_clause() -> None:
    ctx = example_context("fr")
    with pytest.raises(ContextError, match="checklist"):
        dataclasses.replace(ctx, checklist=ctx.checklist[1:])


def test_large_context_keeps_the_contract() -> None:
    ctx = large_context("nl", clauses=60, lots=10)
    assert len(ctx.clauses.all()) == 60
    assert len({c.code for c in ctx.clauses.all()}) == 60
    assert [lot.number for lot in ctx.lots.lots] == list(range(1, 11))
    assert ctx.lots.coordination.applies and ctx.lots.coordination.number == 11
    assert ctx.weights.total == 100


def test_every_variable_is_documented() -> None:
    variables = context_variables()
    assert all(str(v.doc).strip() for v in variables)
    paths = {v.path for v in variables}
    for expected in (
        "dossier.estimated_value",
        "dossier.additional_cpv[].label",
        "clauses.award[].weight",
        "clauses.performance[].verification[].how",
        "weights.criteria[].weight",
        "lots.lots[].turnover_sme",
        "lots.coordination.interactions",
        "checklist[].instruments[].what",
        "anti_dumping.declaration",
    ):
        assert expected in paths


def test_variable_names_are_the_dict_keys() -> None:
    plain = example_context("fr").to_dict()
    for variable in context_variables():
        value = plain
        for key in variable.path.split("."):
            if isinstance(value, list):
                value = value[0] if value else {}
            value = value[key.removesuffix("[]")] if isinstance(value, dict) else value
        # Every documented path exists in the dict the templates receive.
        assert value is not None or variable.optional, variable.path


def test_schema_marks_amounts_and_optional_values() -> None:
    schema = context_schema()
    assert schema.fields["dossier"].fields["estimated_value"].kind == "money"
    assert schema.fields["dossier"].fields["publication_date"].optional
    assert schema.fields["lots"].fields["lots"].item.record == "Lot"
