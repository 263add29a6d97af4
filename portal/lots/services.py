"""Lot-split services: a dossier's items, lot options and lot plan, the thresholds, and the
lots section of the tender documents.

Plain functions over a session, as everywhere in Clausier: they check permissions (through
:func:`portal.tenders.services.get_dossier` for everything about a dossier: another
authority's dossier is a NotFound), write an audit row for every change (``entity_type=
"dossier"``, or ``"threshold"``), flush but never commit. The advice itself is the pure core
(:mod:`portal.lots.advisor`); these services feed it database rows turned into plain data, and
map its input errors to :class:`~portal.errors.ValidationError`.

The tender builder calls :func:`lots_section` to fill the lots section of a Word document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_ngettext
from sqlmodel import Session, select

from portal.accounts.permissions import Permission, require
from portal.audit.services import record
from portal.db import utcnow
from portal.documents import labels
from portal.documents.context import Coordination, Cpv, Lots
from portal.documents.context import Lot as ContextLot
from portal.errors import NotFound, ValidationError
from portal.i18n import _l, format_money
from portal.lots import document, messages
from portal.lots.advisor import (
    Advice,
    AdvisorInputError,
    FieldError,
    Item,
    Options,
    Proposal,
    Strategy,
    advise,
    assess,
)
from portal.lots.importing import ImportFileError, ImportResult, read_items
from portal.lots.models import LotItem, LotOptions, LotPlan, PlanLot, ProcurementThreshold
from portal.lots.parsing import (
    MAX_AMOUNT,
    MAX_COUNT,
    MAX_DESCRIPTION,
    MAX_ITEMS,
    MAX_QUANTITY,
    MAX_SITE,
    MAX_UNIT,
    InvalidValue,
    check_amount,
    item_place,
    parse_amount,
    parse_date,
    parse_municipality,
)
from portal.lots.rules import (
    JUSTIFICATION_TITLES,
    AwardRule,
    ContractType,
    LotFigures,
    NoThresholdInForce,
    Threshold,
    ThresholdDataError,
    ThresholdKind,
    award_rule,
    default_threshold_paths,
    load_thresholds,
    turnover_suggestions,
)
from portal.reference.models import AuthorityKind, ContractingAuthority
from portal.reference.services import cpv_index, cpv_label, municipality_by_name, normalise_cpv
from portal.tenders.models import Dossier
from portal.tenders.services import brussels_today, get_dossier

#: Longest title and description of a lot, and justification of an undivided contract.
MAX_LOT_TITLE = 200
MAX_LOT_DESCRIPTION = 2000
MAX_JUSTIFICATION = 10000
#: Shortest justification worth the name (law of 17 June 2016 art. 58: the main reasons).
MIN_JUSTIFICATION = 40


def _touch(dossier: Dossier, actor: Any) -> None:
    # Any change to the lots changes the documents: bump the dossier (its lock_version moves,
    # so the tender builder shows earlier documents as outdated, and the date printed follows).
    from portal.tenders.services import touch_dossier

    touch_dossier(dossier, actor)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# ------------------------------------------------------------------------------------------------
# Thresholds


def _source_key(threshold: Threshold) -> str:
    """Identity of a threshold read from a file: what it is and from when (not its amount)."""
    parts = [
        threshold.regime,
        threshold.kind.value,
        "+".join(sorted(t.value for t in threshold.contract_types)),
        "+".join(sorted(k.value for k in threshold.authority_kinds)) or "-",
        threshold.valid_from.isoformat(),
    ]
    return "|".join(parts)


def _threshold_values(threshold: Threshold) -> dict[str, Any]:
    return {
        "regime": threshold.regime,
        "kind": threshold.kind,
        "contract_types": sorted(t.value for t in threshold.contract_types),
        "authority_kinds": sorted(k.value for k in threshold.authority_kinds),
        "amount": threshold.amount,
        "valid_from": threshold.valid_from,
        "valid_to": threshold.valid_to,
        "legal_act": threshold.legal_act[:500],
        "source_status": threshold.source_status[:500],
        "source": threshold.source[:200],
    }


def sync_thresholds(
    session: Session, *, actor: Any = None, paths: Iterable[Any] | None = None
) -> dict[str, int]:
    """Load the thresholds of the project's CSV files into the table; return what changed.

    Idempotent: rows are found again by what they are and from when they apply
    (:func:`_source_key`); rows the coordinator edited in the portal are left alone.

    :raises portal.lots.rules.ThresholdDataError: a file is malformed.
    """
    loaded = load_thresholds(paths or default_threshold_paths())
    existing = {
        row.source_key: row
        for row in session.exec(
            select(ProcurementThreshold).where(ProcurementThreshold.source_key.is_not(None))
        )
    }
    counts = {"created": 0, "updated": 0, "kept": 0}
    for threshold in loaded:
        key = _source_key(threshold)
        values = _threshold_values(threshold)
        row = existing.get(key)
        if row is None:
            session.add(ProcurementThreshold(source_key=key, **values))
            counts["created"] += 1
        elif row.edited_in_portal:
            counts["kept"] += 1
        elif any(_same(getattr(row, k), v) is False for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.updated_at = utcnow()
            counts["updated"] += 1
    session.flush()
    if counts["created"] or counts["updated"]:
        record(
            session,
            actor=actor,
            action="threshold.synced",
            entity_type="threshold",
            entity_id="files",
            data=counts,
        )
    return counts


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return old is not None and new is not None and Decimal(old) == Decimal(new)
    return old == new


def threshold_object(row: ProcurementThreshold) -> Threshold:
    """Turn a threshold row into the pure core's :class:`Threshold`."""
    return Threshold(
        regime=row.regime,
        kind=ThresholdKind(row.kind),
        contract_types=frozenset(ContractType(t) for t in row.contract_types),
        authority_kinds=frozenset(AuthorityKind(k) for k in row.authority_kinds),
        amount=Decimal(row.amount),
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        legal_act=row.legal_act,
        source_status=row.source_status,
        source=row.source if row.source != "portal" else f"portal:{row.id}",
    )


def list_thresholds(session: Session) -> list[ProcurementThreshold]:
    """Every threshold row, by regime, kind, scope and date."""
    rows = session.exec(
        select(ProcurementThreshold).order_by(
            ProcurementThreshold.regime,
            ProcurementThreshold.kind,
            ProcurementThreshold.valid_from,
            ProcurementThreshold.id,
        )
    )
    return list(rows)


def current_thresholds(session: Session) -> list[Threshold]:
    """The thresholds the advisor uses: the table, or the project's files while it is empty."""
    rows = list_thresholds(session)
    if not rows:
        return load_thresholds(default_threshold_paths())
    return [threshold_object(row) for row in rows]


def thresholds_are_seeded(session: Session) -> bool:
    return session.exec(select(sa.func.count()).select_from(ProcurementThreshold)).one() > 0


THRESHOLD_FIELDS = (
    "regime",
    "kind",
    "contract_types",
    "authority_kinds",
    "amount",
    "valid_from",
    "valid_to",
    "legal_act",
    "source_status",
)
REGIMES = ("2014/24/EU", "2014/25/EU", "2014/23/EU", "BE")


