"""Number, money, percentage and date formatting in an explicit document language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from portal.documents.formatting import (
    FormattingError,
    format_date,
    format_money,
    format_number,
    format_percent,
)

NNBSP = "\u202f"  # narrow no-break space: Babel's French thousands separator
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", f"1{NNBSP}234,50{NBSP}€"),
        ("nl", f"€{NBSP}1.234,50"),
        ("en", "€1,234.50"),
    ],
)
def test_money_follows_the_document_language(lang: str, expected: str) -> None:
    assert format_money(Decimal("1234.5"), lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr", f"640{NNBSP}000{NBSP}€"), ("nl", f"€{NBSP}640.000"), ("en", "€640,000")],
)
def test_whole_amounts_have_no_cents(lang: str, expected: str) -> None:
    assert format_money(640000, lang) == expected


def test_cents_can_be_forced() -> None:
    assert format_money(10, "nl", cents=True) == f"€{NBSP}10,00"


def test_money_accepts_json_numbers_and_strings() -> None:
    assert (
        format_money(1234.5, "fr")
        == format_money("1234.50", "fr")
        == format_money(Decimal("1234.5"), "fr")
    )


def test_empty_values_give_empty_text() -> None:
    assert format_money(None, "fr") == format_number("", "nl") == format_date(None, "fr") == ""


@pytest.mark.parametrize(("lang", "expected"), [("fr", f"40{NBSP}%"), ("nl", "40%")])
def test_percent_takes_values_from_0_to_100(lang: str, expected: str) -> None:
    assert format_percent(40, lang) == expected


def test_number_with_fixed_digits() -> None:
    assert format_number("1234.5", "fr", digits=2) == f"1{NNBSP}234,50"
    assert format_number("1234.5", "nl") == "1.234,5"


@pytest.mark.parametrize(
    ("lang", "value", "expected"),
    [
        ("fr", date(2027, 2, 15), "15 février 2027"),
        ("fr", "2027-02-01", "1er février 2027"),
        ("nl", "2027-02-15", "15 februari 2027"),
        ("en", "2027-02-15", "15 February 2027"),
    ],
)
def test_dates_are_written_in_full(lang: str, value: object, expected: str) -> None:
    assert format_date(value, lang) == expected


def test_short_dates() -> None:
    assert format_date("2027-02-15", "nl", "short") == "15/02/2027"


@pytest.mark.parametrize(
    "call",
    [
        lambda: format_money("beaucoup", "fr"),
        lambda: format_money(True, "fr"),
        lambda: format_money("NaN", "fr"),
        lambda: format_date("demain", "fr"),
        lambda: format_money(1, "de"),
    ],
)
def test_bad_values_are_errors_not_blanks(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FormattingError):
        call()
