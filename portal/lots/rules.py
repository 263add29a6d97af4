"""Procurement thresholds and the legal checks on a lot structure: pure functions over plain data.

Thresholds are dated data, not constants. :func:`load_thresholds` reads them from CSV files (the
EU thresholds and the Belgian national ones); a database layer can build the same
:class:`Threshold` objects. :func:`thresholds_in_force` picks those that apply on the planned
publication date and fails loudly when the data does not cover that date.

Every check returns a :class:`Check`: a stable code, the article it rests on, a status and the
parameters of its message. The web layer words and translates the messages; this module only
writes document content, namely the draft "divide or explain" justification (FR, NL, EN).

Figures fixed by the text of the directive itself (the 80/20 small-lots exemption, the 2x
turnover ratio) and by Recommendation 2003/361/EC (SME turnover ceilings) are constants here,
because no delegated act revises them; the biennially revised thresholds live in the CSV files.
"""

from __future__ import annotations

import csv
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from pathlib import Path

from portal.companies.models import CompanySize
from portal.reference.models import AuthorityKind

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

EU_DIRECTIVE = "2014/24/EU"
BE_REGIME = "BE"


class ContractType(enum.StrEnum):
    """Type of public contract (Dir. 2014/24/EU art. 2(1)(6)-(9))."""

    #: Works, CPV division 45.
    works = "works"
    #: Supplies of products.
    supplies = "supplies"
    #: Services.
    services = "services"


class ThresholdKind(enum.StrEnum):
    """What a threshold decides."""

    #: EU publication (Dir. 2014/24/EU art. 4(a)-(c)): at or above it, EU procedures apply.
    eu_publication = "eu_publication"
    #: EU light regime for social and other specific services (art. 4(d), Annex XIV).
    eu_social_services = "eu_social_services"
    #: Belgian accepted invoice: below it, a contract of limited value (law 17 June 2016 art. 92).
    accepted_invoice = "accepted_invoice"
    #: Belgian negotiated procedure without prior publication (law art. 42 §1 1° a).
    negotiated_without_publication = "negotiated_without_publication"
    #: Belgian light regime for Annex XIV services: below it, no prior publication required.
    light_regime = "light_regime"


class Procedure(enum.StrEnum):
    """Award procedure that a value allows."""

    #: Accepted invoice (facture acceptée / aanvaarde factuur), law of 17 June 2016 art. 92.
    accepted_invoice = "accepted_invoice"
    #: Negotiated procedure without prior publication (PNSPP / OPZB), law art. 42 §1 1° a.
    negotiated_without_publication = "negotiated_without_publication"
    #: Annex XIV services below the light-regime threshold: no prior publication required.
    light_regime = "light_regime"
    #: Open or restricted procedure published in the Belgian Bulletin des Adjudications only.
    national_publication = "national_publication"
    #: Open or restricted procedure with publication in the EU Official Journal (TED).
    eu_publication = "eu_publication"
    #: Annex XIV services at or above EUR 750,000: EU notice, light-regime procedure (art. 74-76).
    eu_light_regime = "eu_light_regime"


class CheckStatus(enum.StrEnum):
    """Outcome of a legal check, from harmless to blocking."""

    #: The rule is met, or it does not apply.
    ok = "ok"
    #: Something the buyer should know or state in the notice; nothing is wrong.
    info = "info"
    #: The buyer must act (write a justification, reconsider a choice).
    warning = "warning"
    #: The structure or a requirement breaks the rule as it stands.
    violation = "violation"


class ThresholdDataError(ValueError):
    """A threshold file or record is malformed, or the data is ambiguous for a date."""


class NoThresholdInForce(LookupError):
    """No threshold of a needed kind covers the requested date."""

    def __init__(
        self,
        kind: ThresholdKind,
        on_date: date,
        contract_type: ContractType,
        authority_kind: AuthorityKind,
    ) -> None:
        self.kind = kind
        self.on_date = on_date
        self.contract_type = contract_type
        self.authority_kind = authority_kind
        super().__init__(
            f"No {kind.value} threshold is in force on {on_date.isoformat()} for "
            f"{contract_type.value} contracts of {authority_kind.value} authorities; "
            "add the threshold valid on that date to the threshold data."
        )


@dataclass(frozen=True)
class Threshold:
    """One dated threshold, as read from a file or built by a database layer."""

    #: "2014/24/EU", "2014/25/EU", "2014/23/EU" or "BE".
    regime: str
    kind: ThresholdKind
    contract_types: frozenset[ContractType]
    #: Empty for thresholds that apply to no authority kind handled here (utilities).
    authority_kinds: frozenset[AuthorityKind]
    #: EUR excluding VAT; "below" means strictly less than this amount.
    amount: Decimal
    valid_from: date
    #: Inclusive; None when open-ended.
    valid_to: date | None
    legal_act: str
    source_status: str
    #: Where the record came from, e.g. "thresholds_be.csv:3".
    source: str = ""

    def covers(self, on_date: date) -> bool:
        """Tell whether the threshold is in force on ``on_date``."""
        return self.valid_from <= on_date and (self.valid_to is None or on_date <= self.valid_to)

    @property
    def is_verified(self) -> bool:
        """True when the figure comes from an official source, not a summary or a presumption."""
        return self.source_status.strip().lower().startswith("official")


