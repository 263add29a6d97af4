"""The clause file format (``clauses/*.yaml``): schema, validation and canonical writing.

One YAML file per clause; ``clauses/README.md`` documents every field. This module is pure: it
reads files and reference data from disk, never the database, so the corpus can be checked
anywhere (``python -m portal.clauses.schema clauses/``). ``flask --app portal clauses sync``
loads validated files into the library.
"""

from __future__ import annotations

import re
import sys
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError

from portal.clauses.vocabulary import (
    LEGAL_INSTRUMENTS,
    Ambition,
    CostEffect,
    Evidence,
    Facilitator,
    Family,
    MarketReadiness,
    ParamType,
    Placement,
    Stage,
)
from portal.reference.services import DATA_DIR, cpv_index

LANGS = ("fr", "nl", "en")
#: Code prefix of each category; GEN marks a clause written for several categories.
CATEGORY_PREFIXES = {
    "catering": "CATER",
    "cleaning": "CLEAN",
    "office-supplies": "OFFICE",
    "it-hardware": "ITHW",
    "software-it-services": "ITSW",
    "furniture": "FURN",
    "vehicles-mobility": "VEHIC",
    "logistics-delivery": "LOGI",
    "construction-works": "CONST",
    "renovation-energy": "RENO",
    "maintenance-fm": "MAINT",
    "textiles-workwear": "TEXT",
    "events-communication": "EVENT",
    "green-spaces": "GREEN",
    "energy-supply": "ENERG",
    "waste": "WASTE",
    "security-services": "SECUR",
}
GENERIC_PREFIX = "GEN"
CODE_PATTERN = re.compile(r"^([A-Z]{3,6})-(ENV|SOC|ETH|ASD|SME|INN)-(\d{3})$")
PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*\}\}")
#: A word that agrees with a whole-number parameter: ``{{ references | référence | références }}``
#: gives the singular or the plural form by the value and the language's plural rules.
PLURAL = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*\|\s*([^|{}]+?)\s*\|\s*([^|{}]+?)\s*\}\}")
#: Anything that looks like markup or template logic is refused: clause texts are plain text.
FORBIDDEN_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]|\{%|%\}|\{#|javascript:", re.IGNORECASE)
MAX_TEXT = 8000
MAX_SHORT = 2000

ShortStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _plain(value: str, limit: int) -> str:
    text = value.replace("\r\n", "\n").strip()
    if FORBIDDEN_MARKUP.search(text):
        raise ValueError("HTML, script or template tags are not allowed; write plain text")
    if len(text) > limit:
        raise ValueError(f"at most {limit} characters")
    return text


class Localized(_Strict):
    """A text in French, Dutch and English (all three required in the corpus)."""

    fr: str = Field(min_length=1)
    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)

    @field_validator("fr", "nl", "en")
    @classmethod
    def _no_markup(cls, v: str) -> str:
        return _plain(v, MAX_SHORT)

    def get(self, lang: str) -> str:
        return getattr(self, lang)


class LongLocalized(Localized):
    @field_validator("fr", "nl", "en")
    @classmethod
    def _no_markup(cls, v: str) -> str:
        return _plain(v, MAX_TEXT)


class Option(_Strict):
    value: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=60)]
    label: Localized


