"""Clause content: validation with the file format's own rules, and conversions between the
file shape (``schema.to_data``), stored versions and per-language text.

Every path that writes clause content (the draft editor, ``clauses sync``) goes through
:func:`validate_content`, which runs :class:`portal.clauses.schema.ClauseFile` itself. The only
relaxation is for languages still to be written: while a draft is being written a missing
language is validated with the text of another language standing in for it, and it is stored
empty (the workspace lists it as a missing translation). FR and NL are required to submit and
publish; EN is for information and never blocks publication.
"""

from __future__ import annotations

import copy
import functools
import pathlib
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from portal.clauses import schema
from portal.clauses.vocabulary import (
    LEGAL_INSTRUMENTS,
    Ambition,
    CostEffect,
    Facilitator,
    Family,
    MarketReadiness,
    Placement,
)
from portal.errors import ValidationError
from portal.i18n import _l

LANGS = schema.LANGS
LANGUAGE_TITLES = {"fr": _l("French"), "nl": _l("Dutch"), "en": _l("English")}
#: Languages a draft needs before it can be submitted or published.
PUBLISH_LANGS = ("fr", "nl")

Path = tuple[Any, ...]


def is_localized(value: Any) -> bool:
    """True for a ``{fr, nl, en}`` mapping (the shape of every translated field)."""
    return (
        isinstance(value, dict)
        and bool(value)
        and set(value) <= set(LANGS)
        and all(isinstance(v, str | None) for v in value.values())
    )


