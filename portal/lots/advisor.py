"""SME-friendly lot-split advisor: alternative lot structures for a tender, with the legal checks.

A pure, deterministic function over plain data: :func:`advise` takes the tender's items, the
options and the thresholds (loaded beforehand with :func:`portal.lots.rules.load_thresholds`)
and returns up to three proposals. :func:`assess` evaluates a structure edited by hand.

The objective
=============

A *strategy* gives each item three things:

* a **hard key**: items with different hard keys never share a lot;
* a **label**: what a lot should be coherent about; mixing labels in a lot costs;
* a **target** ``T``: the yearly value a lot should not exceed so that SMEs can carry it.

=============  ======================  =========================  ============================
strategy       hard key                label                      target T
=============  ======================  =========================  ============================
trade          CPV division (2 digits) CPV group (3 digits)       the target lot size
geography      none (one group)        place (municipality/site,  the target lot size
                                       or "none" when absent)
size bands     CPV division and band   CPV group (3 digits)       band "small": target / 5;
                                                                  band "large": the target
=============  ======================  =========================  ============================

An item is in the "small" band when its load is at most target / 5. The divisor is the ratio
between two consecutive SME size classes of Recommendation 2003/361/EC (turnover ceilings
EUR 10M and EUR 2M): the small band makes lots for firms one size class below those the target
serves, instead of letting small items vanish into target-size lots. Geography lots may mix
trades on purpose: a lot per site suits a firm that does everything on that site. Hand-edited
structures and the single-lot structure are scored with no hard key, CPV-group labels and the
target.

The **load** ``w(i)`` of an item is its yearly value in cents: its value spread over its period
(value x 365 / days when the period is longer than a year), else over the dossier's duration
(value x 12 / months when longer than a year), else the whole value (conservative: a one-year
contract); rounded to the cent. A lot's load ``W(L)`` is the sum of its items' loads (again
conservative: items are assumed to run at the same time).

A **lot structure** is a partition of the items into lots such that every lot's items share
one hard key. Items are never broken. Among lot structures, the advisor minimises

    C = sum over lots L of  [  lambda
                             + mu    * max(0, W(L) - T) / T
                             + sigma * max(0, m - W(L)) / m
                             + kappa * (number of labels in L - 1)  ]

with ``m = rho * T`` (the smallest useful lot) and, by default, lambda = 1 (each lot costs:
no needless fragmentation), mu = 4 (overload beyond the SME target: an extra lot pays for
itself once it removes an overload of a quarter of the target), sigma = 1 and rho = 1/10
(a lot under a tenth of the target is wasteful), kappa = 3/2 (mixing families or places).
Since kappa > lambda, two substantial families stay in separate lots; since
kappa < lambda + sigma / 2, a family worth less than half of m joins another lot of its hard
group that has room for it rather than standing alone. See :class:`Weights`.

Exactness
=========

The objective is a sum over lots and no lot crosses a hard group, so each hard group is solved
on its own. A hard group of at most :data:`EXACT_LIMIT` (10) items is solved **exactly** by
dynamic programming over its subsets (O(3^n)): the optimum over *all* set partitions of the
group that the objective allows. A proposal is therefore optimal whenever every hard group has
at most 10 items, in particular for every input of at most 10 items; ``Proposal.is_exact``
says so. Larger hard groups use a deterministic heuristic, with no optimality guarantee:

1. split the group by label; solve each label exactly when it has at most
   :data:`SUBGROUP_EXACT_LIMIT` items, else pack it with the "longest processing time" rule
   (items by decreasing load into the currently lightest of k lots) for the few k around
   (items above T) + (total of the others) / T, keeping the cheapest;
2. consolidate: repeatedly take the lightest lot under m and merge it with the next lightest
   lot under m or with the lightest other lot, whichever lowers C most, while C drops.

Determinism: items are sorted by id before anything else, and every choice among equals is
made in id order, so the same items in any order give the same output. Among several optimal
structures, the exact solver keeps the first found when the lot of the first item (by id) is
chosen among subsets in increasing binary order of the ids (bit k = k-th id): for four equal
items that pair up, {a, b} and {c, d} rather than {a, d} and {b, c}.
"""

from __future__ import annotations

import enum
import heapq
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from functools import lru_cache

from portal.companies.models import CompanySize
from portal.lots.rules import (
    ApplicableThresholds,
    Check,
    ContractType,
    Justification,
    LotFigures,
    Procedure,
    Threshold,
    draft_justification,
    eu_threshold_reached,
    lot_procedures,
    non_division_reasons,
    procedure_for,
    run_checks,
    sme_capacity,
    thresholds_in_force,
    turnover_suggestions,
)
from portal.reference.models import AuthorityKind
from portal.reference.services import (
    cpv_index,
    cpv_significant,
    fold,
    municipality_by_name,
    normalise_cpv,
)

#: Hard groups up to this many items are solved exactly.
EXACT_LIMIT = 10
#: In the heuristic, label subgroups up to this many items are still solved exactly; lower than
#: EXACT_LIMIT because a large hard group may hold many such subgroups (time budget).
SUBGROUP_EXACT_LIMIT = 8

