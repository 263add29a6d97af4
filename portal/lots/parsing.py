"""Turn outside input (API JSON, form fields, spreadsheet cells) into the core's Items and Options.

Problems are reported as :class:`portal.lots.advisor.FieldError` codes, like the core's own
validation, so that one message table (:mod:`portal.lots.messages`) words them all. Field paths
use the core's style (``items[3].value``); the API shows them dotted (``items.3.value``).

Numbers are never floats: JSON numbers are read as Decimals and amounts typed by people accept
the Belgian and English ways of writing them (see :func:`parse_amount`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from portal.lots.advisor import AdvisorInputError, FieldError, Item, Options
from portal.lots.rules import ContractType
from portal.reference.models import AuthorityKind
from portal.reference.services import cpv_index, municipality_by_name, normalise_cpv

#: The most items one advice or one dossier may hold.
MAX_ITEMS = 5000
#: Amounts are stored as NUMERIC(14, 2): strictly below EUR 1,000 billion.
MAX_AMOUNT = Decimal("1000000000000")
#: Quantities are stored as NUMERIC(14, 3).
MAX_QUANTITY = Decimal("100000000000")
MAX_DESCRIPTION = 500
MAX_UNIT = 40
MAX_SITE = 200
#: Lots per tenderer and months of duration: generous, but small enough for an INTEGER.
MAX_COUNT = 10000

_SPACES = re.compile(r"[\s\u00a0\u202f']+")
_CURRENCY = re.compile(r"(?i)(eur|€)")
_GROUPED_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_GROUPED_COMMA = re.compile(r"^-?\d{1,3}(,\d{3})+$")
_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")
#: An amount the API takes as a string: ASCII digits and an optional decimal point, as the
#: OpenAPI document says (portal.lots.api.MONEY_STRING_PATTERN); a sign is read only to answer
#: "greater than zero" rather than "not a number".
_API_AMOUNT = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_DATE_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class InvalidValue(ValueError):
    """A value cannot be read; ``code`` is a FieldError code, ``params`` its parameters."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code)


def parse_amount(raw: Any, *, lang: str = "fr") -> Decimal:
    """Read an amount typed by a person or given by a file or JSON; never a float.

    Accepted: ``12500``, ``12500.50``, ``12 500,50``, ``12.500,50``, ``12,500.50``, with or
    without ``€``/``EUR``. With both separators, the last one is the decimal separator. A lone
    comma is decimal in French and Dutch; in English it groups thousands when it is followed by
    groups of exactly three digits (``12,500``). A lone dot followed by groups of three digits
    groups thousands in French and Dutch (``12.500`` is twelve thousand five hundred).

    :raises InvalidValue: ``not_decimal`` when it is not a finite number.
    """
    if isinstance(raw, bool):
        raise InvalidValue("not_decimal")
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise InvalidValue("not_decimal")
        return raw
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        # Spreadsheet cells: the float is the cell's value; its shortest repr is what was typed.
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise InvalidValue("not_decimal")
        return Decimal(repr(raw))
    if not isinstance(raw, str):
        raise InvalidValue("not_decimal")
    text = _SPACES.sub("", _CURRENCY.sub("", raw))
    if not text:
        raise InvalidValue("required")
    if "," in text and "." in text:
        decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        text = text.replace(thousands, "").replace(decimal_sep, ".")
    elif "," in text:
        if lang == "en" and _GROUPED_COMMA.match(text):
            text = text.replace(",", "")
        elif text.count(",") == 1:
            text = text.replace(",", ".")
        else:
            raise InvalidValue("not_decimal")
    elif "." in text and lang != "en" and _GROUPED_DOT.match(text):
        text = text.replace(".", "")
    if not _PLAIN.match(text):
        raise InvalidValue("not_decimal")
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern above rules it out
        raise InvalidValue("not_decimal") from None
    return value


