"""Read a dossier's items from a CSV or XLSX file, all or nothing.

The column layout (the example files of the lots help page use it, in FR, NL and EN):

=============  ==========================  =============================  ======================
field          English header              French header                  Dutch header
=============  ==========================  =============================  ======================
description    Description                 Description                    Omschrijving
cpv            CPV code                    Code CPV                       CPV-code
value          Value excl. VAT (EUR)       Valeur HTVA (EUR)              Waarde excl. btw (EUR)
quantity       Quantity                    Quantité                       Hoeveelheid
unit           Unit                        Unité                          Eenheid
municipality   Municipality                Commune                        Gemeente
site           Site                        Site                           Site
start          Start date                  Date de début                  Begindatum
end            End date                    Date de fin                    Einddatum
=============  ==========================  =============================  ======================

Description, CPV code and value are required; the other columns are optional (quantity 1 and
unit "lump sum" by default). Headers are matched without case, accents, punctuation or a
trailing "EUR", and a few synonyms are accepted (:data:`HEADERS`); other columns are ignored
and reported. Amounts accept decimal commas and thousands separators
(:func:`portal.lots.parsing.parse_amount`); dates ``31/12/2027`` or ``2027-12-31``. CSV files
are UTF-8 (with or without BOM) or Windows-1252, separated by commas, semicolons or tabs.

:func:`read_items` returns every row or every problem (row number as the spreadsheet shows it,
the column as headed in the file, a FieldError code). Nothing is imported while one problem is
left. Files that cannot be read at all raise :class:`ImportFileError`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from portal.lots.advisor import AdvisorInputError, FieldError, Item, Options, validate
from portal.lots.parsing import (
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
from portal.lots.rules import ContractType
from portal.reference.models import AuthorityKind
from portal.reference.services import cpv_index, fold, municipality_by_name, normalise_cpv

FIELDS = (
    "description",
    "cpv",
    "value",
    "quantity",
    "unit",
    "municipality",
    "site",
    "start",
    "end",
)
REQUIRED = ("description", "cpv", "value")

#: The headers of the example files, per language, in :data:`FIELDS` order.
EXAMPLE_HEADERS: dict[str, tuple[str, ...]] = {
    "en": (
        "Description",
        "CPV code",
        "Value excl. VAT (EUR)",
        "Quantity",
        "Unit",
        "Municipality",
        "Site",
        "Start date",
        "End date",
    ),
    "fr": (
        "Description",
        "Code CPV",
        "Valeur HTVA (EUR)",
        "Quantité",
        "Unité",
        "Commune",
        "Site",
        "Date de début",
        "Date de fin",
    ),
    "nl": (
        "Omschrijving",
        "CPV-code",
        "Waarde excl. btw (EUR)",
        "Hoeveelheid",
        "Eenheid",
        "Gemeente",
        "Site",
        "Begindatum",
        "Einddatum",
    ),
}

#: Accepted headers once normalised (:func:`normalise_header`), for each field.
HEADERS: dict[str, tuple[str, ...]] = {
    "description": (
        "description",
        "item",
        "item description",
        "poste",
        "description du poste",
        "libelle",
        "omschrijving",
        "beschrijving",
        "post",
    ),
    "cpv": ("cpv", "cpv code", "code cpv", "cpv 2008"),
    "value": (
        "value",
        "value excl vat",
        "estimated value",
        "estimated value excl vat",
        "valeur",
        "valeur htva",
        "valeur hors tva",
        "valeur estimee",
        "valeur estimee htva",
        "valeur estimee hors tva",
        "montant",
        "montant htva",
        "montant estime htva",
        "waarde",
        "waarde excl btw",
        "geraamde waarde",
        "geraamde waarde excl btw",
        "bedrag",
        "bedrag excl btw",
    ),
    "quantity": ("quantity", "qty", "quantite", "hoeveelheid", "aantal"),
    "unit": ("unit", "unite", "eenheid"),
    "municipality": ("municipality", "commune", "gemeente"),
    "site": ("site", "named site", "lieu", "batiment", "building", "locatie", "gebouw", "plaats"),
    "start": (
        "start",
        "start date",
        "period start",
        "debut",
        "date de debut",
        "debut de periode",
        "begin",
        "begindatum",
        "startdatum",
    ),
    "end": (
        "end",
        "end date",
        "period end",
        "fin",
        "date de fin",
        "fin de periode",
        "einde",
        "einddatum",
    ),
}
_BY_HEADER = {header: name for name, headers in HEADERS.items() for header in headers}

#: Unit written when the file has no unit column or leaves it empty.
DEFAULT_UNIT = {"fr": "forfait", "nl": "forfait", "en": "lump sum"}

#: An XLSX file is a zip: refuse archives that would unpack to more than this (zip bombs).
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
#: Problems reported at most (the rest are counted).
MAX_REPORTED = 200

_NOISE = {"eur", "euro", "euros"}


class ImportFileError(ValueError):
    """The file cannot be read at all; ``code`` says why, ``params`` give details."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code)