#: Default target lot size, a *yearly* value: the largest yearly lot a micro-enterprise
#: (turnover at most EUR 2M, Rec. 2003/361/EC) can carry at the 2x turnover ratio that
#: art. 58(3) of Dir. 2014/24/EU treats as proportionate. Most Brussels firms are micro, and a
#: lot within their reach is within reach of every SME.
DEFAULT_TARGET_LOT_SIZE = Decimal("1000000")
#: Small-band divisor of the size-band strategy (EUR 10M / EUR 2M, see the module docstring).
SIZE_BAND_DIVISOR = 5

_CENT = Decimal("0.01")
_MAX_TEXT = 500


class Strategy(enum.StrEnum):
    """How a proposal groups items into lots."""

    #: Lots by trade: CPV family (group), never across CPV divisions.
    trade = "trade"
    #: Lots by place: municipality or named site.
    geography = "geography"
    #: Lots by size band: small items in lots one SME size class below the target.
    size = "size"
    #: No division: one lot (the buyer chose not to divide, or nothing else differs).
    single_lot = "single_lot"
    #: A structure edited by hand.
    manual = "manual"


@dataclass(frozen=True)
class Weights:
    """Weights of the objective (module docstring); all non-negative, ``floor_share`` in (0, 1]."""

    #: lambda: cost of each lot.
    lot: Fraction = Fraction(1)
    #: mu: cost per target of yearly value above the target.
    overload: Fraction = Fraction(4)
    #: sigma: cost per m of yearly value missing below m.
    underload: Fraction = Fraction(1)
    #: kappa: cost of each label beyond the first in a lot.
    mixing: Fraction = Fraction(3, 2)
    #: rho: m = rho x target.
    floor_share: Fraction = Fraction(1, 10)

    def __post_init__(self) -> None:
        if min(self.lot, self.overload, self.underload, self.mixing) < 0:
            raise ValueError("objective weights must not be negative")
        if not 0 < self.floor_share <= 1:
            raise ValueError("floor_share must be in (0, 1]")


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Item:
    """One item of the tender; ``value`` is the estimate excl. VAT for the whole duration."""

    id: str
    description: str
    cpv: str
    value: Decimal
    quantity: Decimal = Decimal(1)
    unit: str = "unit"
    #: One of the 19 Brussels municipalities (code, FR or NL name) or a named site.
    place: str | None = None
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Options:
    """The buyer's choices for the dossier."""

    authority_kind: AuthorityKind
    contract_type: ContractType
    #: Planned publication date: picks the thresholds in force.
    publication_date: date
    max_lots_per_tenderer: int | None = None
    combined_bids_allowed: bool = False
    coordination_lot: bool = False
    #: Estimated value of the coordination lot, counted in the aggregate when given.
    coordination_value: Decimal | None = None
    #: Yearly value SMEs can carry; None means :data:`DEFAULT_TARGET_LOT_SIZE`.
    target_lot_size: Decimal | None = None
    #: False when the buyer explicitly chooses not to divide into lots.
    divide: bool = True
    #: The services are social and other specific services (Annex XIV, light regime).
    annex_xiv_services: bool = False
    #: Duration of the contract, for items without their own period.
    duration_months: int | None = None
    #: Minimum yearly turnover the buyer intends to require of each lot's tenderers.
    turnover_requirement: Decimal | None = None

    @property
    def target(self) -> Decimal:
        """Return the target lot size in force (the buyer's or the default)."""
        if self.target_lot_size is None:
            return DEFAULT_TARGET_LOT_SIZE
        return self.target_lot_size


@dataclass(frozen=True)
class FieldError:
    """One invalid field: ``field`` like "items[2].cpv"; the web layer words ``code``."""

    field: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict)


class AdvisorInputError(ValueError):
    """The items or options are invalid; ``errors`` lists every problem found."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(f"{e.field}: {e.code}" for e in self.errors))

    def by_field(self) -> dict[str, list[FieldError]]:
        """Group the errors by field name."""
        grouped: dict[str, list[FieldError]] = {}
        for error in self.errors:
            grouped.setdefault(error.field, []).append(error)
        return grouped


@dataclass(frozen=True)
class Explanation:
    """Plain explanation of a proposal, as a code and parameters for the web layer."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Lot:
    """One lot of a proposal."""

    number: int
    item_ids: tuple[str, ...]
    value: Decimal
    yearly_value: Decimal
    #: The lot's CPV code: the items' closest common CPV code, else its largest item's code.
    cpv: str
    #: The coherence labels of its items (CPV groups or places), sorted.
    labels: tuple[str, ...]
    #: Art. 58(3) cap on the minimum yearly turnover requirement: 2x the value.
    turnover_cap: Decimal
    #: Suggested maximum requirement: 2x the yearly value, never above the cap.
    turnover_max: Decimal
    #: Lower, SME-friendly requirement: 1x the yearly value.
    turnover_sme: Decimal
    #: Smallest enterprise class of Rec. 2003/361/EC that can carry the lot.
    sme_size: CompanySize
    is_sme_suitable: bool
    sme_reasons: tuple[str, ...]
    procedure: Procedure
    #: The value compared with the thresholds: the aggregate, or the lot's own value.
    procedure_value: Decimal
    #: "aggregate" or "small_lots_exemption".
    procedure_basis: str