class Parameter(_Strict):
    """A typed value the buyer chooses, used in the texts as ``{{ name }}``."""

    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
    type: ParamType
    label: Localized
    help: Localized | None = None
    #: Unit shown next to the form field (for integer and decimal), e.g. years or meals.
    unit: Localized | None = None
    min: float | None = None
    max: float | None = None
    #: For text parameters: the longest text accepted.
    max_length: int | None = Field(default=None, ge=1, le=500)
    options: list[Option] | None = None
    #: For multichoice: the word that joins the last two items ("or" or "and").
    conjunction: str | None = Field(default=None, pattern=r"^(or|and)$")
    default: Any = None

    @model_validator(mode="after")
    def _check_type_rules(self) -> Parameter:
        numeric = {ParamType.integer, ParamType.decimal, ParamType.percentage, ParamType.money}
        t = self.type
        if t in numeric:
            if self.min is None or self.max is None:
                raise ValueError("numeric parameters need min and max")
            if self.min > self.max:
                raise ValueError("min is greater than max")
            if t == ParamType.percentage and (self.min < 0 or self.max > 100):
                raise ValueError("a percentage lies between 0 and 100")
            if self.options or self.max_length:
                raise ValueError("options and max_length are for choice and text parameters")
            if not isinstance(self.default, int | float) or isinstance(self.default, bool):
                raise ValueError("default must be a number")
            if not self.min <= self.default <= self.max:
                raise ValueError("default must lie between min and max")
            if t == ParamType.integer and (
                self.default != int(self.default)
                or self.min != int(self.min)
                or self.max != int(self.max)
            ):
                raise ValueError("integer parameters need whole numbers")
        elif t == ParamType.text:
            if self.max_length is None:
                raise ValueError("text parameters need max_length")
            if not isinstance(self.default, dict) or set(self.default) != set(LANGS):
                raise ValueError("the default of a text parameter is a text in fr, nl and en")
            for lang, v in self.default.items():
                if not isinstance(v, str) or not v.strip() or len(v) > self.max_length:
                    raise ValueError(
                        f"default.{lang} must be a non-empty text of at most max_length characters"
                    )
                _plain(v, self.max_length)
        else:
            if not self.options or len(self.options) < 2:
                raise ValueError("choice parameters need at least two options")
            values = [o.value for o in self.options]
            if len(set(values)) != len(values):
                raise ValueError("option values must be unique")
            if t == ParamType.choice:
                if self.default not in values:
                    raise ValueError("default must be one of the option values")
            else:
                if (
                    not isinstance(self.default, list)
                    or not self.default
                    or any(v not in values for v in self.default)
                    or len(set(self.default)) != len(self.default)
                ):
                    raise ValueError("default must be a non-empty list of option values")
        if t != ParamType.multichoice and self.conjunction:
            raise ValueError("conjunction is only for multichoice parameters")
        return self


class WeightRange(_Strict):
    min: int = Field(ge=1, le=60)
    max: int = Field(ge=1, le=60)
    suggested: int = Field(ge=1, le=60)

    @model_validator(mode="after")
    def _order(self) -> WeightRange:
        if not self.min <= self.suggested <= self.max:
            raise ValueError("need min <= suggested <= max")
        return self


class Award(_Strict):
    weight: WeightRange
    #: How offers are scored on this criterion.
    scoring: LongLocalized


class Verification(_Strict):
    """A control instrument (MPDI 7): what evidence, when, and how the buyer checks it."""

    evidence: Evidence
    stage: Stage
    #: What the tenderer or contractor provides.
    what: LongLocalized
    #: How the buyer checks it.
    how: LongLocalized


class Guidance(_Strict):
    when_to_use: LongLocalized
    market_readiness: MarketReadiness
    market: LongLocalized
    cost_effect: CostEffect
    #: Expected cost and life-cycle-cost effect.
    cost: LongLocalized
    pitfalls: LongLocalized
    #: When the guidance was last reviewed (guidance older than a year is flagged).
    reviewed_on: date


class LegalBasis(_Strict):
    instrument: str
    article: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]

    @field_validator("instrument")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in LEGAL_INSTRUMENTS:
            raise ValueError(
                f"unknown legal instrument {v!r}; known: {', '.join(LEGAL_INSTRUMENTS)}"
            )
        return v