def default_threshold_paths() -> tuple[Path, Path]:
    """Return the project's EU and Belgian threshold files."""
    return DATA_DIR / "eu_procurement_thresholds.csv", DATA_DIR / "thresholds_be.csv"


def load_thresholds(paths: Iterable[str | Path]) -> list[Threshold]:
    """Read thresholds from CSV files in the EU or the Belgian column layout.

    The EU layout has a ``directive`` column and infers the kind from ``contract_type``; the
    Belgian layout has ``regime`` and ``kind`` columns.

    :raises ThresholdDataError: a file has an unknown layout or a row cannot be read.
    """
    thresholds: list[Threshold] = []
    for path in paths:
        path = Path(path)
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            header = set(reader.fieldnames or ())
            if not {"valid_from", "valid_to", "amount_eur", "contract_type"} <= header or not (
                "directive" in header or {"regime", "kind"} <= header
            ):
                raise ThresholdDataError(f"{path.name}: unknown threshold file layout {header}")
            for line, row in enumerate(reader, start=2):
                where = f"{path.name}:{line}"
                try:
                    thresholds.append(_threshold_from_row(row, where))
                except (KeyError, ValueError, InvalidOperation) as exc:
                    raise ThresholdDataError(f"{where}: {exc}") from exc
    return thresholds


def _threshold_from_row(row: Mapping[str, str], where: str) -> Threshold:
    contract_text = row["contract_type"].strip().lower()
    if "directive" in row:
        regime = row["directive"].strip()
        kind = (
            ThresholdKind.eu_social_services
            if "social and other specific services" in contract_text
            else ThresholdKind.eu_publication
        )
    else:
        regime = row["regime"].strip()
        kind = ThresholdKind(row["kind"].strip())
    types = frozenset(t for t in ContractType if t.value in contract_text)
    if not types:
        raise ValueError(f"no contract type in {row['contract_type']!r}")
    amount = Decimal(row["amount_eur"].strip())
    if amount <= 0:
        raise ValueError(f"amount must be positive, got {amount}")
    valid_from = date.fromisoformat(row["valid_from"].strip())
    valid_to = date.fromisoformat(row["valid_to"].strip()) if row["valid_to"].strip() else None
    if valid_to is not None and valid_to < valid_from:
        raise ValueError("valid_to is before valid_from")
    return Threshold(
        regime=regime,
        kind=kind,
        contract_types=types,
        authority_kinds=_authority_kinds(row["authority_type"]),
        amount=amount,
        valid_from=valid_from,
        valid_to=valid_to,
        legal_act=row["legal_act"].strip(),
        source_status=row["source_status"].strip(),
        source=where,
    )


def _authority_kinds(text: str) -> frozenset[AuthorityKind]:
    lowered = text.strip().lower()
    if lowered.startswith("all"):
        return frozenset(AuthorityKind)
    # "sub-central" contains "central": test it first.
    if "sub-central" in lowered or "sub_central" in lowered:
        return frozenset({AuthorityKind.sub_central})
    if "central" in lowered:
        return frozenset({AuthorityKind.central})
    if "utilit" in lowered:
        return frozenset()
    raise ValueError(f"unknown authority type {text!r}")


@dataclass(frozen=True)
class ApplicableThresholds:
    """The thresholds in force for one dossier on its planned publication date."""

    on_date: date
    contract_type: ContractType
    authority_kind: AuthorityKind
    #: The services are social and other specific services of Annex XIV.
    annex_xiv: bool
    #: Decides, on the aggregate value of all lots, whether EU procedures apply.
    eu: Threshold
    #: EU central-government supplies/services threshold: BE law art. 58 "divide or explain".
    divide_or_explain: Threshold
    accepted_invoice: Threshold
    #: Negotiated procedure without prior publication, or the light regime for Annex XIV.
    negotiated: Threshold

    def all(self) -> tuple[Threshold, ...]:
        """Return every threshold used, without duplicates, in a stable order."""
        seen: list[Threshold] = []
        for t in (self.eu, self.divide_or_explain, self.accepted_invoice, self.negotiated):
            if t not in seen:
                seen.append(t)
        return tuple(seen)