@dataclass(frozen=True)
class CoordinationLot:
    """The optional coordination lot that smaller lot holders work around."""

    number: int
    #: Numbers of the lots it coordinates.
    coordinates: tuple[int, ...]
    value: Decimal | None
    #: Like every lot outside the small-lots exemption, it follows the aggregate value.
    procedure: Procedure
    #: What it does (codes for the web layer).
    tasks: tuple[str, ...]
    #: How the other lot holders interact with it (codes for the web layer).
    interactions: tuple[str, ...]


@dataclass(frozen=True)
class Proposal:
    """One alternative lot structure, with its legal checks."""

    strategy: Strategy
    lots: tuple[Lot, ...]
    coordination: CoordinationLot | None
    #: SME accessibility, 0-100 (higher is better), comparable across proposals: the share of
    #: the value in lots within the target, a lot above it counting for target / yearly value.
    score: Decimal
    #: The objective C of the strategy (lower is better); compare only within a strategy.
    cost: Fraction
    #: True when the lot structure is proven optimal for the strategy's objective.
    is_exact: bool
    explanation: Explanation
    checks: tuple[Check, ...]
    #: Draft "divide or explain" reasons, for single-lot structures.
    justification: Justification | None
    #: Other strategies that produced the very same lot structure.
    also_from: tuple[Strategy, ...] = ()

    @property
    def aggregate(self) -> Decimal:
        """Return the value of all lots, the coordination lot included when valued."""
        coordination = self.coordination.value if self.coordination else None
        return sum((lot.value for lot in self.lots), Decimal(0)) + (coordination or Decimal(0))


@dataclass(frozen=True)
class Advice:
    """The advisor's answer: the proposals, the best one by score, the thresholds used."""

    proposals: tuple[Proposal, ...]
    #: Index in ``proposals`` of the highest score (ties: fewer lots, then listed order).
    recommended: int
    thresholds: ApplicableThresholds
    target_lot_size: Decimal


@dataclass(frozen=True)
class ItemKey:
    """What a strategy makes of one item (module docstring)."""

    hard: str
    label: str
    #: Target T in cents (a Fraction because the small band divides it by 5).
    target: Fraction
    #: Load w(i): yearly value in cents.
    load: int


@dataclass(frozen=True)
class Partition:
    """A lot structure as item ids, with its objective value."""

    lots: tuple[tuple[str, ...], ...]
    cost: Fraction
    is_exact: bool


# --------------------------------------------------------------------------------------------
# Validation


def validate(
    items: Sequence[Item], options: Options, known_cpv: Collection[str] | None = None
) -> list[Item]:
    """Check items and options; return the items with normalised CPV codes, sorted by id.

    :raises AdvisorInputError: with one :class:`FieldError` per problem found.
    """
    known = cpv_index() if known_cpv is None else known_cpv
    errors: list[FieldError] = []
    if not items:
        errors.append(FieldError("items", "empty"))
    seen: set[str] = set()
    cleaned: list[Item] = []
    for index, item in enumerate(items):
        where = f"items[{index}]"
        if not isinstance(item.id, str) or not item.id.strip():
            errors.append(FieldError(f"{where}.id", "required"))
        elif item.id in seen:
            errors.append(FieldError(f"{where}.id", "duplicate", {"id": item.id}))
        else:
            seen.add(item.id)
        for name in ("description", "unit"):
            text = getattr(item, name)
            if not isinstance(text, str) or not text.strip():
                errors.append(FieldError(f"{where}.{name}", "required"))
            elif len(text) > _MAX_TEXT:
                errors.append(FieldError(f"{where}.{name}", "too_long", {"max": _MAX_TEXT}))
        code = normalise_cpv(item.cpv) if isinstance(item.cpv, str) else ""
        if code not in known:
            errors.append(FieldError(f"{where}.cpv", "unknown_cpv", {"code": str(item.cpv)[:40]}))
        _check_amount(errors, f"{where}.value", item.value)
        _check_amount(errors, f"{where}.quantity", item.quantity)
        if item.place is not None and (
            not isinstance(item.place, str) or not item.place.strip() or len(item.place) > _MAX_TEXT
        ):
            errors.append(FieldError(f"{where}.place", "invalid"))
        if any(d is not None and not isinstance(d, date) for d in (item.start, item.end)):
            errors.append(FieldError(f"{where}.start", "invalid"))
        elif (item.start is None) != (item.end is None):
            errors.append(
                FieldError(f"{where}.end" if item.end is None else f"{where}.start", "required")
            )
        elif item.start is not None and item.end is not None and item.end < item.start:
            errors.append(FieldError(f"{where}.end", "before_start"))
        cleaned.append(item if code == item.cpv else _replace(item, cpv=code))
    _validate_options(errors, options)
    if errors:
        raise AdvisorInputError(errors)
    return sorted(cleaned, key=lambda x: x.id)


