"""Fill a clause text with parameter values, and check the values a buyer enters.

Pure functions over plain data: a parameter is the dict form of
:class:`portal.clauses.schema.Parameter` (as stored in the database), values are plain JSON
values. Texts are plain text; ``{{ name }}`` placeholders are replaced by the formatted value in
the text's language. No template engine runs on curator-written text.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from babel import Locale, numbers
from babel.lists import format_list

from portal.clauses.schema import PLACEHOLDER, PLURAL
from portal.clauses.vocabulary import ParamType

LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "en": "en_GB"}
CONJUNCTIONS = {
    "or": {"fr": "ou", "nl": "of", "en": "or"},
    "and": {"fr": "et", "nl": "en", "en": "and"},
}


class ParameterError(ValueError):
    """A parameter value is not acceptable; ``messages`` maps parameter names to message keys."""

    def __init__(self, messages: dict[str, tuple[str, dict[str, Any]]]) -> None:
        self.messages = messages
        super().__init__("; ".join(f"{k}: {v[0]}" for k, v in messages.items()))


def defaults(parameters: list[dict[str, Any]], lang: str = "fr") -> dict[str, Any]:
    """The default value of every parameter (text defaults in the given language)."""
    result = {}
    for p in parameters:
        default = p.get("default")
        if p["type"] == ParamType.text and isinstance(default, dict):
            default = default.get(lang) or default.get("fr")
        result[p["name"]] = default
    return result


def coerce_values(parameters: list[dict[str, Any]], raw: dict[str, Any]) -> dict[str, Any]:
    """Check and convert raw values (form strings or JSON) against the parameter types.

    Missing values take the default. Errors are collected for every parameter at once.

    :raises ParameterError: one or more values are invalid; the keys of ``messages`` are
        parameter names and the values ``(message_key, params)`` for translation.
    """
    values: dict[str, Any] = {}
    errors: dict[str, tuple[str, dict[str, Any]]] = {}
    for p in parameters:
        name, kind = p["name"], ParamType(p["type"])
        value = raw.get(name)
        if value is None or value == "" or value == []:
            values[name] = defaults([p])[name]
            continue
        try:
            values[name] = _coerce(p, kind, value)
        except _Invalid as exc:
            errors[name] = (exc.key, exc.params)
    if errors:
        raise ParameterError(errors)
    return values


class _Invalid(Exception):
    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params


def _coerce(p: dict[str, Any], kind: ParamType, value: Any) -> Any:
    if kind in (ParamType.integer, ParamType.decimal, ParamType.percentage, ParamType.money):
        try:
            number = Decimal(
                str(value).strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
            )
        except InvalidOperation:
            raise _Invalid("not_a_number") from None
        if not number.is_finite():
            raise _Invalid("not_a_number")
        if kind == ParamType.integer and number != number.to_integral_value():
            raise _Invalid("not_whole")
        low, high = Decimal(str(p["min"])), Decimal(str(p["max"]))
        if not low <= number <= high:
            raise _Invalid("out_of_range", min=_plain_number(low), max=_plain_number(high))
        if kind == ParamType.integer:
            return int(number)
        return float(number) if number != number.to_integral_value() else int(number)
    if kind == ParamType.text:
        text = str(value).strip()
        if len(text) > int(p.get("max_length") or 200):
            raise _Invalid("too_long", max=p.get("max_length"))
        if "{{" in text or "}}" in text or "<" in text:
            raise _Invalid("forbidden_characters")
        return text
    allowed = [o["value"] for o in p.get("options") or []]
    if kind == ParamType.choice:
        if value not in allowed:
            raise _Invalid("not_an_option")
        return value
    items = value if isinstance(value, list) else [value]
    if any(v not in allowed for v in items):
        raise _Invalid("not_an_option")
    # Keep the curators' order of options, not the order of clicks.
    return [v for v in allowed if v in items]


def _plain_number(d: Decimal) -> str:
    return str(int(d)) if d == d.to_integral_value() else str(d)


def format_value(p: dict[str, Any], value: Any, lang: str) -> str:
    """Format one value for a text in ``lang`` (fr, nl or en)."""
    kind = ParamType(p["type"])
    locale = LOCALES.get(lang, "fr_BE")
    if value is None:
        return ""
    if kind in (ParamType.integer, ParamType.decimal):
        return numbers.format_decimal(Decimal(str(value)), locale=locale)
    if kind == ParamType.percentage:
        return numbers.format_percent(
            Decimal(str(value)) / 100, locale=locale, decimal_quantization=False
        )
    if kind == ParamType.money:
        digits = Decimal(str(value)) != Decimal(str(value)).to_integral_value()
        return numbers.format_currency(
            Decimal(str(value)),
            "EUR",
            locale=locale,
            currency_digits=digits,
            format=None if digits else _whole_currency(lang),
        )
    if kind == ParamType.text:
        return str(value)
    labels = {o["value"]: o["label"].get(lang) or o["label"]["fr"] for o in p["options"]}
    if kind == ParamType.choice:
        return labels.get(value, str(value))
    items = [labels.get(v, str(v)) for v in value]
    if len(items) == 1:
        return items[0]
    word = CONJUNCTIONS[p.get("conjunction") or "or"][lang]
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def join_list(items: list[str], lang: str, style: str = "standard") -> str:
    """Join items as a list in ``lang``: "A, B et C", "A, B en C", "A, B and C"."""
    if not items:
        return ""
    return format_list(list(items), style=style, locale=LOCALES.get(lang, "fr_BE"))


def _whole_currency(lang: str) -> str:
    # Same conventions as the Word documents (portal.documents.formatting): 1 234 € in French,
    # € 1.234 in Dutch, €1,234 in English.
    if lang == "en":
        return "¤#,##0"
    return "¤\u00a0#,##0" if lang == "nl" else "#,##0\u00a0¤"


def render_text(
    text: str, parameters: list[dict[str, Any]], values: dict[str, Any], lang: str
) -> str:
    """Replace every ``{{ name }}`` of a clause text with its formatted value."""
    by_name = {p["name"]: p for p in parameters}
    filled = {**defaults(parameters, lang), **{k: v for k, v in values.items() if v is not None}}

    def replace(match: Any) -> str:
        name = match.group(1)
        p = by_name.get(name)
        if p is None:
            return match.group(0)
        return format_value(p, filled.get(name), lang)

    def agree(match: Any) -> str:
        name, singular, plural = match.groups()
        if name not in by_name:
            return match.group(0)
        return plural_word(filled.get(name), singular, plural, lang)

    return PLACEHOLDER.sub(replace, PLURAL.sub(agree, text))


def plural_word(count: Any, singular: str, plural: str, lang: str) -> str:
    """The form of a word that agrees with ``count`` in ``lang`` (CLDR plural rules: French
    takes the singular for 0 and 1, Dutch and English for 1 only). No count: the plural."""
    try:
        number = Decimal(str(count))
    except (InvalidOperation, ValueError):
        return plural
    rule = Locale.parse(LOCALES.get(lang, "fr_BE")).plural_form
    return singular if rule(number) == "one" else plural


def paragraphs(text: str) -> list[str]:
    """Split a plain clause text into paragraphs (blank-line separated)."""
    return [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