class ClauseFile(_Strict):
    """The content of one clause file: the current published version of one clause."""

    code: str
    family: Family
    placement: Placement
    ambition: Ambition
    categories: list[str] = Field(min_length=1)
    #: Extra CPV codes the clause is specific to (the categories' codes apply anyway).
    cpv: list[str] = Field(default_factory=list)
    facilitator: Facilitator
    title: Localized
    text: LongLocalized
    parameters: list[Parameter] = Field(default_factory=list)
    award: Award | None = None
    verification: list[Verification] = Field(min_length=1)
    guidance: Guidance
    legal_basis: list[LegalBasis] = Field(min_length=1)
    change_note: Localized
    #: True for a clause withdrawn from use (kept for the history).
    retired: bool = False

    @field_validator("categories")
    @classmethod
    def _known_categories(cls, v: list[str]) -> list[str]:
        known = category_codes()
        unknown = [c for c in v if c not in known]
        if unknown:
            raise ValueError(f"unknown categories: {', '.join(unknown)}")
        if len(set(v)) != len(v):
            raise ValueError("categories are listed twice")
        return v

    @field_validator("cpv")
    @classmethod
    def _known_cpv(cls, v: list[str]) -> list[str]:
        index = cpv_index()
        unknown = [c for c in v if c not in index]
        if unknown:
            raise ValueError(f"not in the CPV 2008 list: {', '.join(unknown)}")
        return v

    @model_validator(mode="after")
    def _cross_checks(self) -> ClauseFile:
        match = CODE_PATTERN.match(self.code)
        if not match:
            raise ValueError("code must look like CLEAN-ENV-001 (PREFIX-FAMILY-NNN)")
        prefix, suffix, _n = match.groups()
        if suffix != self.family.code_suffix:
            raise ValueError(
                f"code {self.code}: family {self.family.value} needs -{self.family.code_suffix}-"
            )
        expected = CATEGORY_PREFIXES[self.categories[0]]
        if prefix not in (expected, GENERIC_PREFIX):
            raise ValueError(
                f"code {self.code}: prefix must be {expected} (first category) or {GENERIC_PREFIX}"
            )
        if (self.placement == Placement.award) != (self.award is not None):
            raise ValueError(
                "award criteria need an `award` block (weight and scoring); "
                "other placements must not have one"
            )
        declared = [p.name for p in self.parameters]
        if len(set(declared)) != len(declared):
            raise ValueError("parameter names must be unique")
        whole = {p.name for p in self.parameters if p.type == ParamType.integer}
        for lang in LANGS:
            agreeing = {m[0] for m in PLURAL.findall(self.text.get(lang))}
            if agreeing - whole:
                raise ValueError(
                    f"text.{lang}: a word can only agree with a whole-number parameter, not "
                    f"{', '.join(sorted(agreeing - whole))}"
                )
            used = set(PLACEHOLDER.findall(self.text.get(lang)))
            if used - set(declared):
                raise ValueError(
                    f"text.{lang} uses undeclared parameters: "
                    f"{', '.join(sorted(used - set(declared)))}"
                )
            if set(declared) - used:
                raise ValueError(
                    f"text.{lang} does not use the declared parameters: "
                    f"{', '.join(sorted(set(declared) - used))}"
                )
            rest = PLACEHOLDER.sub("", PLURAL.sub("", self.text.get(lang)))
            if "{{" in rest or "}}" in rest:
                raise ValueError(f"text.{lang} has a malformed placeholder")
        return self


@lru_cache(maxsize=1)
def category_codes() -> frozenset[str]:
    with open(DATA_DIR / "categories.yaml", encoding="utf-8") as fh:
        return frozenset(item["code"] for item in yaml.safe_load(fh))


class FileError(Exception):
    """A clause file that cannot be loaded; ``errors`` maps field paths to messages."""

    def __init__(self, path: Path, errors: dict[str, list[str]]) -> None:
        self.path = path
        self.errors = errors
        super().__init__(
            f"{path.name}: "
            + "; ".join(f"{field or '(file)'}: {' '.join(msgs)}" for field, msgs in errors.items())
        )