def thresholds_in_force(
    thresholds: Sequence[Threshold],
    on_date: date,
    *,
    contract_type: ContractType,
    authority_kind: AuthorityKind,
    annex_xiv: bool = False,
) -> ApplicableThresholds:
    """Pick the thresholds in force on ``on_date`` for the contract type and authority kind.

    :raises NoThresholdInForce: no threshold of a needed kind covers the date.
    :raises ThresholdDataError: two thresholds of the same kind overlap on the date.
    """
    if annex_xiv and contract_type is not ContractType.services:
        raise ValueError("Annex XIV (light regime) applies to services contracts only")

    def pick(
        regime: str, kind: ThresholdKind, ctype: ContractType, akind: AuthorityKind
    ) -> Threshold:
        found = [
            t
            for t in thresholds
            if t.regime == regime
            and t.kind is kind
            and ctype in t.contract_types
            and akind in t.authority_kinds
            and t.covers(on_date)
        ]
        if not found:
            raise NoThresholdInForce(kind, on_date, ctype, akind)
        if len(found) > 1:
            sources = ", ".join(t.source or t.legal_act for t in found)
            raise ThresholdDataError(
                f"{len(found)} {kind.value} thresholds overlap on {on_date.isoformat()}: {sources}"
            )
        return found[0]

    eu_kind = ThresholdKind.eu_social_services if annex_xiv else ThresholdKind.eu_publication
    national = (
        ThresholdKind.light_regime if annex_xiv else ThresholdKind.negotiated_without_publication
    )
    return ApplicableThresholds(
        on_date=on_date,
        contract_type=contract_type,
        authority_kind=authority_kind,
        annex_xiv=annex_xiv,
        eu=pick(EU_DIRECTIVE, eu_kind, contract_type, authority_kind),
        divide_or_explain=pick(
            EU_DIRECTIVE, ThresholdKind.eu_publication, ContractType.supplies, AuthorityKind.central
        ),
        accepted_invoice=pick(
            BE_REGIME, ThresholdKind.accepted_invoice, contract_type, authority_kind
        ),
        negotiated=pick(BE_REGIME, national, contract_type, authority_kind),
    )


# --------------------------------------------------------------------------------------------
# Figures fixed by legal texts that no delegated act revises

#: Dir. 2014/24/EU art. 5(10): lots below these values may follow national rules...
SMALL_LOT_LIMITS: Mapping[ContractType, Decimal] = {
    ContractType.works: Decimal("1000000"),
    ContractType.supplies: Decimal("80000"),
    ContractType.services: Decimal("80000"),
}
#: ...as long as together they stay within this share of the aggregate value of all lots.
SMALL_LOTS_MAX_SHARE = Decimal("0.20")
#: Art. 58(3): the minimum yearly turnover may not exceed this multiple of the contract value.
TURNOVER_CAP_RATIO = Decimal(2)
#: Rec. 2003/361/EC Annex art. 2: turnover ceilings of micro, small and medium enterprises.
SME_TURNOVER_CEILINGS: tuple[tuple[CompanySize, Decimal], ...] = (
    (CompanySize.micro, Decimal("2000000")),
    (CompanySize.small, Decimal("10000000")),
    (CompanySize.medium, Decimal("50000000")),
)
_THOUSAND = Decimal(1000)

ART_AGGREGATION = "Dir. 2014/24/EU art. 5(8)-(9)"
ART_SMALL_LOTS = "Dir. 2014/24/EU art. 5(10)"
ART_MAX_LOTS = "Dir. 2014/24/EU art. 46(2); law of 17 June 2016 art. 58"
ART_COMBINED = "Dir. 2014/24/EU art. 46(3)"
ART_DIVIDE = "Law of 17 June 2016 art. 58; Dir. 2014/24/EU art. 46(1)"
ART_TURNOVER = "Dir. 2014/24/EU art. 58(3)"
ART_COORDINATION = "Dir. 2014/24/EU art. 46(1), recital 78"
ART_THRESHOLDS = "Dir. 2014/24/EU art. 4; law of 17 June 2016 art. 42 and 92"


@dataclass(frozen=True)
class Check:
    """Outcome of one legal check: the web layer turns ``code`` and ``params`` into a message."""

    code: str
    article: str
    status: CheckStatus
    params: Mapping[str, object] = field(default_factory=dict)
    #: The lot number for per-lot checks, None for checks on the whole structure.
    lot: int | None = None


@dataclass(frozen=True)
class LotFigures:
    """The figures of one lot that the checks need; built from a proposal or a hand edit."""

    number: int
    value: Decimal
    yearly_value: Decimal
    #: The minimum yearly turnover the buyer intends to require, if already chosen.
    turnover_requirement: Decimal | None = None


@dataclass(frozen=True)
class LotProcedure:
    """The procedure a lot's value allows, and why."""

    procedure: Procedure
    #: The value compared with the thresholds: the aggregate, or the lot's own value.
    decisive_value: Decimal
    #: "aggregate" or "small_lots_exemption".
    basis: str


@dataclass(frozen=True)
class AwardRule:
    """Art. 46(2) rule for a tenderer that ranks first on more lots than it may be awarded.

    It keeps the lots in ``precedence`` order, that is: highest estimated value first; lots of
    equal value by the largest gap between its score and the second-best score on that lot;
    then by lot number. The lots it gives up go to the next-ranked tender on each of them.
    Giving the winner the largest lots leaves the smaller ones to others, typically SMEs.
    """

    max_lots: int
    #: Lot numbers by decreasing value, then by lot number (score gaps are known only later).
    precedence: tuple[int, ...]
    criteria: tuple[str, ...] = ("lot_value_desc", "score_gap_desc", "lot_number_asc")


def lots_kept(
    rule: AwardRule, lot_values: Mapping[int, Decimal], score_gaps: Mapping[int, Decimal]
) -> tuple[int, ...]:
    """Apply ``rule`` to the lots a tenderer ranks first on; return the lots it is awarded.

    ``score_gaps`` maps each lot it ranks first on to its score minus the second-best score.
    """
    ordered = sorted(score_gaps, key=lambda n: (-lot_values[n], -score_gaps[n], n))
    return tuple(ordered[: rule.max_lots])