def parse_date(raw: Any) -> date:
    """Read a date: ISO ``2027-12-31``, ``31/12/2027`` (also with ``.`` or ``-``), or a cell date.

    :raises InvalidValue: ``not_a_date`` for anything else, impossible dates included.
    """
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str):
        raise InvalidValue("not_a_date")
    text = raw.strip()
    try:
        if match := _DATE_ISO.match(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _DATE_DMY.match(text):
            return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        raise InvalidValue("not_a_date") from None
    raise InvalidValue("not_a_date")


def parse_municipality(raw: str) -> str:
    """Return the code of one of the 19 municipalities named by code, FR or NL name.

    :raises InvalidValue: ``unknown_place`` for any other place.
    """
    found = municipality_by_name(raw)
    if found is None:
        raise InvalidValue("unknown_place", place=raw.strip()[:60])
    return found.code


def item_place(municipality: str | None, site: str | None) -> str | None:
    """Return the core's ``place`` of an item: its named site, else its municipality."""
    if site and site.strip():
        return site.strip()
    return municipality or None


def check_amount(value: Decimal, *, limit: Decimal = MAX_AMOUNT) -> Decimal:
    """Refuse amounts the database cannot store (the core refuses the non-positive ones).

    :raises InvalidValue: ``too_large``.
    """
    if abs(value) >= limit:
        raise InvalidValue("too_large", max=limit)
    return value


# ------------------------------------------------------------------------------------------------
# The API payload


@dataclass(frozen=True)
class Payload:
    """A parsed request of the lot-split API."""

    items: list[Item]
    options: Options
    #: For assessments: the lots as lists of item ids.
    lots: list[list[str]] | None = None


ITEM_FIELDS = ("id", "description", "cpv", "value", "quantity", "unit", "municipality", "site")
ITEM_FIELDS += ("start", "end")
OPTION_FIELDS = (
    "authority_kind",
    "contract_type",
    "publication_date",
    "max_lots_per_tenderer",
    "combined_bids_allowed",
    "coordination_lot",
    "coordination_value",
    "target_lot_size",
    "divide",
    "annex_xiv_services",
    "duration_months",
    "turnover_requirement",
)


class _Reader:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, where: str, kind: str, **params: Any) -> None:
        self.errors.append(FieldError(where, kind, params))

    def text(self, data: Mapping[str, Any], key: str, where: str, *, required: bool, limit: int):
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(f"{where}.{key}", "required")
            return None
        if not isinstance(value, str):
            self.fail(f"{where}.{key}", "not_text")
            return None
        if len(value) > limit:
            self.fail(f"{where}.{key}", "too_long", max=limit)
            return None
        return value.strip()

    def amount(
        self,
        data: Mapping[str, Any],
        key: str,
        where: str,
        *,
        required: bool,
        limit: Decimal = MAX_AMOUNT,
    ) -> Decimal | None:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(f"{where}.{key}", "required")
            return None
        if isinstance(value, str):
            # The API takes plain numbers as strings ("12500.50"), not the formats people type.
            if not _API_AMOUNT.match(value.strip()):
                self.fail(f"{where}.{key}", "not_decimal")
                return None
            value = Decimal(value.strip())
        try:
            number = parse_amount(value)
            if number <= 0:
                self.fail(f"{where}.{key}", "not_positive")
                return None
            return check_amount(number, limit=limit)
        except InvalidValue as exc:
            self.fail(f"{where}.{key}", exc.code, **exc.params)
            return None

    def day(self, data: Mapping[str, Any], key: str, where: str) -> date | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(f"{where}.{key}", "not_a_date")
            return None
        try:
            return parse_date(value)
        except InvalidValue as exc:
            self.fail(f"{where}.{key}", exc.code)
            return None

    def flag(self, data: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
        value = data.get(key, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(f"{where}.{key}", "not_a_bool")
            return default
        return value

    def count(self, data: Mapping[str, Any], key: str, where: str) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            self.fail(f"{where}.{key}", "not_positive_int")
            return None
        if value != int(value) or value < 1:
            self.fail(f"{where}.{key}", "not_positive_int")
            return None
        if value > MAX_COUNT:
            self.fail(f"{where}.{key}", "too_large", max=MAX_COUNT)
            return None
        return int(value)

    def choice(self, data: Mapping[str, Any], key: str, where: str, enum: Any) -> Any:
        value = data.get(key)
        allowed = [m.value for m in enum]
        if value is None:
            self.fail(f"{where}.{key}", "required")
            return None
        if value not in allowed:
            self.fail(f"{where}.{key}", "choice", choices=", ".join(allowed))
            return None
        return enum(value)

    def unknown(self, data: Mapping[str, Any], known: Sequence[str], where: str) -> None:
        for key in data:
            if key not in known:
                self.fail(f"{where}.{str(key)[:40]}" if where else str(key)[:40], "unknown_field")


def parse_payload(
    data: Any, *, today: date, max_items: int = MAX_ITEMS, with_lots: bool = False
) -> Payload:
    """Read a lot-split request (``{"items": [...], "options": {...}}``) into core objects.

    Checks types, required fields, dates, amounts and places; the core's :func:`validate`
    checks the rest (CPV codes, duplicates, lengths) when the advice runs.

    :raises AdvisorInputError: every problem found, with core-style field paths.
    """
    reader = _Reader()
    if not isinstance(data, dict):
        raise AdvisorInputError([FieldError("", "not_an_object")])
    reader.unknown(data, ("items", "options", "lots") if with_lots else ("items", "options"), "")
    raw_items = data.get("items")
    items: list[Item] = []
    if raw_items is None:
        reader.fail("items", "required")
    elif not isinstance(raw_items, list):
        reader.fail("items", "not_a_list")
    elif not raw_items:
        reader.fail("items", "empty")
    elif len(raw_items) > max_items:
        reader.fail("items", "too_many", max=max_items)
    else:
        for index, raw in enumerate(raw_items):
            item = _parse_item(reader, raw, index)
            if item is not None:
                items.append(item)
    options = _parse_options(reader, data.get("options"), today)
    lots = _parse_lots(reader, data.get("lots")) if with_lots else None
    if reader.errors or options is None:
        raise AdvisorInputError(reader.errors)
    return Payload(items, options, lots)


def _parse_item(reader: _Reader, raw: Any, index: int) -> Item | None:
    where = f"items[{index}]"
    if not isinstance(raw, dict):
        reader.fail(where, "not_an_object")
        return None
    before = len(reader.errors)
    reader.unknown(raw, ITEM_FIELDS, where)
    raw_id = raw.get("id", str(index + 1))
    if isinstance(raw_id, int) and not isinstance(raw_id, bool):
        raw_id = str(raw_id)
    if not isinstance(raw_id, str) or not raw_id.strip() or len(raw_id) > 64:
        reader.fail(f"{where}.id", "required" if not raw_id else "not_text")
    description = reader.text(raw, "description", where, required=True, limit=MAX_DESCRIPTION)
    cpv = reader.text(raw, "cpv", where, required=True, limit=20)
    if cpv is not None and normalise_cpv(cpv) not in cpv_index():
        reader.fail(f"{where}.cpv", "unknown_cpv", code=cpv[:40])
    value = reader.amount(raw, "value", where, required=True)
    quantity = reader.amount(raw, "quantity", where, required=False, limit=MAX_QUANTITY)
    unit = reader.text(raw, "unit", where, required=False, limit=MAX_UNIT)
    municipality = reader.text(raw, "municipality", where, required=False, limit=60)
    if municipality is not None:
        try:
            municipality = parse_municipality(municipality)
        except InvalidValue as exc:
            reader.fail(f"{where}.municipality", exc.code, **exc.params)
    site = reader.text(raw, "site", where, required=False, limit=MAX_SITE)
    start = reader.day(raw, "start", where)
    end = reader.day(raw, "end", where)
    if len(reader.errors) > before:
        return None
    found = municipality_by_name(municipality) if municipality else None
    name = found.name_fr if found else None
    return Item(
        id=raw_id.strip(),
        description=description or "",
        cpv=cpv or "",
        value=value or Decimal(0),
        quantity=quantity if quantity is not None else Decimal(1),
        unit=unit or "unit",
        place=item_place(name, site),
        start=start,
        end=end,
    )


def _parse_options(reader: _Reader, raw: Any, today: date) -> Options | None:
    where = "options"
    if raw is None:
        reader.fail(where, "required")
        return None
    if not isinstance(raw, dict):
        reader.fail(where, "not_an_object")
        return None
    before = len(reader.errors)
    reader.unknown(raw, OPTION_FIELDS, where)
    authority_kind = reader.choice(raw, "authority_kind", where, AuthorityKind)
    contract_type = reader.choice(raw, "contract_type", where, ContractType)
    publication = reader.day(raw, "publication_date", where) if "publication_date" in raw else None
    options = {
        "max_lots_per_tenderer": reader.count(raw, "max_lots_per_tenderer", where),
        "combined_bids_allowed": reader.flag(raw, "combined_bids_allowed", where, False),
        "coordination_lot": reader.flag(raw, "coordination_lot", where, False),
        "coordination_value": reader.amount(raw, "coordination_value", where, required=False),
        "target_lot_size": reader.amount(raw, "target_lot_size", where, required=False),
        "divide": reader.flag(raw, "divide", where, True),
        "annex_xiv_services": reader.flag(raw, "annex_xiv_services", where, False),
        "duration_months": reader.count(raw, "duration_months", where),
        "turnover_requirement": reader.amount(raw, "turnover_requirement", where, required=False),
    }
    if len(reader.errors) > before:
        return None
    return Options(
        authority_kind=authority_kind,
        contract_type=contract_type,
        publication_date=publication or today,
        **options,
    )


def _parse_lots(reader: _Reader, raw: Any) -> list[list[str]] | None:
    if raw is None:
        reader.fail("lots", "required")
        return None
    if not isinstance(raw, list) or not all(isinstance(lot, list) for lot in raw):
        reader.fail("lots", "not_a_list")
        return None
    if not raw:
        reader.fail("lots", "empty")
        return None
    lots: list[list[str]] = []
    for n, lot in enumerate(raw):
        ids = []
        for item_id in lot:
            if isinstance(item_id, int) and not isinstance(item_id, bool):
                item_id = str(item_id)
            if not isinstance(item_id, str):
                reader.fail(f"lots[{n}]", "not_text")
                continue
            ids.append(item_id)
        lots.append(ids)
    return lots