def _clean_threshold(data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[Any]] = {}

    def fail(name: str, message: Any) -> None:
        errors.setdefault(name, []).append(message)

    clean: dict[str, Any] = {}
    regime = str(data.get("regime") or "").strip()
    if regime not in REGIMES:
        fail("regime", _l("Choose one of: %(choices)s.", choices=", ".join(REGIMES)))
    clean["regime"] = regime
    kind = str(data.get("kind") or "")
    if kind not in {k.value for k in ThresholdKind}:
        fail("kind", _l("Choose what the threshold decides."))
    else:
        clean["kind"] = ThresholdKind(kind)
    types = sorted({str(t) for t in data.get("contract_types") or ()})
    if not types or any(t not in {c.value for c in ContractType} for t in types):
        fail("contract_types", _l("Choose at least one contract type."))
    clean["contract_types"] = types
    kinds = sorted({str(k) for k in data.get("authority_kinds") or ()})
    if any(k not in {a.value for a in AuthorityKind} for k in kinds):
        fail("authority_kinds", _l("Not one of the allowed values."))
    elif not kinds and regime != "2014/25/EU":
        fail("authority_kinds", _l("Choose at least one kind of authority."))
    clean["authority_kinds"] = kinds
    try:
        amount = parse_amount(data.get("amount") or "")
        if amount <= 0:
            fail("amount", _l("Enter a number greater than zero."))
        clean["amount"] = check_amount(amount).quantize(Decimal("0.01"))
    except InvalidValue:
        fail("amount", _l("Enter an amount as a number, for example 140000."))
    for name, required in (("valid_from", True), ("valid_to", False)):
        raw = data.get(name)
        if raw in (None, ""):
            clean[name] = None
            if required:
                fail(name, _l("This field is required."))
            continue
        try:
            clean[name] = parse_date(raw)
        except InvalidValue:
            fail(name, _l("Enter a real date, for example 31/12/2027 or 2027-12-31."))
    start, end = clean.get("valid_from"), clean.get("valid_to")
    if start and end and end < start:
        fail("valid_to", _l("The end of validity is before its start."))
    for name in ("legal_act", "source_status"):
        text = str(data.get(name) or "").strip()
        if not text:
            fail(name, _l("This field is required."))
        elif len(text) > 500:
            fail(name, _l("Too long: at most %(max)s characters.", max=500))
        clean[name] = text
    if errors:
        raise ValidationError(errors)
    return clean


