"""Item import from CSV and XLSX: clean files of 40 rows, the per-row report, nothing imported
while a row is wrong, and files that cannot be read at all (never a 500)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook

from portal.lots import services
from portal.lots.importing import (
    EXAMPLE_HEADERS,
    ImportFileError,
    example_rows,
    read_items,
    to_csv,
    to_xlsx,
)
from portal.lots.models import LotItem
from portal.lots.parsing import InvalidValue, parse_amount, parse_date

HEADER = ["Description", "Code CPV", "Valeur HTVA (EUR)", "Commune", "Site", "Début", "Fin"]


def csv_bytes(rows, header=HEADER, sep=";", encoding="utf-8"):  # type: ignore[no-untyped-def]
    lines = [sep.join(header)] + [sep.join(str(c) for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def xlsx_bytes(rows, header=HEADER):  # type: ignore[no-untyped-def]
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def problems(result):  # type: ignore[no-untyped-def]
    return [(p.row, p.column, p.error.code) for p in result.problems]


# ------------------------------------------------------------------------------------------------
# Clean files


def test_the_demo_csv_has_40_clean_items(demo_csv):
    result = read_items("ixelles.csv", demo_csv, lang="fr")
    assert result.ok and len(result.items) == 40
    first = result.items[0]
    assert first.value == Decimal("372000.00")
    assert first.quantity == Decimal("4800")
    assert (first.municipality, first.site) == ("ixelles", "Hôtel communal")
    deep = next(i for i in result.items if i.start is not None)
    assert (deep.start, deep.end) == (date(2027, 7, 1), date(2031, 6, 30))


def test_the_same_40_items_from_xlsx(demo_csv):
    rows = [[c for c in line.split(";")] for line in demo_csv.decode("utf-8").splitlines()]
    result = read_items("ixelles.xlsx", to_xlsx(rows), lang="fr")
    assert result.ok and len(result.items) == 40
    assert sum(i.value for i in result.items) == sum(
        i.value for i in read_items("x.csv", demo_csv, lang="fr").items
    )


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_example_files_read_back_in_every_language(lang):
    for content in (to_csv(example_rows(lang)), to_xlsx(example_rows(lang, typed=True))):
        result = read_items("example", content, lang=lang)
        assert result.ok, problems(result)
        assert [i.value for i in result.items] == [
            Decimal("148000"),
            Decimal("36500"),
            Decimal("12400.50"),
        ]
        assert result.items[0].municipality == "ixelles"


@pytest.mark.parametrize(
    "header",
    [
        ["Description", "CPV code", "Value excl. VAT (EUR)"],
        ["Omschrijving", "CPV-code", "Waarde excl. btw"],
        ["DESCRIPTION", "code cpv", "Valeur estimée HTVA (€)"],
    ],
)
def test_headers_in_three_languages_any_case_and_accents(header):
    result = read_items("x.csv", csv_bytes([["Vitres", "90911300-9", "1000"]], header=header))
    assert result.ok and result.items[0].cpv == "90911300-9"


@pytest.mark.parametrize(
    "raw,lang,expected",
    [
        ("12 500,50", "fr", "12500.50"),
        ("12\u202f500,50 €", "fr", "12500.50"),
        ("12.500,50", "nl", "12500.50"),
        ("12.500", "nl", "12500"),
        ("12,5", "fr", "12.5"),
        ("12,500.50", "en", "12500.50"),
        ("12,500", "en", "12500"),
        ("EUR 1 234 567", "fr", "1234567"),
        ("12500.5", "fr", "12500.5"),
    ],
)
def test_amounts_with_commas_and_thousands_separators(raw, lang, expected):
    assert parse_amount(raw, lang=lang) == Decimal(expected)


@pytest.mark.parametrize("raw", ["12,50,3", "1.2.3,4,5", "douze", "12-5"])
def test_unreadable_amounts(raw):
    with pytest.raises(InvalidValue):
        parse_amount(raw)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("31/12/2027", date(2027, 12, 31)),
        ("1/7/2027", date(2027, 7, 1)),
        ("2027-12-31", date(2027, 12, 31)),
        ("31.12.2027", date(2027, 12, 31)),
    ],
)
def test_dates_dd_mm_yyyy_and_iso(raw, expected):
    assert parse_date(raw) == expected


def test_cpv_without_check_digit_and_lost_leading_zero():
    rows = [["Produits", "39830000", "10"], ["Fruits", 3222000, "10"]]
    result = read_items("x.xlsx", xlsx_bytes(rows, header=HEADER[:3]))
    assert [i.cpv for i in result.items] == ["39830000-9", "03222000-3"]


def test_empty_rows_are_skipped_and_unknown_columns_reported():
    content = csv_bytes(
        [["Vitres", "90911300-9", "1000", "", "", "", ""], ["", "", "", "", "", "", ""]],
        header=HEADER,
    )
    content = content.replace(b"Fin\n", b"Fin;Remarque\n")
    result = read_items("x.csv", content)
    assert result.ok and len(result.items) == 1
    assert result.ignored == ["Remarque"]


def test_windows_1252_and_tab_separated():
    content = csv_bytes(
        [["Nettoyage crèche", "90911200-8", "1000,00"]],
        header=HEADER[:3],
        sep="\t",
        encoding="cp1252",
    )
    result = read_items("x.csv", content)
    assert result.ok and result.items[0].description == "Nettoyage crèche"


# ------------------------------------------------------------------------------------------------
# Bad rows: every problem, with its row and column


def test_every_bad_row_is_reported_with_row_and_column():
    rows = [
        ["Bureaux", "90919200-4", "10000", "Ixelles", "", "", ""],
        ["", "99999999-9", "-3", "", "", "", ""],
        ["Vitres", "90911300-9", "abc", "Ixeles", "", "30/02/2027", "01/03/2027"],
        ["Écoles", "90919300-5", "5000", "", "", "01/09/2027", ""],
        ["Crèche", "90911200-8", "5000", "", "", "01/09/2028", "01/09/2027"],
    ]
    result = read_items("x.csv", csv_bytes(rows))
    assert not result.ok
    assert problems(result) == [
        (3, "Description", "required"),
        (3, "Code CPV", "unknown_cpv"),
        (3, "Valeur HTVA (EUR)", "not_positive"),
        (4, "Valeur HTVA (EUR)", "not_decimal"),
        (4, "Commune", "unknown_place"),
        (4, "Début", "not_a_date"),
        (5, "Fin", "required"),
        (6, "Fin", "before_start"),
    ]


def test_formulas_are_refused_cell_by_cell():
    rows = [["Bureaux", "90919200-4", "=1000*4"], ["Vitres", "90911300-9", "2000"]]
    result = read_items("x.xlsx", xlsx_bytes(rows, header=HEADER[:3]))
    assert problems(result) == [(2, "Valeur HTVA (EUR)", "formula")]


def test_the_report_is_capped_but_counts_the_rest():
    rows = [["", "90919200-4", "1"]] * 250
    result = read_items("x.csv", csv_bytes(rows, header=HEADER[:3]))
    assert len(result.problems) == 200 and result.more_problems == 50


# ------------------------------------------------------------------------------------------------
# Files that cannot be read at all


@pytest.mark.parametrize(
    "name,content,code",
    [
        ("empty.csv", b"", "empty"),
        ("blank.csv", b"\n\n  \n", "empty"),
        ("header-only.csv", b"Description;Code CPV;Valeur\n", "no_rows"),
        ("garbage.csv", bytes(range(256)) * 20, "binary"),
        ("utf16.csv", "Description;Code CPV;Valeur\n".encode("utf-16-le"), "binary"),
        ("report.pdf", b"%PDF-1.7\n1 0 obj\n", "binary"),
        ("fake.xlsx", b"Description;Code CPV;Valeur\nx;y;z\n", "bad_xlsx"),
        ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 100, "bad_xlsx"),
        ("quote.csv", b'Description;Code CPV;Valeur\n"x' + b"y" * 200000 + b"\n", "malformed"),
        ("nocols.csv", b"Nom;Prix\nx;1\n", "missing_columns"),
        (
            "twice.csv",
            b"Description;Omschrijving;CPV;Valeur\nx;y;90911300-9;1\n",
            "duplicate_column",
        ),
    ],
)
def test_unreadable_files_get_a_clear_reason(name, content, code):
    with pytest.raises(ImportFileError) as caught:
        read_items(name, content)
    assert caught.value.code == code


def test_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(ImportFileError) as caught:
        read_items("x.xlsx", buffer.getvalue())
    assert caught.value.code == "bad_xlsx"


def test_too_many_rows():
    rows = [["Bureaux", "90919200-4", "1"]] * 12
    with pytest.raises(ImportFileError) as caught:
        read_items("x.csv", csv_bytes(rows, header=HEADER[:3]), max_rows=10)
    assert caught.value.code == "too_many_rows"


# ------------------------------------------------------------------------------------------------
# The service: all or nothing


def test_import_creates_every_item_in_order(db, buyer, make_dossier, demo_csv):
    dossier = make_dossier()
    created = services.import_items(
        db,
        actor=buyer,
        dossier_id=dossier.id,
        filename="x.csv",
        content=demo_csv,
        mode="append",
        lang="fr",
    )
    assert len(created) == 40
    items = services.list_items(db, dossier)
    assert [i.position for i in items] == list(range(1, 41))
    assert items[0].description.startswith("Nettoyage quotidien des bureaux")


def test_nothing_is_imported_when_one_row_is_wrong(db, buyer, make_dossier, demo_csv):
    dossier = make_dossier()
    broken = demo_csv.replace(b"90690000-0", b"90690000-1", 1)
    with pytest.raises(services.ImportRejected) as caught:
        services.import_items(
            db,
            actor=buyer,
            dossier_id=dossier.id,
            filename="x.csv",
            content=broken,
            mode="append",
            lang="fr",
        )
    assert [(p.row, p.error.code) for p in caught.value.result.problems] == [(31, "unknown_cpv")]
    db.rollback()
    assert services.count_items(db, dossier) == 0


def test_replace_mode_removes_the_current_items(db, buyer, make_dossier, demo_csv):
    dossier = make_dossier()
    kwargs = dict(actor=buyer, dossier_id=dossier.id, filename="x.csv", lang="fr")
    services.import_items(db, content=demo_csv, mode="append", **kwargs)
    services.import_items(db, content=to_csv(example_rows("fr")), mode="replace", **kwargs)
    assert services.count_items(db, dossier) == 3


def test_example_headers_cover_every_field():
    assert all(len(headers) == 9 for headers in EXAMPLE_HEADERS.values())
    assert LotItem.__tablename__ == "lot_items"
