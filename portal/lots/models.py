"""The lot-split advisor's tables: a dossier's items, lot options and chosen lot plan, and the
dated procurement thresholds.

- :class:`LotItem`: what the dossier buys, one row per item (the advisor never breaks one).
  ``lot_id`` places the item in a lot of the saved plan; empty when no divided plan is saved,
  or when the item was added after the plan (the plan is then *outdated*).
- :class:`LotOptions`: the buyer's choices (lots per tenderer, combined bids, coordination lot,
  target lot size, divide or not). The authority kind and the contract type are not stored:
  they come from the dossier's authority and the dossier itself.
- :class:`LotPlan` and :class:`PlanLot`: the structure the buyer saved, with the lots' titles
  and descriptions per document language, or, when the contract is not divided, the edited
  "divide or explain" justification (law of 17 June 2016, art. 58) per document language.
- :class:`ProcurementThreshold`: the EU and Belgian thresholds with their validity dates, legal
  act and source. Loaded from ``portal/data/*thresholds*.csv`` by ``flask --app portal lots
  thresholds-sync`` and edited by the coordinator; the advisor receives them as
  :class:`portal.lots.rules.Threshold` objects, so the pure core does not know the database.

Changes are recorded in the audit trail with ``entity_type="dossier"`` (items, options, plan)
or ``entity_type="threshold"``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from portal.db import UTCDateTime, enum_type, utcnow
from portal.lots.advisor import Strategy
from portal.lots.rules import ThresholdKind


class LotItem(SQLModel, table=True):
    """One item of a dossier: description, CPV, value for the whole duration, place, period."""

    __tablename__ = "lot_items"
    __table_args__ = (sa.Index("ix_lot_items_dossier_position", "dossier_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossiers.id", ondelete="CASCADE")
    #: Order of the items as the buyer entered or imported them.
    position: int = 0
    description: str = Field(max_length=500)
    cpv: str = Field(foreign_key="cpv_codes.code", max_length=10)
    #: Estimated value excluding VAT for the whole duration of the contract.
    value: Decimal = Field(sa_type=sa.Numeric(14, 2))
    quantity: Decimal = Field(default=Decimal(1), sa_type=sa.Numeric(14, 3))
    unit: str = Field(max_length=40)
    #: One of the 19 Brussels municipalities (its code), or empty.
    municipality: str | None = Field(default=None, max_length=40)
    #: A named site (a building, a park...), or empty.
    site: str | None = Field(default=None, max_length=200)
    #: The item's own period, when it differs from the contract's duration (both or neither).
    period_start: date | None = None
    period_end: date | None = None
    #: The lot of the saved plan that holds the item.
    lot_id: int | None = Field(
        default=None, foreign_key="lot_plan_lots.id", ondelete="SET NULL", index=True
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LotOptions(SQLModel, table=True):
    """The buyer's lot options for one dossier."""

    __tablename__ = "lot_options"

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossiers.id", ondelete="CASCADE", unique=True)
    #: False when the buyer chooses not to divide (then the plan carries a justification).
    divide: bool = True
    #: Largest number of lots one tenderer may bid for (empty: no limit).
    max_lots_bid: int | None = None
    #: Largest number of lots one tenderer may be awarded (art. 46(2); empty: no limit).
    max_lots_awarded: int | None = None
    #: Several lots may be awarded together as a combined contract (art. 46(3)).
    combined_bids: bool = False
    #: A coordination lot that smaller lot holders work around.
    coordination_lot: bool = False
    #: Estimated value of the coordination lot (counted in the aggregate), or empty.
    coordination_value: Decimal | None = Field(default=None, sa_type=sa.Numeric(14, 2))
    #: Yearly value a lot should not exceed so that SMEs can carry it; empty: the default.
    target_lot_size: Decimal | None = Field(default=None, sa_type=sa.Numeric(14, 2))
    #: Duration of the contract in months, for items without their own period.
    duration_months: int | None = None
    #: The services are social and other specific services (Annex XIV, light regime).
    annex_xiv_services: bool = False
    #: Minimum yearly turnover the buyer intends to require of each lot's tenderers.
    turnover_requirement: Decimal | None = Field(default=None, sa_type=sa.Numeric(14, 2))
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LotPlan(SQLModel, table=True):
    """The lot structure a buyer chose and saved for a dossier."""

    __tablename__ = "lot_plans"

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossiers.id", ondelete="CASCADE", unique=True)
    #: The advisor's strategy the plan came from (``manual`` once edited by hand).
    strategy: Strategy = Field(sa_type=enum_type(Strategy))
    is_divided: bool = True
    #: Not divided: the edited justification per document language (``{"fr": ..., "nl": ...}``).
    justification: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    saved_by_id: int | None = Field(default=None, foreign_key="users.id")
    saved_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PlanLot(SQLModel, table=True):
    """One lot of a saved plan; its items point to it (:attr:`LotItem.lot_id`)."""

    __tablename__ = "lot_plan_lots"
    __table_args__ = (sa.UniqueConstraint("plan_id", "number", name="uq_lot_plan_lots_number"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="lot_plans.id", ondelete="CASCADE", index=True)
    number: int
    #: Title per document language (``{"fr": ..., "nl": ...}``); empty: "Lot n".
    title: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    #: Description per document language; empty: the list of its items.
    description: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)


class ProcurementThreshold(SQLModel, table=True):
    """A dated procurement threshold (EU or Belgian), as the advisor and the help page use it."""

    __tablename__ = "procurement_thresholds"
    __table_args__ = (sa.Index("ix_procurement_thresholds_kind", "regime", "kind", "valid_from"),)

    id: int | None = Field(default=None, primary_key=True)
    #: "2014/24/EU", "2014/25/EU", "2014/23/EU" or "BE".
    regime: str = Field(max_length=20)
    kind: ThresholdKind = Field(sa_type=enum_type(ThresholdKind, 40))
    #: ContractType values it applies to.
    contract_types: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    #: AuthorityKind values it applies to (empty: utilities, which the advisor does not cover).
    authority_kinds: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    #: EUR excluding VAT; "below" means strictly less than this amount.
    amount: Decimal = Field(sa_type=sa.Numeric(14, 2))
    valid_from: date
    #: Inclusive; empty when open-ended.
    valid_to: date | None = None
    legal_act: str = Field(max_length=500)
    #: How reliable the figure is: "official ...", "secondary source ...", "presumed ...".
    source_status: str = Field(max_length=500)
    #: Where the row came from: "thresholds_be.csv:3", or "portal" for rows added by hand.
    source: str = Field(default="portal", max_length=200)
    #: Identity of a row loaded from a file, so that the loader finds it again; empty for rows
    #: added in the portal.
    source_key: str | None = Field(default=None, max_length=200, unique=True)
    #: Changed by the coordinator: the file loader leaves it alone from then on.
    edited_in_portal: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")