def _replace(item: Item, **changes: object) -> Item:
    values = {name: getattr(item, name) for name in Item.__dataclass_fields__}
    values.update(changes)
    return Item(**values)  # type: ignore[arg-type]


def _check_amount(errors: list[FieldError], where: str, amount: object) -> None:
    # Floats are refused: binary fractions are not money, and the caller must say what it means.
    if (
        isinstance(amount, bool)
        or not isinstance(amount, Decimal | int)
        or (isinstance(amount, Decimal) and not amount.is_finite())
    ):
        errors.append(FieldError(where, "not_decimal"))
    elif amount <= 0:
        errors.append(FieldError(where, "not_positive"))


def _validate_options(errors: list[FieldError], options: Options) -> None:
    if not isinstance(options.authority_kind, AuthorityKind):
        errors.append(FieldError("options.authority_kind", "invalid"))
    if not isinstance(options.contract_type, ContractType):
        errors.append(FieldError("options.contract_type", "invalid"))
    if not isinstance(options.publication_date, date):
        errors.append(FieldError("options.publication_date", "required"))
    for name in ("max_lots_per_tenderer", "duration_months"):
        number = getattr(options, name)
        if number is not None and (
            isinstance(number, bool) or not isinstance(number, int) or number < 1
        ):
            errors.append(FieldError(f"options.{name}", "not_positive_int"))
    for name in ("target_lot_size", "coordination_value", "turnover_requirement"):
        if getattr(options, name) is not None:
            _check_amount(errors, f"options.{name}", getattr(options, name))
    target = options.target_lot_size
    if isinstance(target, Decimal | int) and not isinstance(target, bool) and 0 < target < 1:
        # The objective works in cents and divides by a tenth of the target.
        errors.append(FieldError("options.target_lot_size", "too_small", {"min": 1}))
    if options.annex_xiv_services and options.contract_type is not ContractType.services:
        errors.append(FieldError("options.annex_xiv_services", "services_only"))


# --------------------------------------------------------------------------------------------
# Strategy keys


def _cents(amount: Decimal) -> int:
    return int(amount.quantize(_CENT, rounding=ROUND_HALF_EVEN) * 100)


def yearly_value(item: Item, options: Options) -> Decimal:
    """Return the item's yearly value, rounded to the cent (module docstring, "load")."""
    value = Decimal(item.value)
    if item.start is not None and item.end is not None:
        days = (item.end - item.start).days + 1
        if days > 365:
            value = value * 365 / days
    elif options.duration_months is not None and options.duration_months > 12:
        value = value * 12 / options.duration_months
    return value.quantize(_CENT, rounding=ROUND_HALF_EVEN)


def place_key(place: str | None) -> str:
    """Return the label of a place: a municipality code, "site:<name>", or "none"."""
    if place is None:
        return "none"
    municipality = municipality_by_name(place)
    if municipality is not None:
        return municipality.code
    return "site:" + " ".join(fold(place).split())


def item_keys(items: Sequence[Item], options: Options, strategy: Strategy) -> dict[str, ItemKey]:
    """Return each item's hard key, label, target and load under ``strategy``."""
    target = Fraction(_cents(options.target))
    keys: dict[str, ItemKey] = {}
    for item in items:
        digits = item.cpv[:8]
        load = _cents(yearly_value(item, options))
        group = digits[:3]
        if strategy is Strategy.trade:
            keys[item.id] = ItemKey(digits[:2], group, target, load)
        elif strategy is Strategy.geography:
            keys[item.id] = ItemKey("", place_key(item.place), target, load)
        elif strategy is Strategy.size:
            small = load * SIZE_BAND_DIVISOR <= target
            keys[item.id] = ItemKey(
                f"{digits[:2]}:{'small' if small else 'large'}",
                group,
                target / SIZE_BAND_DIVISOR if small else target,
                load,
            )
        else:
            keys[item.id] = ItemKey("", group, target, load)
    return keys


# --------------------------------------------------------------------------------------------
# The objective


def lot_cost(
    load: int, labels: int, target: Fraction, weights: Weights = DEFAULT_WEIGHTS
) -> Fraction:
    """Return one lot's term of the objective C, exactly."""
    floor = weights.floor_share * target
    return (
        weights.lot
        + weights.overload * max(Fraction(0), load - target) / target
        + weights.underload * max(Fraction(0), floor - load) / floor
        + weights.mixing * (labels - 1)
    )


def objective(
    keys: Mapping[str, ItemKey], lots: Iterable[Iterable[str]], weights: Weights = DEFAULT_WEIGHTS
) -> Fraction:
    """Return C for ``lots`` (item ids) under the strategy keys ``keys``.

    :raises ValueError: a lot is empty or mixes hard keys, or the target differs inside a lot.
    """
    total = Fraction(0)
    for lot in lots:
        members = [keys[i] for i in lot]
        if not members:
            raise ValueError("empty lot")
        if len({m.hard for m in members}) != 1 or len({m.target for m in members}) != 1:
            raise ValueError("a lot mixes hard keys")
        total += lot_cost(
            sum(m.load for m in members),
            len({m.label for m in members}),
            members[0].target,
            weights,
        )
    return total