def eu_threshold_reached(aggregate: Decimal, thresholds: ApplicableThresholds) -> bool:
    """Tell whether the aggregate value of all lots reaches the EU threshold (art. 4: ">=")."""
    return aggregate >= thresholds.eu.amount


def small_lots_exemption(
    lots: Sequence[LotFigures], aggregate: Decimal, contract_type: ContractType
) -> tuple[int, ...]:
    """Choose the lots that may follow national rules under art. 5(10); return their numbers.

    Eligible lots are worth less than EUR 80,000 (supplies, services) or EUR 1,000,000 (works).
    Rule: take eligible lots by increasing value (then lot number) while their total stays at
    most 20% of ``aggregate``. The k cheapest lots have the smallest total of any k lots, so
    this prefix covers the largest possible number of lots within the cap.
    """
    limit = SMALL_LOT_LIMITS[contract_type]
    cap = aggregate * SMALL_LOTS_MAX_SHARE
    chosen: list[int] = []
    total = Decimal(0)
    for lot in sorted((x for x in lots if x.value < limit), key=lambda x: (x.value, x.number)):
        if total + lot.value > cap:
            break
        total += lot.value
        chosen.append(lot.number)
    return tuple(sorted(chosen))


def procedure_for(
    value: Decimal, thresholds: ApplicableThresholds, *, eu_applies: bool
) -> Procedure:
    """Return the procedure that ``value`` allows, given whether EU procedures apply."""
    if eu_applies:
        return Procedure.eu_light_regime if thresholds.annex_xiv else Procedure.eu_publication
    if value < thresholds.accepted_invoice.amount:
        return Procedure.accepted_invoice
    if value < thresholds.negotiated.amount:
        if thresholds.negotiated.kind is ThresholdKind.light_regime:
            return Procedure.light_regime
        return Procedure.negotiated_without_publication
    return Procedure.national_publication


def lot_procedures(
    lots: Sequence[LotFigures], aggregate: Decimal, thresholds: ApplicableThresholds
) -> dict[int, LotProcedure]:
    """Decide each lot's procedure: the aggregate decides, except for exempted small lots.

    Splitting never lowers the value that decides the procedure (art. 5(8)-(9)), so every lot
    is compared on the aggregate value, except lots chosen by :func:`small_lots_exemption`
    once the aggregate reaches the EU threshold; these follow national rules on their own value.
    """
    eu = eu_threshold_reached(aggregate, thresholds)
    exempt = set(small_lots_exemption(lots, aggregate, thresholds.contract_type)) if eu else set()
    result: dict[int, LotProcedure] = {}
    for lot in lots:
        if lot.number in exempt:
            result[lot.number] = LotProcedure(
                procedure_for(lot.value, thresholds, eu_applies=False),
                lot.value,
                "small_lots_exemption",
            )
        else:
            result[lot.number] = LotProcedure(
                procedure_for(aggregate, thresholds, eu_applies=eu), aggregate, "aggregate"
            )
    return result


def _floor_thousand(amount: Decimal) -> Decimal:
    # Round suggestions down, never up, so they stay under the legal cap.
    return (amount / _THOUSAND).to_integral_value(rounding=ROUND_FLOOR) * _THOUSAND