@dataclass(frozen=True)
class RowProblem:
    """One problem of one row: row number as the spreadsheet shows it, column as headed."""

    row: int
    column: str
    error: FieldError


@dataclass(frozen=True)
class ImportedItem:
    """One clean row, ready to become a dossier item."""

    row: int
    description: str
    cpv: str
    value: Decimal
    quantity: Decimal
    unit: str
    municipality: str | None
    site: str | None
    start: date | None
    end: date | None


@dataclass
class ImportResult:
    """Every clean row, or every problem; ``ignored`` lists the columns that were not used."""

    items: list[ImportedItem] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    #: Problems beyond :data:`MAX_REPORTED`, counted but not listed.
    more_problems: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and not self.more_problems


def normalise_header(text: Any) -> str:
    """Fold a header for matching: lower case, no accents, no punctuation, no "EUR"."""
    words = re.sub(r"[^a-z0-9]+", " ", fold(str(text or ""))).split()
    return " ".join(w for w in words if w not in _NOISE)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ------------------------------------------------------------------------------------------------
# Reading the file into rows of cells


def _rows_from_csv(content: bytes) -> Iterator[list[Any]]:
    if b"\x00" in content[:65536]:
        # UTF-16 or a binary file: a CSV text file never holds NUL bytes.
        raise ImportFileError("binary")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError("encoding")
    if re.search(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]", text[:65536]):
        raise ImportFileError("binary")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error:
        raise ImportFileError("malformed") from None


def _is_formula(cell: Any) -> bool:
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f":
        return True
    if isinstance(value, str) and value.startswith("="):
        return True
    return type(value).__name__ in ("ArrayFormula", "DataTableFormula")


class _Formula:
    """Marks a spreadsheet cell that holds a formula instead of a value."""


FORMULA = _Formula()