class _ScaledCost:
    """The lot cost of one hard group times a constant K, in integers (exact and fast)."""

    def __init__(self, target: Fraction, weights: Weights) -> None:
        denominators = (
            weights.lot.denominator,
            weights.overload.denominator,
            weights.underload.denominator,
            weights.mixing.denominator,
        )
        lcm = math.lcm(*denominators)
        rho_n, rho_d = weights.floor_share.numerator, weights.floor_share.denominator
        t_n, t_d = target.numerator, target.denominator
        # C x K with K = lcm * t_n * rho_n: every term becomes an integer (module docstring).
        self.scale = lcm * t_n * rho_n
        self.lot = int(weights.lot * lcm) * t_n * rho_n
        self.over = int(weights.overload * lcm) * rho_n
        self.under = int(weights.underload * lcm)
        self.mix = int(weights.mixing * lcm) * t_n * rho_n
        self.t_n, self.t_d, self.rho_n, self.rho_d = t_n, t_d, rho_n, rho_d

    def __call__(self, load: int, labels: int) -> int:
        over = load * self.t_d - self.t_n
        under = self.t_n * self.rho_n - load * self.t_d * self.rho_d
        return (
            self.lot
            + (self.over * over if over > 0 else 0)
            + (self.under * under if under > 0 else 0)
            + self.mix * (labels - 1)
        )

    def is_under(self, load: int) -> bool:
        return load * self.t_d * self.rho_d < self.t_n * self.rho_n


# --------------------------------------------------------------------------------------------
# The optimiser


def _solve_exact(loads: Sequence[int], labels: Sequence[int], cost: _ScaledCost) -> list[list[int]]:
    """Return an optimal partition of indices 0..n-1 by DP over subsets (O(3^n))."""
    n = len(loads)
    size = 1 << n
    load_of = [0] * size
    label_bits = [0] * size
    for mask in range(1, size):
        low = mask & -mask
        index = low.bit_length() - 1
        load_of[mask] = load_of[mask ^ low] + loads[index]
        label_bits[mask] = label_bits[mask ^ low] | (1 << labels[index])
    lot_cost_of = [0] + [cost(load_of[m], label_bits[m].bit_count()) for m in range(1, size)]
    best = [0] * size
    choice = [0] * size
    for subset in range(1, size):
        # The lot holding the subset's lowest item is chosen among all subsets containing it;
        # fixing that item enumerates each partition once.
        low = subset & -subset
        rest = subset ^ low
        chosen = low
        value = lot_cost_of[low] + best[rest]
        sub = 0
        while sub != rest:
            # Next submask of ``rest`` in increasing order: lots of the earliest ids come first,
            # and the strict "<" keeps the first optimum found (the documented tie-break).
            sub = (sub - rest) & rest
            lot = low | sub
            candidate = lot_cost_of[lot] + best[subset ^ lot]
            if candidate < value:
                value, chosen = candidate, lot
        best[subset] = value
        choice[subset] = chosen
    lots: list[list[int]] = []
    remaining = size - 1
    while remaining:
        lot = choice[remaining]
        lots.append([i for i in range(n) if lot >> i & 1])
        remaining ^= lot
    return lots


def _pack_label(
    members: Sequence[int], loads: Sequence[int], cost: _ScaledCost, target: Fraction
) -> list[list[int]]:
    """Pack one label's items (more than SUBGROUP_EXACT_LIMIT) with LPT over a few lot counts."""
    order = sorted(members, key=lambda i: (-loads[i], i))
    # Items above the target take a lot each; the others need about their total / T lots.
    big = sum(1 for i in members if loads[i] >= target)
    rest = sum(loads[i] for i in members if loads[i] < target)
    around = max(1, big + math.ceil(rest / target))
    best: tuple[int, list[list[int]]] | None = None
    for count in range(max(1, min(len(order), around) - 1), min(len(order), around + 2) + 1):
        heap = [(0, lot) for lot in range(count)]
        lots: list[list[int]] = [[] for _ in range(count)]
        for i in order:
            load, lot = heapq.heappop(heap)
            lots[lot].append(i)
            heapq.heappush(heap, (load + loads[i], lot))
        value = sum(cost(sum(loads[i] for i in lot), 1) for lot in lots)
        if best is None or value < best[0]:
            best = (value, lots)
    assert best is not None
    return [sorted(lot) for lot in best[1]]