def walk_localized(data: Any, path: Path = ()) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Yield ``(path, mapping)`` for every translated field in file-shaped data."""
    if is_localized(data):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from walk_localized(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from walk_localized(value, (*path, index))


def _set_path(data: Any, path: Path, value: Any) -> None:
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def dotted(path: Iterable[Any]) -> str:
    return ".".join(str(p) for p in path)


# ------------------------------------------------------------------------------------------------
# Validation


def validate_content(
    data: dict[str, Any],
    *,
    code: str,
    required_langs: Iterable[str] = ("fr",),
    today: date | None = None,
) -> dict[str, Any]:
    """Validate file-shaped clause data with the file format's rules; return its canonical form.

    ``data`` has the fields of a clause file (``code`` is taken from the argument). A language
    outside ``required_langs`` may be left empty: it is validated with another language standing
    in, and returned empty. The guidance cannot have been reviewed after ``today`` (default:
    the server's date).

    :raises ValidationError: messages per dotted field path (``text.nl``, ``parameters.0.min``).
    """
    required = tuple(required_langs)
    filled = copy.deepcopy({k: v for k, v in data.items() if k != "code"})
    filled["code"] = code
    stood_in: list[Path] = []
    blank: list[Path] = []
    errors: dict[str, list[Any]] = {}
    for path, mapping in list(walk_localized(filled)):
        texts = {lang: (mapping.get(lang) or "").strip() for lang in LANGS}
        if not any(texts.values()):
            blank.append(path)
        for lang in required:
            if not texts[lang] and any(texts.values()):
                errors.setdefault(dotted((*path, lang)), []).append(
                    _l("Write this text in %(language)s.", language=LANGUAGE_TITLES[lang])
                )
        source = next((texts[lang] for lang in LANGS if texts[lang]), "")
        for lang in LANGS:
            if not texts[lang] and source:
                mapping[lang] = source
                stood_in.append((*path, lang))
    try:
        clause = schema.ClauseFile.model_validate(filled)
    except PydanticValidationError as exc:
        for field, messages in translate_errors(exc).items():
            errors.setdefault(field, []).extend(messages)
    # A text left empty in every language is reported once, on the languages it needs now
    # (French for a draft), not also as "required" in the languages that may wait.
    for path in blank:
        if required and dotted((*path, required[0])) in errors:
            for lang in LANGS:
                if lang not in required:
                    errors.pop(dotted((*path, lang)), None)
    reviewed = _reviewed_on(filled)
    if reviewed is not None and reviewed > (today or date.today()):
        errors.setdefault("guidance.reviewed_on", []).append(
            _l(
                "Give the day the guidance was last reviewed: today at the latest, not a "
                "future date."
            )
        )
    if errors:
        raise ValidationError(errors)
    canonical = schema.to_data(clause)
    for path in stood_in:
        try:
            _set_path(canonical, path, "")
        except (KeyError, IndexError, TypeError):  # pragma: no cover - shapes always match
            continue
    return canonical


def _reviewed_on(data: dict[str, Any]) -> date | None:
    guidance = data.get("guidance")
    value = guidance.get("reviewed_on") if isinstance(guidance, dict) else None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None  # the file format's own check names a missing or malformed date


#: The file format's English messages, matched to translatable ones.
_MESSAGES: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"HTML, script or template tags are not allowed"), "markup"),
    (re.compile(r"^at most (\d+) characters"), "too_long"),
    (re.compile(r"String should have at most (\d+) characters"), "too_long"),
    (re.compile(r"String should have at least 1 character"), "required"),
    (re.compile(r"^Field required"), "required"),
    (re.compile(r"List should have at least 1 item"), "at_least_one"),
    (re.compile(r"text\.(\w\w) uses undeclared parameters: (.+)$"), "undeclared"),
    (re.compile(r"text\.(\w\w) does not use the declared parameters: (.+)$"), "unused"),
    (re.compile(r"text\.(\w\w) has a malformed placeholder"), "malformed"),
    (
        re.compile(r"text\.(\w\w): a word can only agree with a whole-number parameter, not (.+)$"),
        "agree_whole",
    ),
    (re.compile(r"numeric parameters need min and max"), "need_min_max"),
    (re.compile(r"min is greater than max"), "min_gt_max"),
    (re.compile(r"a percentage lies between 0 and 100"), "percentage"),
    (re.compile(r"default must be a number"), "default_number"),
    (re.compile(r"default must lie between min and max"), "default_range"),
    (re.compile(r"integer parameters need whole numbers"), "whole"),
    (re.compile(r"text parameters need max_length"), "need_max_length"),
    (re.compile(r"the default of a text parameter"), "text_default"),
    (re.compile(r"default\.\w\w must be a non-empty text"), "text_default"),
    (re.compile(r"choice parameters need at least two options"), "two_options"),
    (re.compile(r"option values must be unique"), "unique_options"),
    (re.compile(r"default must be one of the option values"), "default_option"),
    (re.compile(r"default must be a non-empty list of option values"), "default_options"),
    (re.compile(r"options and max_length are for choice and text"), "options_misplaced"),
    (re.compile(r"conjunction is only for multichoice"), "conjunction"),
    (re.compile(r"need min <= suggested <= max"), "weight_order"),
    (re.compile(r"award criteria need an `award` block"), "award_block"),
    (re.compile(r"parameter names must be unique"), "unique_names"),
    (re.compile(r"unknown categories: (.+)$"), "unknown_categories"),
    (re.compile(r"categories are listed twice"), "categories_twice"),
    (re.compile(r"not in the CPV 2008 list: (.+)$"), "unknown_cpv"),
    (re.compile(r"unknown legal instrument"), "unknown_instrument"),
    (re.compile(r"code (\S+): family \S+ needs -(\w+)-"), "code_family"),
    (re.compile(r"code (\S+): prefix must be (\w+)"), "code_prefix"),
    (re.compile(r"String should match pattern"), "pattern"),
    (re.compile(r"Input should be greater than or equal to (\S+)"), "min_value"),
    (re.compile(r"Input should be less than or equal to (\S+)"), "max_value"),
    (re.compile(r"Input should be a valid (integer|number)"), "number"),
    (re.compile(r"Input should be a valid date"), "date"),
    (re.compile(r"Input should be '"), "choice"),
]


def _message(key: str, match: re.Match[str]) -> Any:
    g = match.groups()
    messages: dict[str, Any] = {
        "markup": lambda: _l("HTML, script or template tags are not allowed: write plain text."),
        "too_long": lambda: _l("Use at most %(n)s characters.", n=g[0]),
        "required": lambda: _l("This field is required."),
        "at_least_one": lambda: _l("Give at least one."),
        "undeclared": lambda: _l(
            "The text uses parameters that are not declared: %(names)s.", names=g[1]
        ),
        "unused": lambda: _l(
            "The text does not use these declared parameters: %(names)s.", names=g[1]
        ),
        "malformed": lambda: _l("The text has a malformed {{ parameter }} placeholder."),
        "agree_whole": lambda: _l(
            "A word can only agree with a whole-number parameter, not with %(names)s.", names=g[1]
        ),
        "need_min_max": lambda: _l("A number needs a minimum and a maximum."),
        "min_gt_max": lambda: _l("The minimum is greater than the maximum."),
        "percentage": lambda: _l("A percentage lies between 0 and 100."),
        "default_number": lambda: _l("The default must be a number."),
        "default_range": lambda: _l("The default must lie between the minimum and the maximum."),
        "whole": lambda: _l("A whole-number parameter needs whole numbers."),
        "need_max_length": lambda: _l("A text parameter needs a maximum length."),
        "text_default": lambda: _l(
            "A text parameter needs a default text in French, Dutch and English, no longer "
            "than its maximum length."
        ),
        "two_options": lambda: _l("A choice needs at least two options."),
        "unique_options": lambda: _l("Each option needs its own value."),
        "default_option": lambda: _l("The default must be one of the option values."),
        "default_options": lambda: _l("The default must be one or more of the option values."),
        "options_misplaced": lambda: _l(
            "Options are for choices and maximum length for texts, not for numbers."
        ),
        "conjunction": lambda: _l("Only a multiple choice joins its items with “or” or “and”."),
        "weight_order": lambda: _l("The weights need minimum ≤ suggested ≤ maximum."),
        "award_block": lambda: _l(
            "An award criterion needs a weight and a scoring method; other placements have none."
        ),
        "unique_names": lambda: _l("Each parameter needs its own name."),
        "unknown_categories": lambda: _l("Unknown categories: %(codes)s.", codes=g[0]),
        "categories_twice": lambda: _l("A category is listed twice."),
        "unknown_cpv": lambda: _l("Not in the CPV 2008 list: %(codes)s.", codes=g[0]),
        "unknown_instrument": lambda: _l("Unknown legal instrument."),
        "code_family": lambda: _l(
            "The code %(code)s is for another family: this clause's family cannot change.",
            code=g[0],
        ),
        "code_prefix": lambda: _l(
            "The code %(code)s needs %(prefix)s as first category (or several categories).",
            code=g[0],
            prefix=g[1],
        ),
        "pattern": lambda: _l(
            "Use lower-case letters, digits and underscores, starting with a letter."
        ),
        "min_value": lambda: _l("Must be at least %(limit)s.", limit=g[0]),
        "max_value": lambda: _l("Must be at most %(limit)s.", limit=g[0]),
        "number": lambda: _l("Enter a number."),
        "date": lambda: _l("Enter a date (YYYY-MM-DD)."),
        "choice": lambda: _l("Not one of the allowed values."),
    }
    return messages[key]()


def translate_errors(exc: PydanticValidationError) -> dict[str, list[Any]]:
    """Turn the file format's pydantic errors into translatable messages per dotted path."""
    result: dict[str, list[Any]] = {}
    for err in exc.errors():
        loc = [p for p in err.get("loc", ()) if not (isinstance(p, str) and p.startswith("<"))]
        raw = str(err.get("msg", "")).removeprefix("Value error, ")
        field = dotted(loc)
        if not field:
            placeholder = re.match(r"text\.(\w\w) ", raw)
            if placeholder:
                field = f"text.{placeholder.group(1)}"
            elif raw.startswith("code "):
                field = "categories"
            elif raw.startswith("award criteria"):
                field = "award"
        message: Any = raw
        if err.get("type") == "string_pattern_mismatch" and not str(err.get("input") or ""):
            raw = "Field required"  # an empty name: say it is missing, not how to spell it
        for pattern, key in _MESSAGES:
            found = pattern.search(raw)
            if found:
                message = _message(key, found)
                break
        if message not in result.setdefault(field, []):
            result[field].append(message)
    return result


# ------------------------------------------------------------------------------------------------
# Conversions


def apply_to_version(version: Any, canonical: dict[str, Any]) -> None:
    """Copy canonical (file-shaped) content onto a version's columns (not its link tables)."""
    version.family = Family(canonical["family"])
    version.placement = Placement(canonical["placement"])
    version.ambition = Ambition(canonical["ambition"])
    version.facilitator = Facilitator(canonical["facilitator"])
    for lang in LANGS:
        setattr(version, f"title_{lang}", canonical["title"][lang])
        setattr(version, f"text_{lang}", canonical["text"][lang])
        setattr(version, f"change_note_{lang}", canonical["change_note"][lang])
    version.parameters = copy.deepcopy(canonical.get("parameters", []))
    award = canonical.get("award")
    version.award_weight_min = award["weight"]["min"] if award else None
    version.award_weight_max = award["weight"]["max"] if award else None
    version.award_weight_suggested = award["weight"]["suggested"] if award else None
    for lang in LANGS:
        setattr(version, f"award_scoring_{lang}", award["scoring"][lang] if award else "")
    version.verification = copy.deepcopy(canonical["verification"])
    guidance = copy.deepcopy(canonical["guidance"])
    version.guidance = guidance
    version.market_readiness = MarketReadiness(guidance["market_readiness"])
    version.cost_effect = CostEffect(guidance["cost_effect"])
    version.guidance_reviewed_on = _date(guidance["reviewed_on"])
    version.legal_basis = copy.deepcopy(canonical["legal_basis"])


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def version_data(
    version: Any, categories: list[str], cpv: list[str], *, with_retired: bool = True
) -> dict[str, Any]:
    """The file-shaped content of a stored version (the inverse of :func:`apply_to_version`)."""

    def loc(field: str) -> dict[str, str]:
        return {lang: getattr(version, f"{field}_{lang}") or "" for lang in LANGS}

    data: dict[str, Any] = {
        "code": version.code,
        "family": _value(version.family),
        "placement": _value(version.placement),
        "ambition": _value(version.ambition),
        "categories": list(categories),
    }
    if cpv:
        data["cpv"] = list(cpv)
    data["facilitator"] = _value(version.facilitator)
    data["title"] = loc("title")
    data["text"] = loc("text")
    if version.parameters:
        data["parameters"] = copy.deepcopy(version.parameters)
    if version.award_weight_suggested is not None:
        data["award"] = {
            "weight": {
                "min": version.award_weight_min,
                "max": version.award_weight_max,
                "suggested": version.award_weight_suggested,
            },
            "scoring": loc("award_scoring"),
        }
    data["verification"] = copy.deepcopy(version.verification)
    data["guidance"] = copy.deepcopy(version.guidance)
    data["legal_basis"] = copy.deepcopy(version.legal_basis)
    data["change_note"] = loc("change_note")
    if with_retired and _value(version.status) == "retired":
        data["retired"] = True
    return data


def _value(v: Any) -> Any:
    return getattr(v, "value", v)


def content_key(data: dict[str, Any]) -> dict[str, Any]:
    """File-shaped data without what is not content (change note, retirement, code)."""
    return {k: v for k, v in data.items() if k not in ("change_note", "retired", "code")}


def language_texts(data: dict[str, Any], lang: str) -> list[str]:
    """Every text of one language, change note excepted (for translation tracking)."""
    return [
        mapping.get(lang) or ""
        for path, mapping in walk_localized(content_key(data))
        if not (path and path[0] == "change_note")
    ]


def missing_languages(data: dict[str, Any]) -> list[str]:
    """Languages in which at least one text is still empty."""
    missing = []
    for lang in LANGS:
        if any(not (mapping.get(lang) or "").strip() for _p, mapping in walk_localized(data)):
            missing.append(lang)
    return missing


def search_text(version: Any, lang: str) -> tuple[str, str]:
    """Title and text of one language for the search index, placeholders replaced by labels."""
    labels = {p["name"]: (p.get("label") or {}).get(lang, "") for p in version.parameters or []}
    text = schema.PLURAL.sub(lambda m: f"{m.group(2)} {m.group(3)}", version.text("text", lang))
    text = schema.PLACEHOLDER.sub(lambda m: labels.get(m.group(1), ""), text)
    return version.text("title", lang), text


def legal_title(instrument: str, lang: str) -> str:
    titles = LEGAL_INSTRUMENTS.get(instrument, {})
    return titles.get(lang) or titles.get("fr") or instrument


# ------------------------------------------------------------------------------------------------
# Legal references in the reader's language

#: Where an article reference splits into a list: ", " and " and " outside parentheses, except
#: in "Annex XII, Part II" and "12/1 and following".
_LIST_SEPARATOR = re.compile(r", (?!Part )| and (?!following\b)")
_DIRECTIVE = re.compile(r"(.+) of Directive (\d{4}/\d+)(?:/(EC|EU))?")
_ANNEX = re.compile(r"Annex(?: ([IVXLC]+))?(?:, Part ([IVXLC]+)(?: \((\w)\))?)?")
_NUMBER = re.compile(r"[0-9][\w/()]*")


class _Unparsed(ValueError):
    pass


@functools.lru_cache(maxsize=8)
def _legal_words(lang: str) -> dict[str, str]:
    """The connecting words of article references in ``lang``, from this package's catalog
    (read directly, so services, the CLI and the API get them outside a request too)."""
    from babel.support import Translations

    folder = pathlib.Path(__file__).parent / "translations"
    catalog = Translations.load(str(folder), [lang])

    pgettext = catalog.pgettext
    return {
        "art": pgettext("legal reference", "art. %(number)s"),
        "range": pgettext("legal reference", "%(first)s to %(last)s"),
        "following": pgettext("legal reference", "%(number)s and following"),
        "annex": pgettext("legal reference", "Annex"),
        "annex_n": pgettext("legal reference", "Annex %(number)s"),
        "part": pgettext("legal reference", "Part %(number)s"),
        "annex_of": pgettext("legal reference", "Annex, %(articles)s"),
        "directive": pgettext("legal reference", "%(articles)s of Directive %(number)s"),
        "EC": pgettext("legal reference", "%(articles)s of Directive %(number)s/EC"),
        "EU": pgettext("legal reference", "%(articles)s of Directive %(number)s/EU"),
        "line": pgettext("legal reference", "%(instrument)s, %(article)s"),
    }


def _split_list(text: str) -> list[str]:
    items, depth, start, i = [], 0, 0, 0
    while i < len(text):
        char = text[i]
        depth += {"(": 1, ")": -1}.get(char, 0)
        found = _LIST_SEPARATOR.match(text, i) if depth == 0 else None
        if found:
            items.append(text[start:i])
            start = i = found.end()
            continue
        i += 1
    items.append(text[start:])
    if depth != 0 or not all(items):
        raise _Unparsed(text)
    return items


def _render_reference(text: str, words: dict[str, str], lang: str) -> str:
    from portal.clauses.rendering import join_list

    directive = _DIRECTIVE.fullmatch(text)
    if directive:
        articles, number, suffix = directive.groups()
        return words[suffix or "directive"] % {
            "articles": _render_reference(articles, words, lang),
            "number": number,
        }
    if text.startswith("Annex, "):
        return words["annex_of"] % {"articles": _render_reference(text[7:], words, lang)}
    items = [_render_item(item, words, lang) for item in _split_list(text)]
    return join_list(items, lang)


def _render_item(text: str, words: dict[str, str], lang: str) -> str:
    inner = re.fullmatch(r"(.+?) \((art\. .+)\)", text)
    if inner:
        head, nested = inner.groups()
        return f"{_render_item(head, words, lang)} ({_render_reference(nested, words, lang)})"
    if text.startswith("art. "):
        return words["art"] % {"number": _render_number(text[5:], words)}
    annex = _ANNEX.fullmatch(text)
    if annex:
        number, part, point = annex.groups()
        result = words["annex_n"] % {"number": number} if number else words["annex"]
        if part:
            result += ", " + words["part"] % {"number": part}
            if point:
                result += f" ({point})"
        return result
    if re.fullmatch(r"C\d+", text):  # an ILO convention
        return text
    return _render_number(text, words)


def _render_number(text: str, words: dict[str, str]) -> str:
    span = re.fullmatch(r"(\S+) to (\S+)", text)
    if span and all(_NUMBER.fullmatch(n) for n in span.groups()):
        return words["range"] % {"first": span.group(1), "last": span.group(2)}
    following = re.fullmatch(r"(\S+) and following", text)
    if following and _NUMBER.fullmatch(following.group(1)):
        return words["following"] % {"number": following.group(1)}
    if _NUMBER.fullmatch(text):
        return text
    raise _Unparsed(text)


def legal_article(article: str, lang: str) -> str:
    """An article reference of the corpus (written in English: "art. 53 and 54", "art. 12 to
    12/4", "Annex XII, Part II (d)") with its connecting words in ``lang``; a reference in
    another shape is returned as written."""
    try:
        return _render_reference(article.strip(), _legal_words(lang), lang)
    except _Unparsed:
        return article


def legal_reference(basis: dict[str, Any], lang: str) -> str:
    """One legal basis as a line in ``lang``: the instrument's official title and the article."""
    article = legal_article(str(basis.get("article") or ""), lang)
    title = legal_title(str(basis.get("instrument") or ""), lang)
    if not article:
        return title
    return _legal_words(lang)["line"] % {"instrument": title, "article": article}