def _rows_from_xlsx(content: bytes) -> Iterator[list[Any]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFileError("bad_xlsx") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError("bad_xlsx")
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        raise ImportFileError("bad_xlsx") from None
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows():
            yield [FORMULA if _is_formula(cell) else cell.value for cell in row]
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - a broken sheet part shows up only while reading
        raise ImportFileError("bad_xlsx") from None
    finally:
        workbook.close()


def _is_empty(cells: Sequence[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


# ------------------------------------------------------------------------------------------------
# Rows into items


def read_items(
    filename: str, content: bytes, *, lang: str = "fr", max_rows: int = MAX_ITEMS
) -> ImportResult:
    """Read items from a CSV or XLSX file; every problem is reported, none is fixed silently.

    :raises ImportFileError: empty, binary, undecodable or malformed file, unknown or missing
        columns, more than ``max_rows`` rows.
    """
    if not content or not content.strip():
        raise ImportFileError("empty")
    is_xlsx = content[:4] == b"PK\x03\x04"
    if not is_xlsx and filename.lower().endswith((".xlsx", ".xlsm")):
        raise ImportFileError("bad_xlsx")
    if not is_xlsx and content[:5] == b"%PDF-":
        raise ImportFileError("binary")
    rows = _rows_from_xlsx(content) if is_xlsx else _rows_from_csv(content)
    header: list[Any] | None = None
    data: list[tuple[int, list[Any]]] = []
    for number, cells in enumerate(rows, start=1):
        if _is_empty(cells):
            continue
        if header is None:
            header = list(cells)
            continue
        data.append((number, list(cells)))
        if len(data) > max_rows:
            raise ImportFileError("too_many_rows", max=max_rows)
    if header is None:
        raise ImportFileError("empty")
    columns, ignored = _columns(header)
    if not data:
        raise ImportFileError("no_rows")
    result = ImportResult(ignored=ignored)
    for number, cells in data:
        _read_row(result, number, cells, columns, lang)
    if not result.problems:
        _core_check(result, columns)
    if len(result.problems) > MAX_REPORTED:
        result.more_problems = len(result.problems) - MAX_REPORTED
        result.problems = result.problems[:MAX_REPORTED]
    return result


def _columns(header: Sequence[Any]) -> tuple[dict[str, tuple[int, str]], list[str]]:
    """Map each field to (column index, header as written); list the ignored headers."""
    columns: dict[str, tuple[int, str]] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header):
        if cell is FORMULA:
            raise ImportFileError("header_formula", column=_column_letter(index))
        text = str(cell or "").strip()
        if not text:
            continue
        name = _BY_HEADER.get(normalise_header(text))
        if name is None:
            ignored.append(text[:60])
            continue
        if name in columns:
            raise ImportFileError("duplicate_column", column=text[:60])
        columns[name] = (index, text[:60])
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise ImportFileError("missing_columns", fields=tuple(missing))
    return columns, ignored


def _cell(cells: Sequence[Any], columns: dict[str, tuple[int, str]], name: str) -> Any:
    if name not in columns:
        return None
    index = columns[name][0]
    value = cells[index] if index < len(cells) else None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _read_row(
    result: ImportResult,
    number: int,
    cells: Sequence[Any],
    columns: dict[str, tuple[int, str]],
    lang: str,
) -> None:
    problems: list[RowProblem] = []

    def fail(name: str, kind: str, **params: Any) -> None:
        problems.append(
            RowProblem(number, columns[name][1], FieldError(f"row.{name}", kind, params))
        )

    values: dict[str, Any] = {}
    for name in columns:
        value = _cell(cells, columns, name)
        if value is FORMULA:
            fail(name, "formula")
            continue
        values[name] = value

    description = values.get("description")
    if "description" in values:
        if description is None:
            fail("description", "required")
        elif len(str(description)) > MAX_DESCRIPTION:
            fail("description", "too_long", max=MAX_DESCRIPTION)
    cpv = values.get("cpv")
    if "cpv" in values:
        if cpv is None:
            fail("cpv", "required")
        else:
            if isinstance(cpv, int | float) and not isinstance(cpv, bool):
                # Spreadsheets drop the leading zero of codes such as 03000000-1.
                cpv = f"{int(cpv):08d}"
            cpv = normalise_cpv(str(cpv))
            if cpv not in cpv_index():
                fail("cpv", "unknown_cpv", code=str(values["cpv"])[:40])
    amount = _amount(fail, "value", values, lang, required=True)
    quantity = _amount(fail, "quantity", values, lang, required=False, limit=MAX_QUANTITY)
    unit = values.get("unit")
    if unit is not None and len(str(unit)) > MAX_UNIT:
        fail("unit", "too_long", max=MAX_UNIT)
    municipality = values.get("municipality")
    if municipality is not None:
        try:
            municipality = parse_municipality(str(municipality))
        except InvalidValue as exc:
            fail("municipality", exc.code, **exc.params)
    site = values.get("site")
    if site is not None and len(str(site)) > MAX_SITE:
        fail("site", "too_long", max=MAX_SITE)
    start = _day(fail, "start", values)
    end = _day(fail, "end", values)
    unreadable = any(
        values.get(k) is not None and d is None for k, d in (("start", start), ("end", end))
    )
    if unreadable:
        pass  # already reported; pairing the dates would only repeat the problem
    elif start is not None and end is None and "end" in columns:
        fail("end", "required")
    elif end is not None and start is None and "start" in columns:
        fail("start", "required")
    elif start is not None and end is not None and end < start:
        fail("end", "before_start")
    elif (start is None) != (end is None):
        # Only one of the two date columns exists in the file.
        fail("start" if "start" in columns else "end", "required")
    if problems:
        result.problems.extend(problems)
        return
    result.items.append(
        ImportedItem(
            row=number,
            description=str(description),
            cpv=str(cpv),
            value=amount or Decimal(0),
            quantity=quantity if quantity is not None else Decimal(1),
            unit=str(unit) if unit is not None else DEFAULT_UNIT.get(lang, "forfait"),
            municipality=municipality,
            site=str(site) if site is not None else None,
            start=start,
            end=end,
        )
    )


def _amount(
    fail: Any,
    name: str,
    values: dict[str, Any],
    lang: str,
    *,
    required: bool,
    limit: Decimal | None = None,
) -> Decimal | None:
    if name not in values:
        return None
    raw = values[name]
    if raw is None:
        if required:
            fail(name, "required")
        return None
    try:
        number = parse_amount(raw if not isinstance(raw, datetime) else "x", lang=lang)
        if number <= 0:
            fail(name, "not_positive")
            return None
        return check_amount(number, limit=limit) if limit else check_amount(number)
    except InvalidValue as exc:
        fail(name, exc.code, **exc.params)
        return None


def _day(fail: Any, name: str, values: dict[str, Any]) -> date | None:
    raw = values.get(name)
    if raw is None:
        return None
    try:
        return parse_date(raw)
    except InvalidValue as exc:
        fail(name, exc.code)
        return None


def _core_check(result: ImportResult, columns: dict[str, tuple[int, str]]) -> None:
    """Run the advisor's own validation, so that nothing it would refuse gets imported."""
    items = [
        Item(
            id=f"{n:06d}",
            description=row.description,
            cpv=row.cpv,
            value=row.value,
            quantity=row.quantity,
            unit=row.unit,
            place=item_place(
                municipality_by_name(row.municipality).name_fr if row.municipality else None,
                row.site,
            ),
            start=row.start,
            end=row.end,
        )
        for n, row in enumerate(result.items)
    ]
    options = Options(AuthorityKind.sub_central, ContractType.services, date(2026, 1, 1))
    try:
        clean = validate(items, options)
    except AdvisorInputError as exc:
        for error in exc.errors:
            match = re.match(r"items\[(\d+)\]\.(\w+)", error.field)
            if not match:
                continue
            row = result.items[int(match[1])]
            name = {"place": "site"}.get(match[2], match[2])
            column = columns.get(name, columns["description"])[1]
            result.problems.append(
                RowProblem(row.row, column, FieldError(f"row.{name}", error.code, error.params))
            )
        result.problems.sort(key=lambda p: p.row)
        return
    # Store the official code (check digit included) the advisor found.
    by_id = {item.id: item.cpv for item in clean}
    result.items = [_with_cpv(row, by_id[f"{n:06d}"]) for n, row in enumerate(result.items)]


def _with_cpv(row: ImportedItem, cpv: str) -> ImportedItem:
    if row.cpv == cpv:
        return row
    values = {name: getattr(row, name) for name in ImportedItem.__dataclass_fields__}
    values["cpv"] = cpv
    return ImportedItem(**values)


# ------------------------------------------------------------------------------------------------
# Example files


#: The example file's items: one per kind of row (with a site and a period, with a quantity,
#: without a place), as (description per language, CPV, value, quantity, unit per language,
#: municipality, site per language, start, end).
_EXAMPLES: tuple[tuple[Any, ...], ...] = (
    (
        {
            "fr": "Nettoyage quotidien de l'hôtel communal",
            "nl": "Dagelijkse schoonmaak van het gemeentehuis",
            "en": "Daily cleaning of the town hall",
        },
        "90919200-4",
        Decimal("148000"),
        Decimal(1),
        {"fr": "forfait", "nl": "forfait", "en": "lump sum"},
        "ixelles",
        {"fr": "Hôtel communal", "nl": "Gemeentehuis", "en": "Town hall"},
        date(2027, 1, 1),
        date(2030, 12, 31),
    ),
    (
        {
            "fr": "Nettoyage des vitres des écoles",
            "nl": "Glazenwassen in de scholen",
            "en": "Window cleaning in the schools",
        },
        "90911300-9",
        Decimal("36500"),
        Decimal(4200),
        {"fr": "m²", "nl": "m²", "en": "m²"},
        "ixelles",
        {"fr": "École n° 1", "nl": "School nr. 1", "en": "School no. 1"},
        None,
        None,
    ),
    (
        {
            "fr": "Fourniture de produits d'entretien écolabellisés",
            "nl": "Levering van schoonmaakproducten met ecolabel",
            "en": "Supply of ecolabelled cleaning products",
        },
        "39830000-9",
        Decimal("12400.50"),
        Decimal(1),
        {"fr": "lot", "nl": "partij", "en": "batch"},
        None,
        None,
        None,
        None,
    ),
)


def format_amount(value: Decimal, lang: str) -> str:
    """Write an amount as people type it in ``lang``: 12 400,50 (fr), 12.400,50 (nl), 12,400.50."""
    text = f"{value:,.2f}"
    if lang == "en":
        return text
    units, cents = text.split(".")
    return units.replace(",", " " if lang == "fr" else ".") + "," + cents


def format_day(day: date | None, lang: str) -> str:
    """Write a date as people type it in ``lang``: 31/12/2027, or ISO in English."""
    if day is None:
        return ""
    return day.isoformat() if lang == "en" else day.strftime("%d/%m/%Y")


def example_rows(lang: str, *, typed: bool = False) -> list[list[Any]]:
    """The example file in ``lang``, header first; ``typed`` keeps numbers and dates (XLSX)."""
    rows: list[list[Any]] = [list(EXAMPLE_HEADERS[lang])]
    for description, cpv, value, quantity, unit, municipality, site, start, end in _EXAMPLES:
        place = municipality_by_name(municipality) if municipality else None
        town = (place.name_nl if lang == "nl" else place.name_fr) if place else ""
        rows.append(
            [
                description[lang],
                cpv,
                value if typed else format_amount(value, lang),
                quantity if typed else str(quantity),
                unit[lang],
                town,
                site[lang] if site else "",
                start if typed else format_day(start, lang),
                end if typed else format_day(end, lang),
            ]
        )
    return rows


def to_csv(rows: Sequence[Sequence[Any]]) -> bytes:
    """Write rows as a UTF-8 CSV file with BOM and semicolons (what Excel in Belgium opens)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[Sequence[Any]], title: str = "Items") -> bytes:
    """Write rows as an XLSX workbook with a bold header row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append(["" if cell is None else cell for cell in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate((52, 14, 22, 12, 12, 18, 24, 14, 14)):
        sheet.column_dimensions[_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