def _consolidate(
    lots: list[list[int]], loads: Sequence[int], labels: Sequence[int], cost: _ScaledCost
) -> list[list[int]]:
    """Merge lots under m into others while that lowers C (heuristic step 2)."""
    members: dict[int, list[int]] = {}
    load_of: dict[int, int] = {}
    label_set: dict[int, frozenset[int]] = {}
    under: list[tuple[int, int, int]] = []
    other: list[tuple[int, int, int]] = []
    next_id = 0

    def add(items: list[int]) -> None:
        nonlocal next_id
        lot_id = next_id
        next_id += 1
        members[lot_id] = items
        load_of[lot_id] = sum(loads[i] for i in items)
        label_set[lot_id] = frozenset(labels[i] for i in items)
        entry = (load_of[lot_id], min(items), lot_id)
        heapq.heappush(under if cost.is_under(load_of[lot_id]) else other, entry)

    def lightest(heap: list[tuple[int, int, int]]) -> int | None:
        while heap and heap[0][2] not in members:
            heapq.heappop(heap)  # merged away earlier
        return heap[0][2] if heap else None

    def own(lot_id: int) -> int:
        return cost(load_of[lot_id], len(label_set[lot_id]))

    for lot in lots:
        add(lot)
    final: list[list[int]] = []
    while (current := lightest(under)) is not None:
        heapq.heappop(under)
        best_gain, best_partner = 0, None
        for partner in (lightest(under), lightest(other)):
            if partner is None:
                continue
            merged = cost(
                load_of[current] + load_of[partner], len(label_set[current] | label_set[partner])
            )
            gain = own(current) + own(partner) - merged
            if gain > best_gain:
                best_gain, best_partner = gain, partner
        if best_partner is None:
            final.append(members.pop(current))
            continue
        items = sorted(members.pop(current) + members.pop(best_partner))
        add(items)
    final.extend(members.values())
    return final


def _solve_group(
    loads: Sequence[int], labels: Sequence[int], target: Fraction, weights: Weights
) -> tuple[list[list[int]], bool]:
    """Partition one hard group (indices in id order); return the lots and exactness."""
    cost = _ScaledCost(target, weights)
    if len(loads) <= EXACT_LIMIT:
        return _solve_exact(loads, labels, cost), True
    by_label: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, []).append(i)
    lots: list[list[int]] = []
    for label in sorted(by_label):
        members = by_label[label]
        if len(members) <= SUBGROUP_EXACT_LIMIT:
            sub = _solve_exact([loads[i] for i in members], [0] * len(members), cost)
            lots.extend([members[j] for j in lot] for lot in sub)
        else:
            lots.extend(_pack_label(members, loads, cost, target))
    return _consolidate(lots, loads, labels, cost), False


def partition(
    items: Sequence[Item], options: Options, strategy: Strategy, weights: Weights = DEFAULT_WEIGHTS
) -> Partition:
    """Find the lot structure that minimises the objective for ``strategy`` (validated items).

    Exact when every hard group has at most EXACT_LIMIT items (``Partition.is_exact``).
    """
    if strategy is Strategy.single_lot or strategy is Strategy.manual:
        ids = tuple(sorted(item.id for item in items))
        keys = item_keys(items, options, strategy)
        return Partition((ids,), objective(keys, [ids], weights), True)
    ordered = sorted(items, key=lambda x: x.id)
    keys = item_keys(ordered, options, strategy)
    groups: dict[str, list[str]] = {}
    for item in ordered:
        groups.setdefault(keys[item.id].hard, []).append(item.id)
    lots: list[tuple[str, ...]] = []
    exact = True
    total = Fraction(0)
    for hard in sorted(groups):
        ids = groups[hard]
        label_index = {label: n for n, label in enumerate(sorted({keys[i].label for i in ids}))}
        found, group_exact = _solve_group(
            [keys[i].load for i in ids],
            [label_index[keys[i].label] for i in ids],
            keys[ids[0]].target,
            weights,
        )
        exact = exact and group_exact
        group_lots = [tuple(ids[j] for j in sorted(lot)) for lot in found]
        total += objective(keys, group_lots, weights)
        lots.extend(group_lots)
    return Partition(tuple(sorted(lots)), total, exact)


# --------------------------------------------------------------------------------------------
# Proposals


@lru_cache(maxsize=1)
def _codes_by_digits() -> dict[str, str]:
    return {code[:8]: code for code in cpv_index()}


def _lot_cpv(lot_items: Sequence[Item]) -> str:
    """Return the closest CPV code above all the lot's items, else its largest item's code."""
    digits = [cpv_significant(item.cpv[:8]) for item in lot_items]
    prefix = digits[0]
    for other in digits[1:]:
        while not other.startswith(prefix):
            prefix = prefix[:-1]
    known = _codes_by_digits()
    for cut in range(len(prefix), 1, -1):
        code = known.get(prefix[:cut].ljust(8, "0"))
        if code is not None:
            return code
    largest = min(lot_items, key=lambda item: (-item.value, item.id))
    return largest.cpv


def _lot_labels(strategy: Strategy, lot_items: Sequence[Item]) -> tuple[str, ...]:
    if strategy is Strategy.geography:
        return tuple(sorted({place_key(item.place) for item in lot_items}))
    return tuple(sorted({item.cpv[:3] for item in lot_items}))