def parse_file(path: Path) -> ClauseFile:
    """Read and validate one clause file.

    :raises FileError: unreadable YAML, schema errors, or a file name that is not the code.
    """
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FileError(path, {"": [f"cannot read the file: {exc}"]}) from None
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise FileError(path, {"": [f"invalid YAML: {exc}"]}) from None
    if not isinstance(data, dict):
        raise FileError(path, {"": ["the file must contain a mapping of fields"]})
    try:
        clause = ClauseFile.model_validate(data)
    except PydanticValidationError as exc:
        errors: dict[str, list[str]] = {}
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            msg = err["msg"].removeprefix("Value error, ")
            errors.setdefault(loc, []).append(msg)
        raise FileError(path, errors) from None
    if path.stem != clause.code:
        raise FileError(path, {"code": [f"the file must be named {clause.code}.yaml"]})
    return clause


def load_directory(directory: Path) -> tuple[list[ClauseFile], list[FileError]]:
    """Parse every ``*.yaml`` file of a directory; return the clauses and the errors."""
    clauses, errors = [], []
    for path in sorted(directory.glob("*.yaml")):
        try:
            clauses.append(parse_file(path))
        except FileError as exc:
            errors.append(exc)
    seen: dict[str, Path] = {}
    for clause in clauses:
        if clause.code in seen:
            errors.append(FileError(Path(f"{clause.code}.yaml"), {"code": ["duplicate code"]}))
        seen[clause.code] = Path(f"{clause.code}.yaml")
    return clauses, errors


# ---------------------------------------------------------------------------------------------
# Canonical writing: the format `clauses export` produces, so that a round trip changes nothing.

FIELD_ORDER = [
    "code",
    "family",
    "placement",
    "ambition",
    "categories",
    "cpv",
    "facilitator",
    "title",
    "text",
    "parameters",
    "award",
    "verification",
    "guidance",
    "legal_basis",
    "change_note",
    "retired",
]


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def to_data(clause: ClauseFile) -> dict[str, Any]:
    """Plain data in canonical field order, without empty optional fields."""
    data = clause.model_dump(mode="json", exclude_none=True)
    if not data.get("cpv"):
        data.pop("cpv", None)
    if not data.get("parameters"):
        data.pop("parameters", None)
    if not data.get("retired"):
        data.pop("retired", None)
    for param in data.get("parameters", []):
        for key in ("min", "max", "default"):
            value = param.get(key)
            if isinstance(value, float) and value.is_integer():
                param[key] = int(value)
    return {key: data[key] for key in FIELD_ORDER if key in data}


def dump(clause: ClauseFile) -> str:
    """The canonical YAML text of a clause file."""
    for lang in LANGS:
        for text in (clause.text.get(lang),):
            if text != text.strip():
                raise ValueError("texts must not start or end with white space")
    # No folding of long lines: one sentence stays on one line, which keeps diffs readable.
    return yaml.dump(
        to_data(clause),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=10**9,
        default_flow_style=False,
    )


# ---------------------------------------------------------------------------------------------
# Command line: python -m portal.clauses.schema [--similarity] DIR


def _similar_pairs(clauses: list[ClauseFile], threshold: float) -> list[tuple[str, str, float]]:
    from rapidfuzz import fuzz

    pairs = []
    for i, a in enumerate(clauses):
        for b in clauses[i + 1 :]:
            for lang in ("fr", "nl"):
                score = fuzz.token_sort_ratio(a.text.get(lang), b.text.get(lang))
                if score >= threshold:
                    pairs.append((a.code, b.code, score))
                    break
    return pairs


def main(argv: list[str]) -> int:
    """Validate a directory; ``--similarity`` lists near-duplicates, ``--write`` normalises."""
    similarity = "--similarity" in argv
    write = "--write" in argv
    paths = [a for a in argv if not a.startswith("--")]
    directory = Path(paths[0] if paths else "clauses")
    clauses, errors = load_directory(directory)
    for err in errors:
        print(f"ERROR {err}")
    print(f"{len(clauses)} valid clause files, {len(errors)} with errors in {directory}")
    if write:
        for clause in clauses:
            path = directory / f"{clause.code}.yaml"
            text = dump(clause)
            if path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
                print(f"normalised {path.name}")
    if similarity:
        for a, b, score in _similar_pairs(clauses, 85.0):
            print(f"SIMILAR {a} ~ {b}: {score:.0f}%")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
