"""Thresholds and legal checks of the lot-split advisor (portal.lots.rules)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.companies.models import CompanySize
from portal.lots.rules import (
    AwardRule,
    CheckStatus,
    ContractType,
    LotFigures,
    NonDivisionReason,
    NoThresholdInForce,
    Procedure,
    Threshold,
    ThresholdDataError,
    ThresholdKind,
    check_aggregate,
    check_combined_bids,
    check_divide_or_explain,
    check_max_lots,
    check_threshold_sources,
    check_turnover,
    default_threshold_paths,
    draft_justification,
    format_eur,
    load_thresholds,
    lot_procedures,
    lots_kept,
    non_division_reasons,
    procedure_for,
    run_checks,
    small_lots_exemption,
    sme_capacity,
    thresholds_in_force,
    turnover_suggestions,
)
from portal.reference.models import AuthorityKind

D = Decimal
SUB = AuthorityKind.sub_central
CENTRAL = AuthorityKind.central


@pytest.fixture(scope="module")
def thresholds() -> list[Threshold]:
    return load_thresholds(default_threshold_paths())


def in_force(thresholds, on, ctype=ContractType.services, kind=SUB, annex=False):
    return thresholds_in_force(
        thresholds, on, contract_type=ctype, authority_kind=kind, annex_xiv=annex
    )


def lots(*values: int | str) -> list[LotFigures]:
    return [LotFigures(n, D(v), D(v)) for n, v in enumerate(values, start=1)]


# --------------------------------------------------------------------------------------------
# Loading and selecting thresholds


def test_load_reads_both_project_files(thresholds):
    regimes = {t.regime for t in thresholds}
    assert regimes == {"2014/24/EU", "2014/25/EU", "2014/23/EU", "BE"}
    assert sum(1 for t in thresholds if t.regime == "BE") == 4


def test_load_infers_eu_kinds_and_scopes(thresholds):
    social = [t for t in thresholds if t.kind is ThresholdKind.eu_social_services]
    assert {t.amount for t in social} == {D(750000), D(1000000)}
    sub_2024 = next(t for t in thresholds if t.regime == "2014/24/EU" and t.amount == 221000)
    assert sub_2024.authority_kinds == frozenset({SUB})
    assert sub_2024.contract_types == frozenset({ContractType.supplies, ContractType.services})
    utilities = [t for t in thresholds if t.regime == "2014/25/EU"]
    assert utilities and all(t.authority_kinds == frozenset() for t in utilities)


def test_load_records_where_each_threshold_came_from(thresholds):
    be = [t for t in thresholds if t.regime == "BE"]
    assert [t.source for t in be] == [f"thresholds_be.csv:{n}" for n in range(2, 6)]


def test_2026_national_threshold_is_marked_presumed(thresholds):
    pnspp_2026 = in_force(thresholds, date(2026, 1, 1)).negotiated
    assert pnspp_2026.amount == D(140000)
    assert pnspp_2026.source_status.startswith("presumed")
    assert not pnspp_2026.is_verified


@pytest.mark.parametrize(
    ("on", "ctype", "kind", "eu", "negotiated"),
    [
        (date(2025, 6, 1), ContractType.services, SUB, 221000, 143000),
        (date(2025, 12, 31), ContractType.supplies, CENTRAL, 143000, 143000),
        (date(2026, 1, 1), ContractType.supplies, CENTRAL, 140000, 140000),
        (date(2026, 3, 1), ContractType.services, SUB, 216000, 140000),
        (date(2027, 12, 31), ContractType.works, SUB, 5404000, 140000),
        (date(2024, 1, 1), ContractType.works, CENTRAL, 5538000, 143000),
    ],
)
def test_thresholds_in_force_follow_the_publication_date(
    thresholds, on, ctype, kind, eu, negotiated
):
    applicable = in_force(thresholds, on, ctype, kind)
    assert applicable.eu.amount == eu
    assert applicable.negotiated.amount == negotiated
    assert applicable.accepted_invoice.amount == 30000


def test_divide_or_explain_threshold_is_the_central_supplies_one(thresholds):
    assert (
        in_force(thresholds, date(2025, 5, 1), ContractType.works).divide_or_explain.amount
        == 143000
    )
    assert (
        in_force(thresholds, date(2026, 5, 1), ContractType.works).divide_or_explain.amount
        == 140000
    )


def test_annex_xiv_services_use_the_light_regime(thresholds):
    applicable = in_force(thresholds, date(2026, 5, 1), annex=True)
    assert applicable.eu.kind is ThresholdKind.eu_social_services
    assert applicable.eu.amount == 750000
    assert applicable.negotiated.kind is ThresholdKind.light_regime


def test_annex_xiv_refuses_works(thresholds):
    with pytest.raises(ValueError, match="services"):
        in_force(thresholds, date(2026, 5, 1), ContractType.works, annex=True)


def test_no_threshold_before_the_data_raises_a_clear_error(thresholds):
    with pytest.raises(NoThresholdInForce) as caught:
        in_force(thresholds, date(2023, 6, 1))
    assert caught.value.on_date == date(2023, 6, 1)
    assert "2023-06-01" in str(caught.value)


def test_no_threshold_after_the_data_names_the_kind(thresholds):
    with pytest.raises(NoThresholdInForce) as caught:
        in_force(thresholds, date(2028, 1, 1))
    assert caught.value.kind is ThresholdKind.eu_publication


def test_overlapping_thresholds_are_refused(thresholds):
    twin = next(t for t in thresholds if t.kind is ThresholdKind.accepted_invoice)
    doubled = [*thresholds, Threshold(**{**twin.__dict__, "amount": D(40000), "source": "db:9"})]
    with pytest.raises(ThresholdDataError, match="overlap"):
        in_force(doubled, date(2026, 1, 1))


def test_load_refuses_an_unknown_layout(tmp_path: Path):
    path = tmp_path / "odd.csv"
    path.write_text("name,amount\nx,1\n", encoding="utf-8")
    with pytest.raises(ThresholdDataError, match="layout"):
        load_thresholds([path])


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ("BE,accepted_invoice,works,all,2017-06-30,,-5,law,official", "positive"),
        ("BE,accepted_invoice,works,all,2017-06-31,,5,law,official", "day is out of range"),
        ("BE,accepted_invoice,works,all,2018-01-01,2017-01-01,5,law,official", "before"),
        ("BE,cheap,works,all,2017-06-30,,5,law,official", "cheap"),
        ("BE,accepted_invoice,catering,all,2017-06-30,,5,law,official", "contract type"),
    ],
)
def test_load_reports_the_bad_row(tmp_path: Path, cells, message):
    path = tmp_path / "be.csv"
    header = (
        "regime,kind,contract_type,authority_type,valid_from,valid_to,amount_eur,"
        "legal_act,source_status"
    )
    path.write_text(f"{header}\n{cells}\n", encoding="utf-8")
    with pytest.raises(ThresholdDataError, match=message) as caught:
        load_thresholds([path])
    assert "be.csv:2" in str(caught.value)


# --------------------------------------------------------------------------------------------
# Procedures and the aggregation rule


def test_procedure_boundaries_2025(thresholds):
    th = in_force(thresholds, date(2025, 6, 1))
    assert procedure_for(D("29999.99"), th, eu_applies=False) is Procedure.accepted_invoice
    assert procedure_for(D(30000), th, eu_applies=False) is Procedure.negotiated_without_publication
    assert (
        procedure_for(D("142999.99"), th, eu_applies=False)
        is Procedure.negotiated_without_publication
    )
    assert procedure_for(D(143000), th, eu_applies=False) is Procedure.national_publication
    assert procedure_for(D(10), th, eu_applies=True) is Procedure.eu_publication


def test_procedure_uses_2026_national_threshold(thresholds):
    th = in_force(thresholds, date(2026, 6, 1))
    assert procedure_for(D(141000), th, eu_applies=False) is Procedure.national_publication


def test_procedure_light_regime_for_annex_xiv(thresholds):
    th = in_force(thresholds, date(2026, 6, 1), annex=True)
    assert procedure_for(D(700000), th, eu_applies=False) is Procedure.light_regime
    assert procedure_for(D(800000), th, eu_applies=True) is Procedure.eu_light_regime


def test_lots_below_threshold_follow_the_aggregate(thresholds):
    th = in_force(thresholds, date(2026, 6, 1))
    result = lot_procedures(lots(20000, 20000, 20000), D(60000), th)
    assert {p.procedure for p in result.values()} == {Procedure.negotiated_without_publication}
    assert {p.decisive_value for p in result.values()} == {D(60000)}
    assert {p.basis for p in result.values()} == {"aggregate"}


def test_exempt_small_lots_follow_their_own_value(thresholds):
    th = in_force(thresholds, date(2026, 6, 1))
    figures = lots(20000, 60000, 150000, 200000)
    result = lot_procedures(figures, D(430000), th)
    # 20% of 430,000 is 86,000: the 20,000 and 60,000 lots fit together.
    assert result[1].procedure is Procedure.accepted_invoice
    assert result[2].procedure is Procedure.negotiated_without_publication
    assert result[2].basis == "small_lots_exemption"
    assert result[3].procedure is Procedure.eu_publication
    assert result[4].decisive_value == D(430000)


@settings(max_examples=200)
@given(st.lists(st.integers(1, 400_000), min_size=1, max_size=12))
def test_splitting_never_lowers_the_aggregate(thresholds, values):
    th = in_force(thresholds, date(2026, 6, 1))
    undivided = check_aggregate(lots(sum(values)), D(sum(values)), th)
    divided = check_aggregate(lots(*values), D(sum(values)), th)
    assert divided.params["reached"] == undivided.params["reached"]
    assert divided.params["aggregate"] == D(sum(values))


def test_aggregate_warns_when_lots_alone_would_look_national(thresholds):
    th = in_force(thresholds, date(2026, 6, 1))
    check = check_aggregate(lots(100000, 100000, 100000), D(300000), th)
    assert check.status is CheckStatus.warning
    assert check.params["lots_below_threshold"] == 3
    assert check.article == "Dir. 2014/24/EU art. 5(8)-(9)"


def test_aggregate_below_eu_threshold_is_ok(thresholds):
    th = in_force(thresholds, date(2026, 6, 1))
    assert check_aggregate(lots(100000, 100000), D(200000), th).status is CheckStatus.ok


# --------------------------------------------------------------------------------------------
# Small-lots exemption (art. 5(10))


def test_small_lot_limit_is_strict():
    assert small_lots_exemption(lots(80000, 79999), D(1000000), ContractType.supplies) == (2,)


def test_small_lots_share_may_reach_exactly_twenty_percent():
    assert small_lots_exemption(lots(20000, 30000, 50000), D(250000), ContractType.services) == (
        1,
        2,
    )
    assert small_lots_exemption(lots(50000, 50000), D(500000), ContractType.services) == (1, 2)


def test_works_lots_up_to_one_million_qualify():
    assert small_lots_exemption(lots(999999, 1000000), D(10000000), ContractType.works) == (1,)


@settings(max_examples=300)
@given(st.lists(st.integers(1, 200_000), min_size=1, max_size=9), st.integers(0, 3_000_000))
def test_small_lots_rule_covers_the_most_lots_possible(values, extra):
    figures = lots(*values)
    aggregate = D(sum(values) + extra)
    chosen = small_lots_exemption(figures, aggregate, ContractType.services)
    eligible = [f for f in figures if f.value < 80000]
    cap = aggregate * D("0.2")
    best = max(
        (
            k
            for k in range(len(eligible) + 1)
            for combo in combinations(eligible, k)
            if sum(f.value for f in combo) <= cap
        ),
        default=0,
    )
    assert len(chosen) == best
    assert sum(figures[n - 1].value for n in chosen) <= cap
    assert all(figures[n - 1].value < 80000 for n in chosen)


def test_small_lots_check_lists_eligible_and_exempt_lots(thresholds):
    th = in_force(thresholds, date(2026, 6, 1))
    figures = lots(70000, 60000, 500000)
    check = run_checks(figures, th)[1]
    assert check.code == "small_lots_exemption"
    assert check.params["eligible_lots"] == (1, 2)
    # 20% of 630,000 is 126,000: only one of the two small lots fits, the cheaper one.
    assert check.params["exempt_lots"] == (2,)
    assert check.status is CheckStatus.info


def test_small_lots_check_not_applicable_below_eu_threshold(thresholds):
    th = in_force(thresholds, date(2026, 6, 1))
    check = run_checks(lots(10000, 20000), th)[1]
    assert check.params["applicable"] is False


# --------------------------------------------------------------------------------------------
# Lots per tenderer, combined bids


def test_max_lots_gives_the_value_order_rule():
    check = check_max_lots(lots(50000, 200000, 200000, 10000), 2)
    assert check.status is CheckStatus.info
    assert check.params["precedence"] == (2, 3, 1, 4)
    assert check.params["criteria"][0] == "lot_value_desc"


def test_max_lots_without_effect_is_reported():
    assert check_max_lots(lots(1, 2), 5).params["reason"] == "no_effect"


def test_max_lots_below_one_is_a_violation():
    assert check_max_lots(lots(1, 2), 0).status is CheckStatus.violation


def test_award_rule_keeps_highest_values_then_largest_score_gap():
    rule = AwardRule(max_lots=2, precedence=(1, 2, 3))
    values = {1: D(100), 2: D(300), 3: D(100), 4: D(50)}
    gaps = {1: D("0.5"), 3: D("4"), 4: D("9")}
    # Lot 2 is not won; among the equal-value lots 1 and 3, lot 3 has the larger gap.
    assert lots_kept(rule, values, gaps) == (3, 1)


def test_combined_bids_need_the_lots_listed():
    check = check_combined_bids(lots(1, 2, 3), True, None)
    assert check.status is CheckStatus.info
    assert check.params["combinable_lots"] == (1, 2, 3)


def test_combined_bids_with_one_lot_per_tenderer_warn():
    assert check_combined_bids(lots(1, 2), True, 1).status is CheckStatus.warning


def test_combined_bids_not_allowed_is_ok():
    assert check_combined_bids(lots(1, 2), False, 1).status is CheckStatus.ok


# --------------------------------------------------------------------------------------------
# Divide or explain, turnover, SME capacity


def test_undivided_contract_above_threshold_needs_reasons(thresholds):
    th = in_force(thresholds, date(2026, 6, 1))
    check = check_divide_or_explain(lots(140000), D(140000), th)
    assert check.status is CheckStatus.warning
    assert check.params["justification_required"] is True


def test_undivided_small_contract_gets_advice_only(thresholds):
    th = in_force(thresholds, date(2026, 6, 1))
    assert check_divide_or_explain(lots(139999), D(139999), th).status is CheckStatus.info


def test_divided_contract_needs_no_reasons(thresholds):
    th = in_force(thresholds, date(2026, 6, 1))
    assert check_divide_or_explain(lots(1, 2), D(3), th).status is CheckStatus.ok


@pytest.mark.parametrize(
    ("requirement", "status"),
    [
        (None, CheckStatus.ok),
        ("50000", CheckStatus.ok),
        ("90000", CheckStatus.info),
        ("150000", CheckStatus.warning),
        ("400000.01", CheckStatus.violation),
    ],
)
def test_turnover_requirement_against_the_cap(requirement, status):
    # Value 200,000 over four years: yearly 50,000; cap 400,000; suggested max 100,000.
    lot = LotFigures(1, D(200000), D(50000), D(requirement) if requirement else None)
    check = check_turnover(lot)
    assert check.status is status
    assert check.params["cap"] == D(400000)
    assert check.lot == 1


@settings(max_examples=300)
@given(st.decimals(min_value=D("0.01"), max_value=D("1e9"), places=2), st.integers(1, 10))
def test_turnover_suggestions_never_exceed_twice_the_value(value, years):
    yearly = (value / years).quantize(D("0.01"))
    cap, suggested, friendly = turnover_suggestions(value, min(yearly, value))
    assert cap == 2 * value
    assert friendly <= suggested <= cap


@pytest.mark.parametrize(
    ("yearly", "size", "suitable"),
    [
        ("1000000", CompanySize.micro, True),
        ("1000000.01", CompanySize.small, True),
        ("5000000", CompanySize.small, True),
        ("5000000.01", CompanySize.medium, False),
        ("25000000.01", CompanySize.large, False),
    ],
)
def test_sme_capacity_follows_recommendation_2003_361(yearly, size, suitable):
    found, is_suitable, reasons = sme_capacity(D(yearly), D("1e12"))
    assert (found, is_suitable) == (size, suitable)
    assert len(reasons) == 1


def test_sme_capacity_reports_lots_above_the_target():
    _, suitable, reasons = sme_capacity(D(300000), D(200000))
    assert suitable
    assert reasons == ("micro_enterprise_can_carry", "above_target_lot_size")


def test_threshold_sources_flag_unverified_figures(thresholds):
    check = check_threshold_sources(in_force(thresholds, date(2026, 6, 1)))
    assert check.status is CheckStatus.info
    assert ("negotiated_without_publication", D(140000)) in [
        u[:2] for u in check.params["unverified"]
    ]


def test_run_checks_has_one_turnover_check_per_lot(thresholds):
    checks = run_checks(lots(5, 6, 7), in_force(thresholds, date(2026, 6, 1)))
    assert [c.lot for c in checks if c.code == "turnover_cap"] == [1, 2, 3]
    assert len({c.code for c in checks}) == 8


# --------------------------------------------------------------------------------------------
# Draft justification


def test_reasons_for_a_single_trade_small_contract(thresholds):
    th = in_force(thresholds, date(2026, 6, 1))
    reasons = non_division_reasons(
        families=1, aggregate=D(60000), yearly_value=D(60000), target=D(1000000), thresholds=th
    )
    assert reasons == (
        NonDivisionReason.functional_whole,
        NonDivisionReason.disproportionate_cost,
        NonDivisionReason.accessible_to_smes,
    )


def test_reasons_for_several_trades_above_the_target(thresholds):
    th = in_force(thresholds, date(2026, 6, 1))
    reasons = non_division_reasons(
        families=3, aggregate=D(3000000), yearly_value=D(3000000), target=D(1000000), thresholds=th
    )
    assert reasons == (NonDivisionReason.coordination,)


def test_justification_is_drafted_in_three_languages():
    draft = draft_justification(
        (NonDivisionReason.coordination, NonDivisionReason.disproportionate_cost),
        contract_type=ContractType.works,
        families=3,
        aggregate=D("125000"),
        yearly_value=D("125000"),
    )
    assert "article 58 de la loi du 17 juin 2016 relative aux marchés publics" in draft.fr
    assert "1° Les travaux relèvent de 3 corps de métier étroitement imbriqués. " in draft.fr
    assert "125\u00a0000,00\u00a0EUR hors TVA" in draft.fr
    assert "artikel 58 van de wet van 17 juni 2016 inzake overheidsopdrachten" in draft.nl
    assert (
        "2° Gelet op de geraamde waarde van de opdracht (125.000,00\u00a0EUR exclusief btw)"
        in draft.nl
    )
    assert "(1) The works fall under 3 closely interrelated trades." in draft.en
    assert "between the parties involved.\n(2) Given the estimated value" in draft.en
    assert draft.en.endswith("These reasons are stated in the procurement documents.")
    assert draft.text("nl") == draft.nl


def test_justification_needs_a_reason():
    with pytest.raises(ValueError):
        draft_justification(
            (), contract_type=ContractType.services, families=1, aggregate=D(1), yearly_value=D(1)
        )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", "1\u00a0234\u00a0567,80\u00a0EUR"),
        ("nl", "1.234.567,80\u00a0EUR"),
        ("en", "EUR 1,234,567.80"),
    ],
)
def test_format_eur_per_language(lang, expected):
    assert format_eur(D("1234567.8"), lang) == expected