def _overlaps(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    return (b_to is None or a_from <= b_to) and (a_to is None or b_from <= a_to)


def _check_overlap(session: Session, clean: Mapping[str, Any], own_id: int | None) -> None:
    for other in list_thresholds(session):
        if other.id == own_id or other.regime != clean["regime"] or other.kind != clean["kind"]:
            continue
        if not set(other.contract_types) & set(clean["contract_types"]):
            continue
        if clean["authority_kinds"] and not set(other.authority_kinds) & set(
            clean["authority_kinds"]
        ):
            continue
        if not clean["authority_kinds"] and other.authority_kinds:
            continue
        if _overlaps(clean["valid_from"], clean["valid_to"], other.valid_from, other.valid_to):
            raise ValidationError(
                {
                    "valid_from": [
                        _l(
                            "Its validity overlaps the threshold of %(amount)s valid from "
                            "%(start)s for the same regime, kind, contract type and kind of "
                            "authority. End that one first, or change the dates.",
                            amount=str(other.amount),
                            start=other.valid_from.isoformat(),
                        )
                    ]
                }
            )


def _audit_threshold(row: ProcurementThreshold) -> dict[str, Any]:
    return {
        "regime": row.regime,
        "kind": str(row.kind),
        "contract_types": list(row.contract_types),
        "authority_kinds": list(row.authority_kinds),
        "amount": str(row.amount),
        "valid_from": row.valid_from.isoformat(),
        "valid_to": row.valid_to.isoformat() if row.valid_to else None,
        "legal_act": row.legal_act,
        "source_status": row.source_status,
    }


def get_threshold(session: Session, threshold_id: int) -> ProcurementThreshold:
    """Return one threshold row.

    :raises NotFound: no such threshold.
    """
    row = session.get(ProcurementThreshold, threshold_id)
    if row is None:
        raise NotFound(_l("There is no such threshold."))
    return row


def create_threshold(
    session: Session, *, actor: Any, data: Mapping[str, Any]
) -> ProcurementThreshold:
    """Add a threshold (the coordinator); seeds the table from the files first if it is empty.

    :raises PermissionDenied: the actor may not manage reference data.
    :raises ValidationError: messages per field, including an overlapping validity.
    """
    require(actor, Permission.manage_reference_data)
    if not thresholds_are_seeded(session):
        sync_thresholds(session, actor=actor)
    clean = _clean_threshold(data)
    _check_overlap(session, clean, None)
    row = ProcurementThreshold(
        **clean,
        source="portal",
        edited_in_portal=True,
        updated_by_id=getattr(actor, "id", None),
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor=actor,
        action="threshold.created",
        entity_type="threshold",
        entity_id=row.id,
        data={"new": _audit_threshold(row)},
    )
    return row


def update_threshold(
    session: Session, *, actor: Any, threshold_id: int, data: Mapping[str, Any]
) -> ProcurementThreshold:
    """Change a threshold (the coordinator); the file loader leaves it alone from then on.

    :raises PermissionDenied: the actor may not manage reference data.
    :raises NotFound: no such threshold.
    :raises ValidationError: messages per field, including an overlapping validity.
    """
    require(actor, Permission.manage_reference_data)
    row = get_threshold(session, threshold_id)
    clean = _clean_threshold(data)
    _check_overlap(session, clean, row.id)
    before = _audit_threshold(row)
    for name, value in clean.items():
        setattr(row, name, value)
    row.edited_in_portal = True
    row.updated_at = utcnow()
    row.updated_by_id = getattr(actor, "id", None)
    session.flush()
    after = _audit_threshold(row)
    record(
        session,
        actor=actor,
        action="threshold.updated",
        entity_type="threshold",
        entity_id=row.id,
        data={"changes": {k: [before[k], after[k]] for k in after if before[k] != after[k]}},
    )
    return row


# ------------------------------------------------------------------------------------------------
# Items


def list_items(session: Session, dossier: Dossier) -> list[LotItem]:
    """The dossier's items in the buyer's order."""
    return list(
        session.exec(
            select(LotItem)
            .where(LotItem.dossier_id == dossier.id)
            .order_by(LotItem.position, LotItem.id)
        )
    )


def count_items(session: Session, dossier: Dossier) -> int:
    return session.exec(
        select(sa.func.count()).select_from(LotItem).where(LotItem.dossier_id == dossier.id)
    ).one()


ITEM_FIELDS = (
    "description",
    "cpv",
    "value",
    "quantity",
    "unit",
    "municipality",
    "site",
    "period_start",
    "period_end",
)


def clean_item(data: Mapping[str, Any], *, lang: str) -> dict[str, Any]:
    """Check an item typed in the form; return the values to store.

    :raises ValidationError: messages per form field.
    """
    errors: list[FieldError] = []

    def fail(name: str, kind: str, **params: Any) -> None:
        errors.append(FieldError(name, kind, params))

    clean: dict[str, Any] = {}
    description = str(data.get("description") or "").strip()
    if not description:
        fail("description", "required")
    elif len(description) > MAX_DESCRIPTION:
        fail("description", "too_long", max=MAX_DESCRIPTION)
    clean["description"] = description
    code = normalise_cpv(str(data.get("cpv") or ""))
    if not code:
        fail("cpv", "required")
    elif code not in cpv_index():
        fail("cpv", "unknown_cpv", code=str(data.get("cpv"))[:40])
    clean["cpv"] = code
    for name, required, limit in (
        ("value", True, MAX_AMOUNT),
        ("quantity", False, MAX_QUANTITY),
    ):
        raw = data.get(name)
        if raw in (None, "") or (isinstance(raw, str) and not raw.strip()):
            if required:
                fail(name, "required")
            clean[name] = None if required else Decimal(1)
            continue
        try:
            number = parse_amount(raw, lang=lang)
            if number <= 0:
                fail(name, "not_positive")
            clean[name] = check_amount(number, limit=limit)
        except InvalidValue as exc:
            fail(name, exc.code, **exc.params)
    unit = str(data.get("unit") or "").strip()
    if not unit:
        fail("unit", "required")
    elif len(unit) > MAX_UNIT:
        fail("unit", "too_long", max=MAX_UNIT)
    clean["unit"] = unit
    municipality = str(data.get("municipality") or "").strip()
    clean["municipality"] = None
    if municipality:
        try:
            clean["municipality"] = parse_municipality(municipality)
        except InvalidValue as exc:
            fail("municipality", exc.code, **exc.params)
    site = str(data.get("site") or "").strip()
    if len(site) > MAX_SITE:
        fail("site", "too_long", max=MAX_SITE)
    clean["site"] = site or None
    for name in ("period_start", "period_end"):
        raw = data.get(name)
        clean[name] = None
        if raw in (None, ""):
            continue
        try:
            clean[name] = parse_date(raw)
        except InvalidValue as exc:
            fail(name, exc.code)
    start, end = clean["period_start"], clean["period_end"]
    if not any(e.field.startswith("period_") for e in errors):
        if start is not None and end is None:
            fail("period_end", "required")
        elif end is not None and start is None:
            fail("period_start", "required")
        elif start is not None and end is not None and end < start:
            fail("period_end", "before_start")
    if errors:
        raise ValidationError(messages.field_errors(errors, dotted=False))
    return clean


def _audit_item(item: LotItem) -> dict[str, Any]:
    return {
        "description": item.description,
        "cpv": item.cpv,
        "value": str(item.value),
        "quantity": str(item.quantity),
        "unit": item.unit,
        "municipality": item.municipality,
        "site": item.site,
        "period_start": item.period_start.isoformat() if item.period_start else None,
        "period_end": item.period_end.isoformat() if item.period_end else None,
    }


def get_item(session: Session, dossier: Dossier, item_id: int) -> LotItem:
    """Return one item of the dossier.

    :raises NotFound: no such item in this dossier.
    """
    item = session.get(LotItem, item_id)
    if item is None or item.dossier_id != dossier.id:
        raise NotFound(_l("This item does not exist in this dossier."))
    return item


def add_item(
    session: Session, *, actor: Any, dossier_id: int, data: Mapping[str, Any], lang: str
) -> LotItem:
    """Add an item at the end of the dossier's list.

    :raises PermissionDenied: the actor may not manage dossiers.
    :raises NotFound: no such dossier for this actor.
    :raises ValidationError: messages per field, or the dossier already holds the most items.
    """
    dossier = get_dossier(session, actor=actor, dossier_id=dossier_id)
    clean = clean_item(data, lang=lang)
    if count_items(session, dossier) >= MAX_ITEMS:
        raise ValidationError.single(
            "", _l("A dossier holds at most %(max)s items.", max=MAX_ITEMS)
        )
    position = session.exec(
        select(sa.func.coalesce(sa.func.max(LotItem.position), 0)).where(
            LotItem.dossier_id == dossier.id
        )
    ).one()
    item = LotItem(dossier_id=dossier.id, position=position + 1, **clean)
    session.add(item)
    session.flush()
    _touch(dossier, actor)
    record(
        session,
        actor=actor,
        action="lots.item.created",
        entity_type="dossier",
        entity_id=dossier.id,
        data={"item": item.id, "new": _audit_item(item)},
    )
    return item


def update_item(
    session: Session,
    *,
    actor: Any,
    dossier_id: int,
    item_id: int,
    data: Mapping[str, Any],
    lang: str,
) -> LotItem:
    """Change an item; it stays in its lot.

    :raises PermissionDenied: the actor may not manage dossiers.
    :raises NotFound: no such dossier for this actor, or no such item in it.
    :raises ValidationError: messages per field.
    """
    dossier = get_dossier(session, actor=actor, dossier_id=dossier_id)
    item = get_item(session, dossier, item_id)
    clean = clean_item(data, lang=lang)
    before = _audit_item(item)
    for name, value in clean.items():
        setattr(item, name, value)
    item.updated_at = utcnow()
    session.flush()
    after = _audit_item(item)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        _touch(dossier, actor)
        record(
            session,
            actor=actor,
            action="lots.item.updated",
            entity_type="dossier",
            entity_id=dossier.id,
            data={"item": item.id, "changes": changes},
        )
    return item


def delete_item(session: Session, *, actor: Any, dossier_id: int, item_id: int) -> None:
    """Remove an item from the dossier (and from its lot).

    :raises PermissionDenied: the actor may not manage dossiers.
    :raises NotFound: no such dossier for this actor, or no such item in it.
    """
    dossier = get_dossier(session, actor=actor, dossier_id=dossier_id)
    item = get_item(session, dossier, item_id)
    old = _audit_item(item)
    session.delete(item)
    session.flush()
    _touch(dossier, actor)
    record(
        session,
        actor=actor,
        action="lots.item.deleted",
        entity_type="dossier",
        entity_id=dossier.id,
        data={"item": item_id, "old": old},
    )


class ImportRejected(ValidationError):
    """The file has problems; nothing was imported. ``result`` or ``file_error`` say which."""

    def __init__(
        self, result: ImportResult | None = None, file_error: ImportFileError | None = None
    ) -> None:
        self.result = result
        self.file_error = file_error
        super().__init__({"file": [_l("The file was not imported.")]})


IMPORT_MODES = ("append", "replace")


def import_items(
    session: Session,
    *,
    actor: Any,
    dossier_id: int,
    filename: str,
    content: bytes,
    mode: str,
    lang: str,
) -> list[LotItem]:
    """Import items from a CSV or XLSX file: every row, or nothing at all.

    ``mode`` "append" adds the rows after the current items, "replace" removes the current
    items first (a saved lot plan then shows as outdated until it is saved again).

    :raises PermissionDenied: the actor may not manage dossiers.
    :raises NotFound: no such dossier for this actor.
    :raises ImportRejected: the file cannot be read, or a row has a problem (the report lists
        every row with its column and the problem).
    :raises ValidationError: too many items in the dossier after the import.
    """
    dossier = get_dossier(session, actor=actor, dossier_id=dossier_id)
    if mode not in IMPORT_MODES:
        raise ValidationError.single("mode", _l("Not one of the allowed values."))
    current = list_items(session, dossier)
    room = MAX_ITEMS - (0 if mode == "replace" else len(current))
    try:
        result = read_items(filename, content, lang=lang, max_rows=max(room, 0))
    except ImportFileError as exc:
        raise ImportRejected(file_error=exc) from None
    if not result.ok:
        raise ImportRejected(result=result)
    if mode == "replace":
        for item in current:
            session.delete(item)
        session.flush()
        position = 0
    else:
        position = max((item.position for item in current), default=0)
    created = []
    for row in result.items:
        position += 1
        item = LotItem(
            dossier_id=dossier.id,
            position=position,
            description=row.description,
            cpv=row.cpv,
            value=row.value,
            quantity=row.quantity,
            unit=row.unit,
            municipality=row.municipality,
            site=row.site,
            period_start=row.start,
            period_end=row.end,
        )
        session.add(item)
        created.append(item)
    session.flush()
    _touch(dossier, actor)
    record(
        session,
        actor=actor,
        action="lots.items.imported",
        entity_type="dossier",
        entity_id=dossier.id,
        data={
            "filename": filename[:200],
            "sha256": hashlib.sha256(content).hexdigest(),
            "mode": mode,
            "rows": len(created),
            "removed": len(current) if mode == "replace" else 0,
            "total": sum((row.value for row in result.items), Decimal(0)),
        },
    )
    return created


# ------------------------------------------------------------------------------------------------
# Options


OPTION_FIELDS = (
    "divide",
    "max_lots_bid",
    "max_lots_awarded",
    "combined_bids",
    "coordination_lot",
    "coordination_value",
    "target_lot_size",
    "duration_months",
    "annex_xiv_services",
    "turnover_requirement",
)


def get_options(session: Session, dossier: Dossier) -> LotOptions:
    """The dossier's lot options, or the defaults (not stored) when none were saved."""
    found = session.exec(select(LotOptions).where(LotOptions.dossier_id == dossier.id)).first()
    return found if found is not None else LotOptions(dossier_id=dossier.id)


def clean_options(data: Mapping[str, Any], *, lang: str) -> dict[str, Any]:
    """Check the options typed in the form; return the values to store.

    :raises ValidationError: messages per form field.
    """
    errors: list[FieldError] = []
    clean: dict[str, Any] = {}
    for name in ("divide", "combined_bids", "coordination_lot", "annex_xiv_services"):
        clean[name] = bool(data.get(name))
    for name in ("max_lots_bid", "max_lots_awarded", "duration_months"):
        raw = str(data.get(name) or "").strip()
        clean[name] = None
        if not raw:
            continue
        if not raw.isdigit() or int(raw) < 1:
            errors.append(FieldError(name, "not_positive_int"))
        elif int(raw) > MAX_COUNT:
            errors.append(FieldError(name, "too_large", {"max": MAX_COUNT}))
        else:
            clean[name] = int(raw)
    for name in ("coordination_value", "target_lot_size", "turnover_requirement"):
        raw = data.get(name)
        clean[name] = None
        if raw in (None, "") or (isinstance(raw, str) and not raw.strip()):
            continue
        try:
            number = parse_amount(raw, lang=lang)
            if number <= 0:
                errors.append(FieldError(name, "not_positive"))
                continue
            clean[name] = check_amount(number)
        except InvalidValue as exc:
            errors.append(FieldError(name, exc.code, exc.params))
    target = clean.get("target_lot_size")
    if target is not None and target < 1:
        errors.append(FieldError("target_lot_size", "too_small", {"min": 1}))
    bid, awarded = clean.get("max_lots_bid"), clean.get("max_lots_awarded")
    if bid is not None and awarded is not None and bid < awarded:
        errors.append(FieldError("max_lots_bid", "max_below_awarded"))
    if errors:
        raise ValidationError(messages.field_errors(errors, dotted=False))
    return clean


def save_options(
    session: Session, *, actor: Any, dossier_id: int, data: Mapping[str, Any], lang: str
) -> LotOptions:
    """Store the dossier's lot options.

    :raises PermissionDenied: the actor may not manage dossiers.
    :raises NotFound: no such dossier for this actor.
    :raises ValidationError: messages per field.
    """
    dossier = get_dossier(session, actor=actor, dossier_id=dossier_id)
    clean = clean_options(data, lang=lang)
    options = get_options(session, dossier)
    before = {name: getattr(options, name) for name in OPTION_FIELDS}
    if dossier.contract_type is not ContractType.services:
        clean["annex_xiv_services"] = False
    for name, value in clean.items():
        setattr(options, name, value)
    options.updated_at = utcnow()
    options.updated_by_id = getattr(actor, "id", None)
    session.add(options)
    session.flush()
    changes = {
        name: [_audit_value(before[name]), _audit_value(clean[name])]
        for name in OPTION_FIELDS
        if not _same(before[name], clean[name])
    }
    if changes:
        _touch(dossier, actor)
        record(
            session,
            actor=actor,
            action="lots.options.updated",
            entity_type="dossier",
            entity_id=dossier.id,
            data={"changes": changes},
        )
    return options


def _audit_value(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


# ------------------------------------------------------------------------------------------------
# From rows to the pure core


def item_key(item: LotItem) -> str:
    """The advisor's id of an item: its database id, as text."""
    return str(item.id)


def municipality_name(code: str | None, lang: str = "fr") -> str | None:
    found = municipality_by_name(code) if code else None
    if found is None:
        return None
    return found.name_nl if lang == "nl" else found.name_fr


def core_item(item: LotItem) -> Item:
    """Turn an item row into the pure core's :class:`Item`."""
    return Item(
        id=item_key(item),
        description=item.description,
        cpv=item.cpv,
        value=Decimal(item.value),
        quantity=Decimal(item.quantity),
        unit=item.unit,
        place=item_place(municipality_name(item.municipality), item.site),
        start=item.period_start,
        end=item.period_end,
    )


def publication_day(dossier: Dossier) -> date:
    """The day that picks the thresholds: the planned publication date, else today."""
    return dossier.publication_date or brussels_today()


def core_options(session: Session, dossier: Dossier, options: LotOptions) -> Options:
    """Turn the dossier and its lot options into the pure core's :class:`Options`."""
    authority = session.get(ContractingAuthority, dossier.authority_id)
    services = dossier.contract_type is ContractType.services
    return Options(
        authority_kind=AuthorityKind(authority.kind),
        contract_type=ContractType(dossier.contract_type),
        publication_date=publication_day(dossier),
        max_lots_per_tenderer=options.max_lots_awarded,
        combined_bids_allowed=options.combined_bids,
        coordination_lot=options.coordination_lot,
        coordination_value=_decimal(options.coordination_value),
        target_lot_size=_decimal(options.target_lot_size),
        divide=options.divide,
        annex_xiv_services=options.annex_xiv_services and services,
        duration_months=options.duration_months,
        turnover_requirement=_decimal(options.turnover_requirement),
    )


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def _run(call: Any) -> Any:
    """Run the pure core; turn its errors into messages for the buyer.

    :raises ValidationError: no items, invalid data, or no threshold for the publication date.
    """
    try:
        return call()
    except AdvisorInputError as exc:
        if any(e.field == "items" and e.code == "empty" for e in exc.errors):
            raise ValidationError.single(
                "items", _l("Add at least one item before asking for lot proposals.")
            ) from None
        raise ValidationError(messages.field_errors(exc.errors, dotted=False)) from None
    except NoThresholdInForce as exc:
        raise ValidationError.single(
            "publication_date",
            _l(
                "No threshold of the portal is in force on %(date)s, the planned publication "
                "date. The regional coordinator must add the thresholds valid on that date; "
                "until then, change the planned publication date of the dossier.",
                date=exc.on_date.strftime("%d/%m/%Y"),
            ),
        ) from None
    except ThresholdDataError:
        raise ValidationError.single(
            "publication_date",
            _l(
                "Two thresholds of the same kind are in force on the planned publication date. "
                "The regional coordinator must correct the thresholds."
            ),
        ) from None


@dataclass(frozen=True)
class Workspace:
    """What the lots pages need: the dossier, its items, options, and the core's inputs."""

    dossier: Dossier
    items: list[LotItem]
    options: LotOptions
    core_items: list[Item]
    core_options: Options
    thresholds: list[Threshold]

    @property
    def by_key(self) -> dict[str, LotItem]:
        return {item_key(item): item for item in self.items}


def workspace(session: Session, *, actor: Any, dossier_id: int) -> Workspace:
    """Load a dossier with everything the advisor needs.

    :raises PermissionDenied: the actor may not manage dossiers.
    :raises NotFound: no such dossier for this actor.
    """
    dossier = get_dossier(session, actor=actor, dossier_id=dossier_id)
    return _workspace(session, dossier)


def _workspace(session: Session, dossier: Dossier) -> Workspace:
    items = list_items(session, dossier)
    options = get_options(session, dossier)
    return Workspace(
        dossier=dossier,
        items=items,
        options=options,
        core_items=[core_item(item) for item in items],
        core_options=core_options(session, dossier, options),
        thresholds=current_thresholds(session),
    )


def advice_for(space: Workspace) -> Advice:
    """Run the advisor on the dossier's items and options.

    :raises ValidationError: no items, or no threshold for the publication date.
    """
    return _run(lambda: advise(space.core_items, space.core_options, space.thresholds))


def assess_for(space: Workspace, lots: Sequence[Sequence[str]]) -> Proposal:
    """Evaluate lots arranged by hand (item keys per lot, in the buyer's order).

    :raises ValidationError: an item is missing, twice or unknown; no threshold in force.
    """
    return _run(
        lambda: assess(
            space.core_items, space.core_options, space.thresholds, lots, keep_order=True
        )
    )


# ------------------------------------------------------------------------------------------------
# The editor's state: lots as the buyer arranges them


@dataclass
class DraftLot:
    """One lot in the editor: its number, items (keys) and title/description per language."""

    number: int
    items: list[str]
    title: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)


@dataclass
class Draft:
    """The lots being edited, before they are saved."""

    strategy: Strategy
    lots: list[DraftLot]
    justification: dict[str, str] = field(default_factory=dict)
    #: From the editor form: each lot number of the form to its number in this draft (a merged
    #: lot maps to the lot that took its items).
    renumbered: dict[int, int] = field(default_factory=dict)

    def groups(self) -> list[list[str]]:
        return [list(lot.items) for lot in self.lots]


def default_title(lot_items: Sequence[LotItem], cpv: str, strategy: Strategy, lang: str) -> str:
    """Suggest a lot title: its places for a lot by place, else its CPV label."""
    if strategy is Strategy.geography:
        places: list[str] = []
        for item in lot_items:
            name = item.site or municipality_name(item.municipality, lang)
            if name and name not in places:
                places.append(name)
        if places:
            text = ", ".join(places[:3]) + (" …" if len(places) > 3 else "")
            return text[:MAX_LOT_TITLE]
    return cpv_label(cpv, lang)[:MAX_LOT_TITLE]


def draft_from_proposal(space: Workspace, proposal: Proposal, langs: Sequence[str]) -> Draft:
    """Start the editor from a proposal, with suggested titles in each document language."""
    by_key = space.by_key
    lots = [
        DraftLot(
            number=lot.number,
            items=list(lot.item_ids),
            title={
                lang: default_title(
                    [by_key[i] for i in lot.item_ids], lot.cpv, proposal.strategy, lang
                )
                for lang in langs
            },
        )
        for lot in proposal.lots
    ]
    justification = {}
    if proposal.justification is not None:
        justification = {lang: proposal.justification.text(lang) for lang in langs}
    return Draft(proposal.strategy, lots, justification)


def draft_from_plan(space: Workspace, plan: LotPlan, plan_lots: Sequence[PlanLot]) -> Draft:
    """Start the editor from the saved plan; items added since go to a new last lot."""
    members: dict[int, list[str]] = {lot.id: [] for lot in plan_lots}
    loose: list[str] = []
    for item in space.items:
        if item.lot_id in members:
            members[item.lot_id].append(item_key(item))
        else:
            loose.append(item_key(item))
    if not plan.is_divided:
        single = DraftLot(1, [item_key(i) for i in space.items])
        return Draft(plan.strategy, [single], dict(plan.justification or {}))
    lots = [
        DraftLot(lot.number, members[lot.id], dict(lot.title or {}), dict(lot.description or {}))
        for lot in plan_lots
        if members[lot.id]
    ]
    if loose:
        lots.append(DraftLot(max((lot.number for lot in lots), default=0) + 1, loose))
    for number, lot in enumerate(lots, start=1):
        lot.number = number
    return Draft(plan.strategy, lots, dict(plan.justification or {}))


NEW_LOT = "new"


def draft_from_form(
    form: Mapping[str, Any], space: Workspace, langs: Sequence[str]
) -> tuple[Draft, list[str]]:
    """Read the editor form: each item's lot, merges, titles, descriptions, justification.

    Fields: ``item-<key>`` (a lot number, or "new" for a new lot), ``merge-<n>`` (the number of
    the lot that takes all of lot n's items), ``title-<n>-<lang>``, ``description-<n>-<lang>``,
    ``justification-<lang>`` and ``strategy``. Lots left empty disappear and the others are
    numbered 1, 2, 3... in their order; a new lot comes last. Returns the draft and the keys of
    items the form did not place (they stay in the lot they were in, or go to lot 1).
    """
    keys = [item_key(item) for item in space.items]
    placed: dict[str, int] = {}
    unplaced: list[str] = []
    numbers: set[int] = set()
    for key in keys:
        raw = str(form.get(f"item-{key}", "")).strip()
        if raw == NEW_LOT:
            placed[key] = -1
        elif raw.isdigit() and int(raw) >= 1:
            placed[key] = int(raw)
            numbers.add(int(raw))
        else:
            unplaced.append(key)
    for key in unplaced:
        placed[key] = min(numbers) if numbers else 1
        numbers.add(placed[key])
    # Merges: "merge-3" = 1 moves every item of lot 3 into lot 1.
    targets: dict[int, int] = {}
    for number in sorted(numbers):
        raw = str(form.get(f"merge-{number}", "")).strip()
        if raw.isdigit() and int(raw) in numbers and int(raw) != number:
            targets[number] = int(raw)

    def final(number: int) -> int:
        seen = set()
        while number in targets and number not in seen:
            seen.add(number)
            number = targets[number]
        return number

    order = sorted({final(n) for n in numbers})
    new_lot = max(order, default=0) + 1
    if any(v == -1 for v in placed.values()):
        order.append(new_lot)
    members: dict[int, list[str]] = {n: [] for n in order}
    for key in keys:
        number = placed[key]
        members[new_lot if number == -1 else final(number)].append(key)
    lots = []
    renumbered: dict[int, int] = {}
    for new_number, old in enumerate([n for n in order if members[n]], start=1):
        renumbered[old] = new_number
        lots.append(
            DraftLot(
                number=new_number,
                items=members[old],
                title={
                    lang: str(form.get(f"title-{old}-{lang}", "")).strip()[:MAX_LOT_TITLE]
                    for lang in langs
                },
                description={
                    lang: str(form.get(f"description-{old}-{lang}", "")).strip()[
                        :MAX_LOT_DESCRIPTION
                    ]
                    for lang in langs
                },
            )
        )
    try:
        strategy = Strategy(str(form.get("strategy", "")))
    except ValueError:
        strategy = Strategy.manual
    justification = {
        lang: str(form.get(f"justification-{lang}", "")).strip()[:MAX_JUSTIFICATION]
        for lang in langs
        if form.get(f"justification-{lang}") is not None
    }
    for number in numbers:
        if final(number) in renumbered:
            renumbered[number] = renumbered[final(number)]
    return Draft(strategy, lots, justification, renumbered), unplaced


# ------------------------------------------------------------------------------------------------
# The saved plan


def get_plan(session: Session, dossier: Dossier) -> tuple[LotPlan | None, list[PlanLot]]:
    """The dossier's saved plan and its lots by number (None and [] when none is saved)."""
    plan = session.exec(select(LotPlan).where(LotPlan.dossier_id == dossier.id)).first()
    if plan is None:
        return None, []
    lots = list(
        session.exec(select(PlanLot).where(PlanLot.plan_id == plan.id).order_by(PlanLot.number))
    )
    return plan, lots


def save_plan(
    session: Session,
    *,
    actor: Any,
    dossier_id: int,
    draft: Draft,
    strategy_changed: bool = False,
) -> LotPlan:
    """Save the lots of the editor as the dossier's plan (replacing the previous one).

    Two lots or more: the contract is divided and every item must be in exactly one lot. One
    lot: the contract is not divided, and the "divide or explain" justification is required in
    every document language of the dossier.

    :raises PermissionDenied: the actor may not manage dossiers.
    :raises NotFound: no such dossier for this actor.
    :raises ValidationError: an item is missing or twice, a justification is missing, or the
        advisor cannot run (no threshold for the publication date).
    """
    dossier = get_dossier(session, actor=actor, dossier_id=dossier_id)
    space = _workspace(session, dossier)
    proposal = assess_for(space, draft.groups())
    langs = dossier.language.langs
    divided = len(draft.lots) >= 2
    justification: dict[str, str] = {}
    if not divided:
        errors: dict[str, list[Any]] = {}
        for lang in langs:
            text = (draft.justification.get(lang) or "").strip()
            if len(text) < MIN_JUSTIFICATION:
                errors.setdefault(f"justification-{lang}", []).append(
                    _l(
                        "Write the main reasons for not dividing the contract into lots "
                        "(at least %(min)s characters).",
                        min=MIN_JUSTIFICATION,
                    )
                )
            justification[lang] = text
        if errors:
            raise ValidationError(errors)
    strategy = draft.strategy if not strategy_changed else Strategy.manual
    if not divided:
        strategy = Strategy.single_lot
    plan, old_lots = get_plan(session, dossier)
    if plan is None:
        plan = LotPlan(dossier_id=dossier.id, strategy=strategy)
        session.add(plan)
    for item in space.items:
        item.lot_id = None
    session.flush()
    for lot in old_lots:
        session.delete(lot)
    session.flush()
    plan.strategy = strategy
    plan.is_divided = divided
    plan.justification = justification
    plan.saved_at = utcnow()
    plan.saved_by_id = getattr(actor, "id", None)
    session.flush()
    by_key = space.by_key
    summary = []
    if divided:
        for number, (draft_lot, lot) in enumerate(
            zip(draft.lots, proposal.lots, strict=True), start=1
        ):
            lot_items = [by_key[key] for key in draft_lot.items]
            titles = {
                code: (draft_lot.title.get(code) or "").strip()
                or default_title(lot_items, lot.cpv, strategy, code)
                for code in langs
            }
            row = PlanLot(
                plan_id=plan.id,
                number=number,
                title=titles,
                description={k: v for k, v in draft_lot.description.items() if v},
            )
            session.add(row)
            session.flush()
            for key in draft_lot.items:
                by_key[key].lot_id = row.id
            summary.append({"number": number, "items": len(draft_lot.items), "value": lot.value})
    session.flush()
    _touch(dossier, actor)
    record(
        session,
        actor=actor,
        action="lots.plan.saved",
        entity_type="dossier",
        entity_id=dossier.id,
        data={
            "strategy": strategy.value,
            "divided": divided,
            "lots": summary,
            "aggregate": proposal.aggregate,
        },
    )
    return plan


@dataclass(frozen=True)
class PlanState:
    """The saved plan as the lots page shows it, with its problems."""

    plan: LotPlan | None
    lots: list[PlanLot]
    proposal: Proposal | None
    #: The plan's lots as item keys, in lot order (items placed in no lot are not in it).
    groups: list[list[str]]
    #: Keys of items in no lot of a divided plan (added after the plan was saved).
    loose: list[str]
    problems: list[Any]


def plan_state(session: Session, space: Workspace) -> PlanState:
    """Evaluate the saved plan on the current items: its figures, checks and problems."""
    plan, plan_lots = get_plan(session, space.dossier)
    if plan is None:
        return PlanState(None, [], None, [], [], [])
    problems: list[Any] = []
    if not space.items:
        problems.append(_l("The dossier has no items any more: import or add them again."))
        return PlanState(plan, plan_lots, None, [], [], problems)
    if not plan.is_divided:
        groups = [[item_key(item) for item in space.items]]
        loose: list[str] = []
        for lang in space.dossier.language.langs:
            if not (plan.justification or {}).get(lang):
                problems.append(
                    _l(
                        "The justification for not dividing has no %(language)s version yet.",
                        language=_LANGUAGE_NAMES[lang],
                    )
                )
    else:
        members: dict[int, list[str]] = {lot.id: [] for lot in plan_lots}
        loose = []
        for item in space.items:
            if item.lot_id in members:
                members[item.lot_id].append(item_key(item))
            else:
                loose.append(item_key(item))
        groups = [members[lot.id] for lot in plan_lots if members[lot.id]]
        if loose:
            problems.append(
                lazy_ngettext(
                    "%(num)d item was added after the plan was saved and is in no lot. Open "
                    "the lot editor, place it and save the plan again.",
                    "%(num)d items were added after the plan was saved and are in no lot. Open "
                    "the lot editor, place them and save the plan again.",
                    len(loose),
                )
            )
        if len(groups) < len(plan_lots):
            problems.append(
                _l(
                    "A lot of the saved plan has lost all its items. Open the lot editor and "
                    "save the plan again."
                )
            )
        if len(groups) < 2:
            problems.append(_l("The saved plan has fewer than two lots left. Save a new plan."))
            return PlanState(plan, plan_lots, None, groups, loose, problems)
    placed = {key for group in groups for key in group}
    sub = Workspace(
        dossier=space.dossier,
        items=[item for item in space.items if item_key(item) in placed],
        options=space.options,
        core_items=[item for item in space.core_items if item.id in placed],
        core_options=space.core_options,
        thresholds=space.thresholds,
    )
    try:
        proposal = assess_for(sub, groups)
    except ValidationError as exc:
        problems.extend(m for msgs in exc.errors.values() for m in msgs)
        return PlanState(plan, plan_lots, None, groups, loose, problems)
    return PlanState(plan, plan_lots, proposal, groups, loose, problems)


_LANGUAGE_NAMES = {"fr": _l("French"), "nl": _l("Dutch"), "en": _l("English")}


def lot_plan_problems(session: Session, dossier: Dossier) -> list[Any]:
    """What is wrong with the dossier's saved plan (empty when none is saved or all is well).

    For the tender builder's readiness checks before generating documents.
    """
    state = plan_state(session, _workspace(session, dossier))
    return state.problems


#: Parameters of the pro-SME clauses that restate the lot plan (GEN-SME-010, CATER-SME-001,
#: LOGI-SME-002, the ITHW/ITSW/OFFICE/VEHIC/WASTE lot clauses...): the number of lots, the
#: largest number of lots awarded to one tenderer, and the list of lots (a multichoice counts
#: its chosen entries; a free text only marks the clause as a lot clause).
LOT_COUNT_PARAMETER = "lot_count"
MAX_LOTS_PARAMETER = "max_lots"
LOT_LIST_PARAMETER = "lots"
LOT_PARAMETERS = (LOT_COUNT_PARAMETER, MAX_LOTS_PARAMETER, LOT_LIST_PARAMETER)


def _clause_values(pinned: Any) -> dict[str, tuple[dict[str, Any], Any]]:
    """The lot parameters of one chosen clause: name -> (definition, value or default)."""
    values = pinned.selection.parameter_values or {}
    found: dict[str, tuple[dict[str, Any], Any]] = {}
    for parameter in pinned.data.get("parameters") or []:
        name = parameter.get("name")
        if name in LOT_PARAMETERS:
            found[name] = (parameter, values.get(name, parameter.get("default")))
    return found


def _whole(value: Any) -> int | None:
    try:
        return int(Decimal(str(value).replace(" ", "").replace(",", ".")))
    except (ArithmeticError, ValueError, TypeError):
        return None


def lot_consistency_warnings(session: Session, dossier: Dossier) -> list[Any]:
    """Where the chosen clauses or the dossier contradict the saved lot plan.

    Warnings, not blocking generation: a lot clause chosen while no divided plan is saved; a
    clause's number of lots (``lot_count``, or the entries chosen in a ``lots`` list) other than
    the plan's (the coordination lot included); a clause's ``max_lots`` other than the lot
    options' maximum of lots awarded to one tenderer, or above the maximum one may bid for; the
    dossier's estimated value other than the plan's total.
    """
    from portal.tenders.context import pinned_clauses  # the tender builder reads the clauses

    space = _workspace(session, dossier)
    state = plan_state(session, space)
    options = space.options
    warnings: list[Any] = []
    proposal = state.proposal
    plan_count: int | None = None
    if state.plan is not None and state.plan.is_divided:
        if proposal is not None:
            plan_count = len(proposal.lots) + (1 if proposal.coordination is not None else 0)
        else:
            plan_count = len(state.lots) + (1 if options.coordination_lot else 0)
    for pinned in pinned_clauses(session, dossier):
        found = _clause_values(pinned)
        if not found:
            continue
        code = pinned.version.code
        if state.plan is None:
            warnings.append(
                _l(
                    "Clause %(code)s describes a division into lots, but no lot plan is saved: "
                    "save one in the Lots tab, or remove the clause.",
                    code=code,
                )
            )
            continue
        if not state.plan.is_divided:
            warnings.append(
                _l(
                    "Clause %(code)s describes a division into lots, but the saved lot plan "
                    "does not divide the contract: remove the clause, or save a divided plan.",
                    code=code,
                )
            )
            continue
        clause_count: int | None = None
        if LOT_COUNT_PARAMETER in found:
            clause_count = _whole(found[LOT_COUNT_PARAMETER][1])
        elif LOT_LIST_PARAMETER in found:
            definition, value = found[LOT_LIST_PARAMETER]
            if definition.get("type") == "multichoice" and isinstance(value, list | tuple):
                clause_count = len(value)
        if clause_count is not None and plan_count is not None and clause_count != plan_count:
            warnings.append(
                _l(
                    "Number of lots: %(clause)d in clause %(code)s, %(plan)d in the saved lot "
                    "plan. Make them agree.",
                    clause=clause_count,
                    code=code,
                    plan=plan_count,
                )
            )
        if MAX_LOTS_PARAMETER in found:
            clause_max = _whole(found[MAX_LOTS_PARAMETER][1])
            if clause_max is None:
                continue
            if options.max_lots_awarded is None:
                warnings.append(
                    _l(
                        "Clause %(code)s limits the lots awarded to one tenderer to %(clause)d, "
                        "but the lot options set no such limit.",
                        code=code,
                        clause=clause_max,
                    )
                )
            elif clause_max != options.max_lots_awarded:
                warnings.append(
                    _l(
                        "Maximum number of lots awarded to one tenderer: %(clause)d in clause "
                        "%(code)s, %(plan)d in the lot options. Make them agree.",
                        clause=clause_max,
                        code=code,
                        plan=options.max_lots_awarded,
                    )
                )
            if options.max_lots_bid is not None and clause_max > options.max_lots_bid:
                warnings.append(
                    _l(
                        "Clause %(code)s lets one tenderer be awarded up to %(clause)d lots, more "
                        "than the maximum one tenderer may bid for in the lot options "
                        "(%(bid)d).",
                        code=code,
                        clause=clause_max,
                        bid=options.max_lots_bid,
                    )
                )
    if proposal is not None:
        total = proposal.aggregate
        if Decimal(dossier.estimated_value) != total:
            warnings.append(
                _l(
                    "The dossier's estimated value (%(dossier)s) differs from the total of the "
                    "saved lot plan (%(lots)s). Correct the value of the dossier or the items.",
                    dossier=format_money(Decimal(dossier.estimated_value)),
                    lots=format_money(total),
                )
            )
    return warnings


# ------------------------------------------------------------------------------------------------
# The lots section of the tender documents


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _justification_paragraphs(text: str) -> tuple[str, ...]:
    """The paragraphs of a justification, without the draft's title line: the document gives
    the justification its own heading, so the title would be written twice."""
    paragraphs = _paragraphs(text)
    titles = {" ".join(t.split()) for t in JUSTIFICATION_TITLES.values()}
    if len(paragraphs) > 1 and " ".join(paragraphs[0].split()) in titles:
        paragraphs = paragraphs[1:]
    return paragraphs


def required_turnover(
    cap: Decimal,
    friendly: Decimal,
    yearly: Decimal,
    *,
    turnover_ratio: Decimal | None,
    requirement: Decimal | None,
) -> Decimal:
    """The minimum yearly turnover the documents require for a lot (or the whole contract).

    One figure, from the first source that applies, so that the lots section never contradicts
    the selection criterion: the turnover clause the buyer chose (``turnover_ratio`` times the
    yearly value, rounded down to the euro), else the figure the buyer entered in the lot
    options, else the SME-friendly suggestion. Never above the legal cap (art. 58(3)).

    :raises ValidationError: the buyer's figure is above the cap; the documents would state an
        unlawful requirement.
    """
    if turnover_ratio is not None:
        return min(cap, (turnover_ratio * yearly).quantize(Decimal(1), rounding=ROUND_DOWN))
    if requirement is not None:
        if requirement > cap:
            raise ValidationError.single(
                "turnover_requirement",
                _l(
                    "The minimum yearly turnover entered in the lot options (%(requirement)s) "
                    "is above twice the value of a lot (%(cap)s), which art. 58(3) of Directive "
                    "2014/24/EU forbids without a stated reason; lower it in the Lots tab before "
                    "generating the documents.",
                    requirement=format_money(requirement),
                    cap=format_money(cap),
                ),
            )
        return requirement
    return friendly


def lots_section(
    session: Session, dossier: Dossier, lang: str, *, turnover_ratio: Decimal | None = None
) -> Lots | None:
    """Return the lots section of the dossier's documents in ``lang``, from the saved plan.

    None when no plan is saved (the tender builder then writes that the justification is still
    missing). A divided plan gives the lot table (value, yearly value, turnover cap and
    SME-friendly suggestion, SME suitability and its reason), the limits on lots per tenderer
    with the objective award rule, combined bids and the coordination lot with its tasks and
    how the other lot holders work with it. An undivided plan gives the buyer's justification.

    :raises ValidationError: the saved plan no longer matches the dossier (items added after
        it or lots emptied since, a document language without justification, no thresholds
        for the publication date): a document would describe wrong lots, so none is made
        until the buyer saves the plan again (:func:`lot_plan_problems` lists the same).
    """
    if lang not in document.LANGS:
        raise ValueError(f"unknown document language {lang!r}")
    space = _workspace(session, dossier)
    state = plan_state(session, space)
    if state.plan is None:
        return None
    if state.problems or state.proposal is None:
        raise ValidationError(
            {
                "": [
                    _l(
                        "The saved lot plan no longer matches the dossier; open the Lots tab "
                        "and save the plan again before generating the documents."
                    ),
                    *state.problems,
                ]
            }
        )
    proposal = state.proposal
    lots_value = sum((lot.value for lot in proposal.lots), Decimal(0))
    lots_yearly = sum((lot.yearly_value for lot in proposal.lots), Decimal(0))
    contract_cap, contract_max, contract_sme = turnover_suggestions(lots_value, lots_yearly)
    requirement = _decimal(space.options.turnover_requirement)
    contract_required = required_turnover(
        contract_cap,
        contract_sme,
        lots_yearly,
        turnover_ratio=turnover_ratio,
        requirement=requirement,
    )
    if not state.plan.is_divided:
        text = (state.plan.justification or {}).get(lang) or ""
        if not text and proposal.justification is not None:
            text = proposal.justification.text(lang)
        return Lots(
            divided=False,
            lots=(),
            total_value=lots_value,
            max_lots_per_tenderer=None,
            max_lots_awarded=None,
            award_rule="",
            combined_bids=False,
            combined_bids_text="",
            coordination=Coordination(),
            justification=_justification_paragraphs(text),
            contract_turnover_max=contract_max,
            contract_turnover_sme=contract_sme,
            contract_turnover_cap=contract_cap,
            contract_turnover_required=contract_required,
        )
    by_key = space.by_key
    plan_lots = [lot for lot in state.lots if any(by_key[k].lot_id == lot.id for k in by_key)]
    context_lots = []
    for plan_lot, lot in zip(plan_lots, proposal.lots, strict=True):
        items = [by_key[key] for key in lot.item_ids]
        title = (plan_lot.title or {}).get(lang) or document.default_lot_title(lot.number, lang)
        description = (plan_lot.description or {}).get(lang) or document.lot_description(
            [item.description for item in sorted(items, key=lambda i: (i.position, i.id))], lang
        )
        context_lots.append(
            ContextLot(
                number=lot.number,
                title=title,
                description=description,
                cpv=Cpv(code=lot.cpv, label=cpv_label(lot.cpv, lang)),
                value=lot.value,
                yearly_value=lot.yearly_value,
                turnover_max=lot.turnover_max,
                turnover_sme=lot.turnover_sme,
                turnover_cap=lot.value * 2,
                turnover_required=required_turnover(
                    lot.value * 2,
                    lot.turnover_sme,
                    lot.yearly_value,
                    turnover_ratio=turnover_ratio,
                    requirement=requirement,
                ),
                sme_suitable=lot.is_sme_suitable,
                sme_label=labels.label(
                    "sme_suitability", "yes" if lot.is_sme_suitable else "no", lang
                ),
                sme_reason=document.sme_reason(lot.sme_reasons, lang),
            )
        )
    options = space.options
    figures = [LotFigures(lot.number, lot.value, lot.yearly_value) for lot in proposal.lots]
    rule: AwardRule | None = None
    if options.max_lots_awarded:
        rule = award_rule(figures, options.max_lots_awarded)
    combined = bool(options.combined_bids) and options.max_lots_awarded != 1
    coordination = Coordination()
    if proposal.coordination is not None:
        coordination = Coordination(
            applies=True,
            number=proposal.coordination.number,
            title=document.COORDINATION_TITLE[lang],
            coordinates=proposal.coordination.coordinates,
            value=proposal.coordination.value,
            tasks=tuple(document.COORDINATION_TASKS[t][lang] for t in proposal.coordination.tasks),
            interactions=tuple(
                document.COORDINATION_INTERACTIONS[i][lang]
                for i in proposal.coordination.interactions
            ),
        )
    return Lots(
        divided=True,
        lots=tuple(context_lots),
        total_value=proposal.aggregate,
        max_lots_per_tenderer=options.max_lots_bid,
        max_lots_awarded=options.max_lots_awarded,
        award_rule=document.award_rule_text(rule, lang) if rule else "",
        combined_bids=combined,
        combined_bids_text=document.combined_bids_text([lot.number for lot in proposal.lots], lang)
        if combined
        else "",
        coordination=coordination,
        justification=(),
        contract_turnover_max=contract_max,
        contract_turnover_sme=contract_sme,
        contract_turnover_cap=contract_cap,
        contract_turnover_required=contract_required,
    )


# ------------------------------------------------------------------------------------------------
# Open Contracting Data


def ocds_package(
    session: Session,
    *,
    actor: Any,
    dossier_id: int,
    ocid_prefix: str,
    uri: str,
    now: Any = None,
) -> dict[str, Any]:
    """The dossier's saved lots as an OCDS 1.1.5 release package (lots extension).

    :raises PermissionDenied: the actor may not manage dossiers.
    :raises NotFound: no such dossier for this actor.
    :raises ValidationError: no plan is saved, or it is outdated.
    """
    from portal.lots.ocds import OcdsItem, OcdsLot, OcdsTender, release_package

    dossier = get_dossier(session, actor=actor, dossier_id=dossier_id)
    space = _workspace(session, dossier)
    state = plan_state(session, space)
    if state.plan is None or state.proposal is None:
        raise ValidationError.single(
            "", _l("Save a lot plan first: the export describes the chosen lots.")
        )
    if state.problems:
        raise ValidationError({"": list(state.problems)})
    lang = dossier.language.langs[0]
    section = lots_section(session, dossier, lang)
    assert section is not None  # a saved plan without problems always has its section
    lot_of = {key: lot.number for lot in state.proposal.lots for key in lot.item_ids}
    authority = session.get(ContractingAuthority, dossier.authority_id)
    divided = state.plan.is_divided
    items = [
        OcdsItem(
            id=item_key(item),
            description=item.description,
            cpv=item.cpv,
            cpv_label=cpv_label(item.cpv, lang),
            quantity=Decimal(item.quantity),
            unit=item.unit,
            lot=lot_of.get(item_key(item)) if divided else None,
        )
        for item in space.items
    ]
    lots = [
        OcdsLot(
            number=lot.number,
            title=lot.title,
            description=lot.description,
            value=lot.value,
            sme_suitable=lot.sme_suitable,
        )
        for lot in section.lots
    ]
    if section.coordination.applies and section.coordination.number is not None:
        lots.append(
            OcdsLot(
                number=section.coordination.number,
                title=section.coordination.title,
                description=" ".join(section.coordination.tasks),
                value=section.coordination.value or Decimal(0),
                sme_suitable=None,
            )
        )
    tender = OcdsTender(
        ocid_prefix=ocid_prefix,
        dossier_id=dossier.id,
        revision=dossier.lock_version,
        reference=dossier.reference or "",
        title=dossier.title,
        description=dossier.subject or "",
        language=lang,
        contract_type=ContractType(dossier.contract_type),
        buyer_id=f"BE-CLAUSIER-{authority.code}",
        buyer_name=getattr(authority, f"name_{lang}", None) or authority.name_fr,
        items=items,
        lots=lots,
        total_value=section.total_value,
        max_lots_bid=section.max_lots_per_tenderer,
        max_lots_awarded=section.max_lots_awarded,
        award_rule=section.award_rule,
        combined_lots=tuple(lot.number for lot in section.lots) if section.combined_bids else (),
    )
    return release_package(tender, now=now or utcnow(), uri=uri)