def _build_proposal(
    strategy: Strategy,
    groups: Sequence[Sequence[str]],
    by_id: Mapping[str, Item],
    options: Options,
    thresholds: ApplicableThresholds,
    cost: Fraction,
    is_exact: bool,
    keep_order: bool = False,
) -> Proposal:
    target = options.target
    raw = []
    for ids in groups:
        lot_items = [by_id[i] for i in sorted(ids)]
        value = sum((Decimal(item.value) for item in lot_items), Decimal(0))
        yearly = sum((yearly_value(item, options) for item in lot_items), Decimal(0))
        raw.append((lot_items, value, yearly, _lot_labels(strategy, lot_items)))
    # Lot order: by first label, then the larger lots first, then by first item id; or, for a
    # structure edited by hand, the buyer's own order (``keep_order``).
    if not keep_order:
        raw.sort(key=lambda r: (r[3][0], -r[1], r[0][0].id))
    figures = [
        LotFigures(number, value, yearly, options.turnover_requirement)
        for number, (_, value, yearly, _) in enumerate(raw, start=1)
    ]
    # A coordination lot exists only beside two lots or more; only then does its value count.
    has_coordination = options.coordination_lot and len(figures) >= 2
    coordination_value = options.coordination_value if has_coordination else None
    aggregate = sum((f.value for f in figures), Decimal(0)) + (coordination_value or Decimal(0))
    procedures = lot_procedures(figures, aggregate, thresholds)
    lots = []
    for fig, (lot_items, value, yearly, labels) in zip(figures, raw, strict=True):
        cap, suggested, friendly = turnover_suggestions(value, yearly)
        size, suitable, reasons = sme_capacity(yearly, target)
        if len(lot_items) == 1 and yearly > target:
            reasons = (*reasons, "single_indivisible_item")
        proc = procedures[fig.number]
        lots.append(
            Lot(
                number=fig.number,
                item_ids=tuple(item.id for item in lot_items),
                value=value,
                yearly_value=yearly,
                cpv=_lot_cpv(lot_items),
                labels=labels,
                turnover_cap=cap,
                turnover_max=suggested,
                turnover_sme=friendly,
                sme_size=size,
                is_sme_suitable=suitable,
                sme_reasons=reasons,
                procedure=proc.procedure,
                procedure_value=proc.decisive_value,
                procedure_basis=proc.basis,
            )
        )
    # The coordination lot counts in the aggregate but is never offered the small-lots
    # exemption: it holds the other lots together, so it follows the aggregate like them.
    coordination = _coordination_lot(options, lots, _aggregate_procedure(aggregate, thresholds))
    checks = run_checks(
        figures,
        thresholds,
        max_lots_per_tenderer=options.max_lots_per_tenderer,
        combined_bids_allowed=options.combined_bids_allowed,
        coordination_lot=options.coordination_lot,
        coordination_value=coordination_value,
    )
    justification = None
    if len(lots) == 1:
        families = len({item.cpv[:3] for item in by_id.values()})
        reasons_ = non_division_reasons(
            families=families,
            aggregate=aggregate,
            yearly_value=lots[0].yearly_value,
            target=target,
            thresholds=thresholds,
        )
        justification = draft_justification(
            reasons_,
            contract_type=options.contract_type,
            families=families,
            aggregate=aggregate,
            yearly_value=lots[0].yearly_value,
        )
    return Proposal(
        strategy=strategy,
        lots=tuple(lots),
        coordination=coordination,
        score=_score(lots, target),
        cost=cost,
        is_exact=is_exact,
        explanation=_explain(strategy, lots, target, is_exact),
        checks=checks,
        justification=justification,
    )


def _aggregate_procedure(aggregate: Decimal, thresholds: ApplicableThresholds) -> Procedure:
    eu = eu_threshold_reached(aggregate, thresholds)
    return procedure_for(aggregate, thresholds, eu_applies=eu)


def _coordination_lot(
    options: Options, lots: Sequence[Lot], procedure: Procedure
) -> CoordinationLot | None:
    if not options.coordination_lot or len(lots) < 2:
        return None
    works = options.contract_type is ContractType.works
    tasks = (
        "shared_schedule",
        "interfaces_between_lots",
        "site_coordination" if works else "service_coordination",
        "progress_reporting",
    )
    # Lot holders stay bound to the authority alone: the coordinator organises, it does not
    # subcontract or command them, so small firms keep a direct contract and direct payment.
    interactions = (
        "direct_contract_with_authority",
        "coordination_meetings",
        "share_schedule_and_interfaces",
        "report_incidents_to_coordinator",
        "coordinator_not_awarded_other_lots",
    )
    return CoordinationLot(
        number=len(lots) + 1,
        coordinates=tuple(lot.number for lot in lots),
        value=options.coordination_value,
        procedure=procedure,
        tasks=tasks,
        interactions=interactions,
    )


def _score(lots: Sequence[Lot], target: Decimal) -> Decimal:
    total = sum((lot.value for lot in lots), Decimal(0))
    reach = sum(
        (
            lot.value if lot.yearly_value <= target else lot.value * target / lot.yearly_value
            for lot in lots
        ),
        Decimal(0),
    )
    return (reach * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)


