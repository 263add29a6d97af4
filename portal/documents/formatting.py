"""Number, money, percentage and date formatting for documents, in an explicit language.

The web pages format values in the language of the request (:mod:`portal.i18n`). A document has
its own language, chosen by the buyer, so these functions take the language as an argument and
never read the request. They are the Jinja filters of every Word template (``money``,
``number``, ``percent``, ``date``) and the context builders may call them directly.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from babel import dates as babel_dates
from babel import numbers as babel_numbers

#: The Babel locale of each document language: Belgian French and Dutch, British English.
LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "en": "en_GB"}
LANGS = tuple(LOCALES)


class FormattingError(ValueError):
    """A value cannot be formatted (not a number, not a date, unknown language)."""


def _locale(lang: str) -> str:
    try:
        return LOCALES[lang]
    except KeyError:
        raise FormattingError(f"unknown document language {lang!r}; use fr, nl or en") from None


def to_decimal(value: Any) -> Decimal:
    """Convert an int, float, Decimal or numeric string to a Decimal.

    :raises FormattingError: the value is not a finite number (booleans are refused too).
    """
    if isinstance(value, bool):
        raise FormattingError(f"not a number: {value!r}")
    if isinstance(value, Decimal):
        number = value
    else:
        try:
            # str() first: Decimal(0.1) would keep the binary noise of the float.
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            raise FormattingError(f"not a number: {value!r}") from None
    if not number.is_finite():
        raise FormattingError(f"not a finite number: {value!r}")
    return number


def to_date(value: Any) -> date:
    """Convert a date, a datetime or an ISO string (``2027-02-15``) to a date.

    :raises FormattingError: the value is not a date.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise FormattingError(f"not a date: {value!r}")


def format_money(value: Any, lang: str, cents: bool | None = None) -> str:
    """Format an amount in euro: ``1 234,50 €`` (fr), ``€ 1.234,50`` (nl), ``€1,234.50`` (en).

    ``cents=None`` shows cents only when the amount has some, as the clause texts do
    (:func:`portal.clauses.rendering.format_value`); ``True`` or ``False`` forces the choice.
    An empty value (None or "") gives an empty text.
    """
    if value is None or value == "":
        return ""
    number = to_decimal(value)
    locale = _locale(lang)
    if cents is None:
        cents = number != number.to_integral_value()
    if cents:
        return babel_numbers.format_currency(number, "EUR", locale=locale)
    pattern = "¤#,##0" if lang == "en" else ("¤\u00a0#,##0" if lang == "nl" else "#,##0\u00a0¤")
    return babel_numbers.format_currency(
        number, "EUR", format=pattern, locale=locale, currency_digits=False
    )


def format_number(value: Any, lang: str, digits: int | None = None) -> str:
    """Format a number with the language's separators; ``digits`` fixes the decimals shown."""
    if value is None or value == "":
        return ""
    number = to_decimal(value)
    pattern = None if digits is None else "#,##0." + "0" * digits if digits > 0 else "#,##0"
    return babel_numbers.format_decimal(number, format=pattern, locale=_locale(lang))


def format_percent(value: Any, lang: str) -> str:
    """Format a percentage given as 0-100 (not as a fraction): ``40 %`` (fr), ``40%`` (nl)."""
    if value is None or value == "":
        return ""
    number = to_decimal(value)
    return babel_numbers.format_percent(
        number / 100, locale=_locale(lang), decimal_quantization=False
    )


def format_date(value: Any, lang: str, form: str = "long") -> str:
    """Format a date: ``15 février 2027`` / ``15 februari 2027`` / ``15 February 2027``.

    ``form`` is ``long`` (the default, as in administrative documents) or ``short``
    (``15/02/2027``). French writes the first of the month as ``1er``.
    """
    if value is None or value == "":
        return ""
    day = to_date(value)
    if form == "short":
        return day.strftime("%d/%m/%Y")
    if form != "long":
        raise FormattingError(f"unknown date form {form!r}; use long or short")
    text = babel_dates.format_date(day, "long", locale=_locale(lang))
    if lang == "fr" and day.day == 1:
        text = "1er" + text[1:]
    return text
