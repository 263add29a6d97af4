"""``assess(keep_order=True)``: hand-edited lots keep the buyer's numbering in every figure and
check (an additive option of the pure core; the default order is unchanged)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from portal.lots.advisor import Item, Options, assess
from portal.lots.rules import ContractType, default_threshold_paths, load_thresholds
from portal.reference.models import AuthorityKind

THRESHOLDS = load_thresholds(default_threshold_paths())
OPTIONS = Options(
    AuthorityKind.sub_central,
    ContractType.services,
    date(2026, 3, 1),
    max_lots_per_tenderer=1,
)
ITEMS = [
    Item("a", "windows", "90911300-9", Decimal("30000")),
    Item("b", "offices", "90919200-4", Decimal("400000")),
    Item("c", "products", "39830000-9", Decimal("20000")),
]
#: Deliberately not the advisor's own order (by CPV group, then value).
LOTS = [["c"], ["a"], ["b"]]


def test_keep_order_numbers_lots_as_given():
    proposal = assess(ITEMS, OPTIONS, THRESHOLDS, LOTS, keep_order=True)
    assert [lot.item_ids for lot in proposal.lots] == [("c",), ("a",), ("b",)]
    assert [lot.number for lot in proposal.lots] == [1, 2, 3]


def test_default_order_is_unchanged():
    proposal = assess(ITEMS, OPTIONS, THRESHOLDS, LOTS)
    assert [lot.item_ids for lot in proposal.lots] == [("c",), ("b",), ("a",)]


def test_checks_name_the_lots_by_the_given_numbers():
    proposal = assess(ITEMS, OPTIONS, THRESHOLDS, LOTS, keep_order=True)
    by_code = {check.code: check for check in proposal.checks if check.lot is None}
    # Highest value first: lot 3 (offices), then 2 (windows), then 1 (products).
    assert by_code["max_lots_per_tenderer"].params["precedence"] == (3, 2, 1)
    turnover = {check.lot: check.params["cap"] for check in proposal.checks if check.lot}
    assert turnover == {1: Decimal("40000"), 2: Decimal("60000"), 3: Decimal("800000")}


def test_same_figures_in_either_order():
    kept = assess(ITEMS, OPTIONS, THRESHOLDS, LOTS, keep_order=True)
    default = assess(ITEMS, OPTIONS, THRESHOLDS, LOTS)
    assert kept.aggregate == default.aggregate
    assert kept.score == default.score
    assert kept.cost == default.cost
    assert sorted(lot.value for lot in kept.lots) == sorted(lot.value for lot in default.lots)