def _explain(
    strategy: Strategy, lots: Sequence[Lot], target: Decimal, is_exact: bool
) -> Explanation:
    return Explanation(
        strategy.value,
        {
            "lots": len(lots),
            "labels": len({label for lot in lots for label in lot.labels}),
            "mixed_lots": sum(1 for lot in lots if len(lot.labels) > 1),
            "over_target_lots": sum(1 for lot in lots if lot.yearly_value > target),
            "sme_suitable_lots": sum(1 for lot in lots if lot.is_sme_suitable),
            "largest_lot": max(lot.value for lot in lots),
            "smallest_lot": min(lot.value for lot in lots),
            "target": target,
            "is_exact": is_exact,
        },
    )


def _thresholds(options: Options, thresholds: Sequence[Threshold]) -> ApplicableThresholds:
    return thresholds_in_force(
        thresholds,
        options.publication_date,
        contract_type=options.contract_type,
        authority_kind=options.authority_kind,
        annex_xiv=options.annex_xiv_services,
    )


def advise(
    items: Sequence[Item],
    options: Options,
    thresholds: Sequence[Threshold],
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    known_cpv: Collection[str] | None = None,
) -> Advice:
    """Propose up to three lot structures with their legal checks.

    Strategies: trade always; geography when an item has a place; size bands. Identical
    structures are listed once (``also_from``). When fewer than two remain, the single-lot
    structure is added so the buyer can weigh not dividing. With ``options.divide`` False,
    only the single-lot structure is returned.

    :raises AdvisorInputError: invalid items or options.
    :raises portal.lots.rules.NoThresholdInForce: no threshold covers the publication date.
    """
    clean = validate(items, options, known_cpv)
    applicable = _thresholds(options, thresholds)
    by_id = {item.id: item for item in clean}
    strategies = [Strategy.single_lot] if not options.divide else [Strategy.trade]
    if options.divide:
        if any(item.place is not None for item in clean):
            strategies.append(Strategy.geography)
        strategies.append(Strategy.size)
    found: list[tuple[Strategy, Partition, list[Strategy]]] = []
    for strategy in strategies:
        result = partition(clean, options, strategy, weights)
        twin = next((f for f in found if f[1].lots == result.lots), None)
        if twin is not None:
            twin[2].append(strategy)
        else:
            found.append((strategy, result, []))
    if len(found) < 2 and options.divide and len(found[0][1].lots) > 1:
        found.append(
            (Strategy.single_lot, partition(clean, options, Strategy.single_lot, weights), [])
        )
    proposals = tuple(
        _with_twins(
            _build_proposal(
                strategy, result.lots, by_id, options, applicable, result.cost, result.is_exact
            ),
            twins,
        )
        for strategy, result, twins in found
    )
    recommended = min(
        range(len(proposals)), key=lambda n: (-proposals[n].score, len(proposals[n].lots), n)
    )
    return Advice(proposals, recommended, applicable, options.target)


def _with_twins(proposal: Proposal, twins: Sequence[Strategy]) -> Proposal:
    if not twins:
        return proposal
    values = {name: getattr(proposal, name) for name in Proposal.__dataclass_fields__}
    values["also_from"] = tuple(twins)
    return Proposal(**values)  # type: ignore[arg-type]


def assess(
    items: Sequence[Item],
    options: Options,
    thresholds: Sequence[Threshold],
    lots: Sequence[Sequence[str]],
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    known_cpv: Collection[str] | None = None,
    keep_order: bool = False,
) -> Proposal:
    """Evaluate a lot structure edited by hand: the same figures and checks as a proposal.

    Lots are numbered in the advisor's usual order (by label, then value), or, with
    ``keep_order``, 1, 2, 3... in the order of ``lots``, so that the checks name the lots by
    the numbers the buyer gave them.

    :raises AdvisorInputError: invalid items or options, or ``lots`` does not cover every item
        exactly once.
    """
    clean = validate(items, options, known_cpv)
    by_id = {item.id: item for item in clean}
    errors: list[FieldError] = []
    placed: set[str] = set()
    for n, lot in enumerate(lots):
        if not lot:
            errors.append(FieldError(f"lots[{n}]", "empty"))
        for item_id in lot:
            if item_id not in by_id:
                errors.append(FieldError(f"lots[{n}]", "unknown_item", {"id": item_id}))
            elif item_id in placed:
                errors.append(FieldError(f"lots[{n}]", "duplicate", {"id": item_id}))
            placed.add(item_id)
    missing = sorted(set(by_id) - placed)
    if missing:
        errors.append(FieldError("lots", "items_missing", {"ids": tuple(missing)}))
    if errors:
        raise AdvisorInputError(errors)
    keys = item_keys(clean, options, Strategy.manual)
    groups = [tuple(sorted(lot)) for lot in lots]
    strategy = Strategy.single_lot if len(groups) == 1 else Strategy.manual
    return _build_proposal(
        strategy,
        groups,
        by_id,
        options,
        _thresholds(options, thresholds),
        objective(keys, groups, weights),
        False,
        keep_order,
    )