def turnover_suggestions(value: Decimal, yearly_value: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """Return (legal cap, suggested maximum, SME-friendly suggestion) for a lot's turnover.

    The cap is 2x the lot's value (art. 58(3)). Because the requirement is a *yearly* turnover,
    the suggested maximum applies the same 2x ratio to the lot's yearly value (never above the
    cap, since the yearly value is at most the value) and the SME-friendly suggestion asks for
    1x the yearly value. Suggestions are rounded down to the thousand euros.
    """
    cap = value * TURNOVER_CAP_RATIO
    suggested = min(cap, _floor_thousand(yearly_value * TURNOVER_CAP_RATIO))
    friendly = min(suggested, _floor_thousand(yearly_value))
    return cap, suggested, friendly


def sme_capacity(
    yearly_value: Decimal, target: Decimal
) -> tuple[CompanySize, bool, tuple[str, ...]]:
    """Return the smallest enterprise class that can carry the lot, the SME flag and reasons.

    An enterprise is taken to carry a contract whose yearly value is at most half its yearly
    turnover: the ratio art. 58(3) treats as proportionate. With the turnover ceilings of
    Rec. 2003/361/EC, micro-enterprises carry up to EUR 1M a year, small ones EUR 5M and
    medium-sized ones EUR 25M. A lot suits SMEs when a small enterprise can carry it; it is
    also reported when it exceeds the buyer's target lot size.
    """
    size = CompanySize.large
    for candidate, ceiling in SME_TURNOVER_CEILINGS:
        if yearly_value * TURNOVER_CAP_RATIO <= ceiling:
            size = candidate
            break
    suitable = size in (CompanySize.micro, CompanySize.small)
    reasons = [
        {
            CompanySize.micro: "micro_enterprise_can_carry",
            CompanySize.small: "small_enterprise_can_carry",
            CompanySize.medium: "exceeds_small_enterprise_capacity",
            CompanySize.large: "exceeds_sme_capacity",
        }[size]
    ]
    if yearly_value > target:
        reasons.append("above_target_lot_size")
    return size, suitable, tuple(reasons)


# --------------------------------------------------------------------------------------------
# Checks


def check_aggregate(
    lots: Sequence[LotFigures], aggregate: Decimal, thresholds: ApplicableThresholds
) -> Check:
    """Check which side of the EU threshold the aggregate falls; warn when lots alone mislead."""
    reached = eu_threshold_reached(aggregate, thresholds)
    below = sum(1 for lot in lots if lot.value < thresholds.eu.amount)
    if not reached:
        status = CheckStatus.ok
    elif below:
        # Each of these lots looks national on its own; the aggregate makes it EU.
        status = CheckStatus.warning
    else:
        status = CheckStatus.info
    return Check(
        "aggregate_eu_threshold",
        ART_AGGREGATION,
        status,
        {
            "aggregate": aggregate,
            "threshold": thresholds.eu.amount,
            "threshold_legal_act": thresholds.eu.legal_act,
            "reached": reached,
            "lots": len(lots),
            "lots_below_threshold": below,
            "largest_lot": max((lot.value for lot in lots), default=Decimal(0)),
        },
    )


def check_small_lots(
    lots: Sequence[LotFigures], aggregate: Decimal, thresholds: ApplicableThresholds
) -> Check:
    """Say which lots may use national rules under art. 5(10), if the aggregate is EU-level."""
    limit = SMALL_LOT_LIMITS[thresholds.contract_type]
    cap = aggregate * SMALL_LOTS_MAX_SHARE
    if not eu_threshold_reached(aggregate, thresholds):
        return Check(
            "small_lots_exemption",
            ART_SMALL_LOTS,
            CheckStatus.ok,
            {"applicable": False, "limit": limit},
        )
    exempt = small_lots_exemption(lots, aggregate, thresholds.contract_type)
    eligible = tuple(sorted(lot.number for lot in lots if lot.value < limit))
    values = {lot.number: lot.value for lot in lots}
    return Check(
        "small_lots_exemption",
        ART_SMALL_LOTS,
        CheckStatus.info if exempt else CheckStatus.ok,
        {
            "applicable": True,
            "limit": limit,
            "cap": cap,
            "eligible_lots": eligible,
            "exempt_lots": exempt,
            "exempt_total": sum((values[n] for n in exempt), Decimal(0)),
            "rule": "smallest_value_first_within_cap",
        },
    )


def award_rule(lots: Sequence[LotFigures], max_lots: int) -> AwardRule:
    """Build the art. 46(2) award rule for a maximum of ``max_lots`` lots per tenderer."""
    order = sorted(lots, key=lambda lot: (-lot.value, lot.number))
    return AwardRule(max_lots=max_lots, precedence=tuple(lot.number for lot in order))


def check_max_lots(lots: Sequence[LotFigures], max_lots: int | None) -> Check:
    """Check the limit on lots per tenderer and give the objective rule the notice must state."""
    if max_lots is None:
        return Check("max_lots_per_tenderer", ART_MAX_LOTS, CheckStatus.ok, {"limited": False})
    if max_lots < 1:
        return Check(
            "max_lots_per_tenderer",
            ART_MAX_LOTS,
            CheckStatus.violation,
            {"limited": True, "max_lots": max_lots, "reason": "below_one"},
        )
    if len(lots) <= 1:
        return Check(
            "max_lots_per_tenderer",
            ART_MAX_LOTS,
            CheckStatus.info,
            {"limited": True, "max_lots": max_lots, "reason": "single_lot"},
        )
    if max_lots >= len(lots):
        return Check(
            "max_lots_per_tenderer",
            ART_MAX_LOTS,
            CheckStatus.info,
            {"limited": True, "max_lots": max_lots, "lots": len(lots), "reason": "no_effect"},
        )
    rule = award_rule(lots, max_lots)
    return Check(
        "max_lots_per_tenderer",
        ART_MAX_LOTS,
        CheckStatus.info,
        {
            "limited": True,
            "max_lots": max_lots,
            "lots": len(lots),
            "precedence": rule.precedence,
            "criteria": rule.criteria,
            "notice_must_state": ("max_lots", "award_rule"),
        },
    )


def check_combined_bids(lots: Sequence[LotFigures], allowed: bool, max_lots: int | None) -> Check:
    """Check the reservation of combined awards (art. 46(3))."""
    if not allowed:
        return Check("combined_bids", ART_COMBINED, CheckStatus.ok, {"allowed": False})
    if len(lots) < 2:
        return Check(
            "combined_bids",
            ART_COMBINED,
            CheckStatus.info,
            {"allowed": True, "reason": "single_lot"},
        )
    if max_lots == 1:
        # One lot per tenderer leaves nothing to combine.
        return Check(
            "combined_bids",
            ART_COMBINED,
            CheckStatus.warning,
            {"allowed": True, "reason": "max_one_lot", "max_lots": 1},
        )
    return Check(
        "combined_bids",
        ART_COMBINED,
        CheckStatus.info,
        {
            "allowed": True,
            "combinable_lots": tuple(sorted(lot.number for lot in lots)),
            "notice_must_state": ("reservation", "combinable_lots"),
        },
    )


def check_divide_or_explain(
    lots: Sequence[LotFigures], aggregate: Decimal, thresholds: ApplicableThresholds
) -> Check:
    """Check whether an undivided contract needs the main reasons stated (BE law art. 58)."""
    threshold = thresholds.divide_or_explain.amount
    required = aggregate >= threshold
    if len(lots) >= 2:
        return Check(
            "divide_or_explain", ART_DIVIDE, CheckStatus.ok, {"divided": True, "lots": len(lots)}
        )
    return Check(
        "divide_or_explain",
        ART_DIVIDE,
        CheckStatus.warning if required else CheckStatus.info,
        {
            "divided": False,
            "justification_required": required,
            "aggregate": aggregate,
            "threshold": threshold,
        },
    )


def check_turnover(lot: LotFigures) -> Check:
    """Check a lot's minimum yearly turnover requirement against the 2x cap (art. 58(3))."""
    cap, suggested, friendly = turnover_suggestions(lot.value, lot.yearly_value)
    params: dict[str, object] = {
        "cap": cap,
        "suggested_max": suggested,
        "sme_friendly": friendly,
        "requirement": lot.turnover_requirement,
    }
    requirement = lot.turnover_requirement
    if requirement is None or requirement <= friendly:
        status = CheckStatus.ok
    elif requirement > cap:
        # Art. 58(3) allows more only in duly justified cases; the buyer must say why.
        status = CheckStatus.violation
    elif requirement > suggested:
        status = CheckStatus.warning
    else:
        status = CheckStatus.info
    return Check("turnover_cap", ART_TURNOVER, status, params, lot=lot.number)


def check_coordination(
    lots: Sequence[LotFigures], requested: bool, coordinated: Sequence[int]
) -> Check:
    """Report the coordination lot, or suggest one when many lots must work together."""
    if not requested:
        return Check(
            "coordination_lot",
            ART_COORDINATION,
            CheckStatus.info if len(lots) >= 3 else CheckStatus.ok,
            {"requested": False, "suggested": len(lots) >= 3},
        )
    if len(lots) < 2:
        return Check(
            "coordination_lot",
            ART_COORDINATION,
            CheckStatus.info,
            {"requested": True, "reason": "single_lot"},
        )
    return Check(
        "coordination_lot",
        ART_COORDINATION,
        CheckStatus.info,
        {"requested": True, "coordinated_lots": tuple(coordinated)},
    )


def check_threshold_sources(thresholds: ApplicableThresholds) -> Check:
    """Flag thresholds in force that rest on secondary or presumed sources."""
    # Each entry: kind, amount, source note, and the role the threshold plays here ("eu",
    # "divide_or_explain", "accepted_invoice", "negotiated"), so that two thresholds of the
    # same kind (the EU one of the contract and the central-government "divide or explain"
    # one) can be told apart.
    roles = (
        ("eu", thresholds.eu),
        ("divide_or_explain", thresholds.divide_or_explain),
        ("accepted_invoice", thresholds.accepted_invoice),
        ("negotiated", thresholds.negotiated),
    )
    seen: list[Threshold] = []
    entries = []
    for role, t in roles:
        if t in seen or t.is_verified:
            continue
        seen.append(t)
        entries.append((t.kind.value, t.amount, t.source_status, role))
    unverified = tuple(entries)
    return Check(
        "threshold_sources",
        ART_THRESHOLDS,
        CheckStatus.info if unverified else CheckStatus.ok,
        {"on_date": thresholds.on_date, "unverified": unverified},
    )


def run_checks(
    lots: Sequence[LotFigures],
    thresholds: ApplicableThresholds,
    *,
    max_lots_per_tenderer: int | None = None,
    combined_bids_allowed: bool = False,
    coordination_lot: bool = False,
    coordination_value: Decimal | None = None,
) -> tuple[Check, ...]:
    """Run every legal check on a lot structure (a proposal or a hand-edited one)."""
    aggregate = sum((lot.value for lot in lots), Decimal(0)) + (coordination_value or Decimal(0))
    checks = [
        check_aggregate(lots, aggregate, thresholds),
        check_small_lots(lots, aggregate, thresholds),
        check_max_lots(lots, max_lots_per_tenderer),
        check_combined_bids(lots, combined_bids_allowed, max_lots_per_tenderer),
        check_divide_or_explain(lots, aggregate, thresholds),
        check_coordination(lots, coordination_lot, tuple(sorted(lot.number for lot in lots))),
        check_threshold_sources(thresholds),
    ]
    checks.extend(check_turnover(lot) for lot in sorted(lots, key=lambda x: x.number))
    return tuple(checks)


# --------------------------------------------------------------------------------------------
# Divide or explain: draft justification (document content, FR / NL / EN)


class NonDivisionReason(enum.StrEnum):
    """Main reasons a draft justification gives for not dividing."""

    #: Several interrelated trades or categories: coordinating several contractors is risky.
    coordination = "coordination"
    #: A single trade or category forming one technical and functional whole.
    functional_whole = "functional_whole"
    #: The value is too small for managing several lots to be proportionate.
    disproportionate_cost = "disproportionate_cost"
    #: The undivided contract is already within what an SME can carry.
    accessible_to_smes = "accessible_to_smes"


@dataclass(frozen=True)
class Justification:
    """Draft reasons for not dividing into lots, for the buyer to edit."""

    reasons: tuple[NonDivisionReason, ...]
    fr: str
    nl: str
    en: str

    def text(self, lang: str) -> str:
        """Return the draft in ``lang`` ("fr", "nl" or "en")."""
        return {"fr": self.fr, "nl": self.nl, "en": self.en}[lang]


def non_division_reasons(
    *,
    families: int,
    aggregate: Decimal,
    yearly_value: Decimal,
    target: Decimal,
    thresholds: ApplicableThresholds,
) -> tuple[NonDivisionReason, ...]:
    """Choose the main reasons that fit an undivided contract, in a fixed order."""
    reasons = [
        NonDivisionReason.coordination if families >= 2 else NonDivisionReason.functional_whole
    ]
    if aggregate < thresholds.negotiated.amount:
        reasons.append(NonDivisionReason.disproportionate_cost)
    if yearly_value <= target:
        reasons.append(NonDivisionReason.accessible_to_smes)
    return tuple(reasons)


_NBSP = "\u00a0"


def format_eur(amount: Decimal, lang: str) -> str:
    """Format an amount in euros the way a Belgian FR, NL or EN document writes it."""
    text = f"{amount.quantize(Decimal('0.01')):,.2f}"  # 1,234,567.89
    if lang == "en":
        return f"EUR {text}"
    units, cents = text.split(".")
    thousands = _NBSP if lang == "fr" else "."
    return f"{units.replace(',', thousands)},{cents}{_NBSP}EUR"


_SUBJECT = {
    "fr": {
        ContractType.works: "Les travaux",
        ContractType.supplies: "Les fournitures",
        ContractType.services: "Les services",
    },
    "nl": {
        ContractType.works: "De werken",
        ContractType.supplies: "De leveringen",
        ContractType.services: "De diensten",
    },
    "en": {
        ContractType.works: "The works",
        ContractType.supplies: "The supplies",
        ContractType.services: "The services",
    },
}

_FAMILIES = {
    "fr": {
        ContractType.works: "{n} corps de métier étroitement imbriqués",
        ContractType.supplies: "{n} catégories de produits étroitement liées",
        ContractType.services: "{n} catégories de prestations étroitement liées",
    },
    "nl": {
        ContractType.works: "{n} nauw met elkaar verweven vakgebieden",
        ContractType.supplies: "{n} nauw samenhangende productcategorieën",
        ContractType.services: "{n} nauw samenhangende categorieën van prestaties",
    },
    "en": {
        ContractType.works: "{n} closely interrelated trades",
        ContractType.supplies: "{n} closely related product categories",
        ContractType.services: "{n} closely related service categories",
    },
}

_TEXTS = {
    "fr": {
        "title": "Motivation de la décision de ne pas diviser le marché en lots",
        "intro": (
            "Conformément à l'article 58 de la loi du 17 juin 2016 relative aux marchés "
            "publics, le pouvoir adjudicateur a examiné la possibilité de diviser le présent "
            "marché en lots. Il a décidé de ne pas procéder à cette division, pour les raisons "
            f"principales suivantes{_NBSP}:"
        ),
        NonDivisionReason.coordination: (
            "{subject} relèvent de {families}. Leur attribution à des adjudicataires distincts "
            "imposerait une coordination de l'exécution dont la complexité risquerait de "
            "compromettre la bonne exécution du marché, notamment quant au respect des délais "
            "et à la répartition des responsabilités entre les intervenants{end}"
        ),
        NonDivisionReason.functional_whole: (
            "{subject} forment un ensemble technique et fonctionnel homogène. Leur division en "
            "lots rendrait l'exécution du marché techniquement plus difficile ou plus coûteuse, "
            "sans élargir utilement la concurrence{end}"
        ),
        NonDivisionReason.disproportionate_cost: (
            "compte tenu du montant estimé du marché ({aggregate} hors TVA), la gestion de "
            "plusieurs lots entraînerait, pour le pouvoir adjudicateur comme pour les "
            "soumissionnaires, une charge administrative disproportionnée par rapport à "
            "l'objet du marché{end}"
        ),
        NonDivisionReason.accessible_to_smes: (
            "le marché non divisé demeure accessible aux petites et moyennes entreprises"
            f"{_NBSP}: sa valeur annuelle estimée ({{yearly}} hors TVA) n'excède pas ce qu'une "
            "PME peut raisonnablement exécuter, et les critères de sélection qualitative seront "
            "fixés de manière proportionnée à l'objet du marché{end}"
        ),
        "closing": "Ces raisons sont mentionnées dans les documents du marché.",
    },
    "nl": {
        "title": "Motivering van de beslissing om de opdracht niet in percelen te verdelen",
        "intro": (
            "Overeenkomstig artikel 58 van de wet van 17 juni 2016 inzake overheidsopdrachten "
            "heeft de aanbestedende overheid onderzocht of deze opdracht in percelen kan worden "
            "verdeeld. Zij heeft beslist de opdracht niet in percelen te verdelen, om de "
            "volgende hoofdredenen:"
        ),
        NonDivisionReason.coordination: (
            "{subject} behoren tot {families}. Indien zij aan afzonderlijke opdrachtnemers "
            "worden gegund, zou de coördinatie van de uitvoering zo complex worden dat de goede "
            "uitvoering van de opdracht in het gedrang zou kunnen komen, met name wat de "
            "naleving van de termijnen en de verdeling van de verantwoordelijkheden tussen de "
            "betrokken partijen betreft{end}"
        ),
        NonDivisionReason.functional_whole: (
            "{subject} vormen een technisch en functioneel samenhangend geheel. Een verdeling "
            "in percelen zou de uitvoering van de opdracht technisch moeilijker of duurder "
            "maken, zonder de mededinging daadwerkelijk te verruimen{end}"
        ),
        NonDivisionReason.disproportionate_cost: (
            "gelet op de geraamde waarde van de opdracht ({aggregate} exclusief btw) zou het "
            "beheer van meerdere percelen, zowel voor de aanbestedende overheid als voor de "
            "inschrijvers, een administratieve last meebrengen die niet in verhouding staat "
            "tot het voorwerp van de opdracht{end}"
        ),
        NonDivisionReason.accessible_to_smes: (
            "de niet in percelen verdeelde opdracht blijft toegankelijk voor kleine en "
            "middelgrote ondernemingen: de geraamde jaarlijkse waarde ({yearly} exclusief btw) "
            "overschrijdt niet wat een kmo redelijkerwijs kan uitvoeren, en de kwalitatieve "
            "selectiecriteria zullen in verhouding staan tot het voorwerp van de opdracht{end}"
        ),
        "closing": "Deze redenen worden vermeld in de opdrachtdocumenten.",
    },
    "en": {
        "title": "Reasons for not dividing the contract into lots",
        "intro": (
            "In accordance with Article 58 of the Law of 17 June 2016 on public procurement, "
            "the contracting authority has considered dividing this contract into lots. It has "
            "decided not to do so, for the following main reasons:"
        ),
        NonDivisionReason.coordination: (
            "{subject} fall under {families}. Awarding them to separate contractors would make "
            "the coordination of their performance so complex that it could jeopardise the "
            "proper performance of the contract, in particular compliance with deadlines and "
            "the allocation of responsibilities between the parties involved{end}"
        ),
        NonDivisionReason.functional_whole: (
            "{subject} form a single technical and functional whole. Dividing them into lots "
            "would make the performance of the contract technically more difficult or more "
            "expensive, without meaningfully widening competition{end}"
        ),
        NonDivisionReason.disproportionate_cost: (
            "given the estimated value of the contract ({aggregate} excluding VAT), managing "
            "several lots would impose on the contracting authority and on tenderers an "
            "administrative burden out of proportion to the subject matter of the contract{end}"
        ),
        NonDivisionReason.accessible_to_smes: (
            "the undivided contract remains accessible to small and medium-sized enterprises: "
            "its estimated yearly value ({yearly} excluding VAT) does not exceed what an SME "
            "can reasonably perform, and the qualitative selection criteria will be set in "
            "proportion to the subject matter of the contract{end}"
        ),
        "closing": "These reasons are stated in the procurement documents.",
    },
}

#: The title the draft justification starts with, per language. A document has its own heading
#: for the justification, so the lots section leaves this line out.
JUSTIFICATION_TITLES: Mapping[str, str] = {lang: str(t["title"]) for lang, t in _TEXTS.items()}


def draft_justification(
    reasons: Sequence[NonDivisionReason],
    *,
    contract_type: ContractType,
    families: int,
    aggregate: Decimal,
    yearly_value: Decimal,
) -> Justification:
    """Draft the art. 58 reasons for not dividing, in French, Dutch and English."""
    if not reasons:
        raise ValueError("a justification needs at least one reason")
    drafts: dict[str, str] = {}
    for lang, texts in _TEXTS.items():
        lines = [texts["title"], "", texts["intro"]]
        for position, reason in enumerate(reasons, start=1):
            # Each reason holds several full sentences, so each ends with a full stop rather
            # than the ";" of enumerations made of phrases.
            body = texts[reason].format(
                subject=_SUBJECT[lang][contract_type],
                families=_FAMILIES[lang][contract_type].format(n=families),
                aggregate=format_eur(aggregate, lang),
                yearly=format_eur(yearly_value, lang),
                end=".",
            )
            lines.append(
                f"{position}° {body[0].upper()}{body[1:]}"
                if lang != "en"
                else f"({position}) {body[0].upper()}{body[1:]}"
            )
        lines += ["", texts["closing"]]
        drafts[lang] = "\n".join(lines)
    return Justification(reasons=tuple(reasons), fr=drafts["fr"], nl=drafts["nl"], en=drafts["en"])
