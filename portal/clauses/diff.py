"""Differences between two clause versions, per field and per language, word by word.

Pure functions over file-shaped data (:func:`portal.clauses.content.version_data`). Structured
fields (parameters, verification, legal basis) are turned into readable lines first, so that a
buyer sees "Minimum share: 50–100, default 80" change rather than a JSON diff. The result is
plain data; templates mark deletions and insertions with ``<del>`` and ``<ins>`` and Jinja
escapes every piece of text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from portal.clauses.content import LANGS, legal_reference
from portal.clauses.vocabulary import (
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
from portal.i18n import _l

#: Field keys in display order, with their labels. ``None`` language = one value for all.
FIELD_LABELS: dict[str, Any] = {
    "family": _l("Family"),
    "placement": _l("Placement"),
    "ambition": _l("Ambition level"),
    "facilitator": _l("Facilitator"),
    "categories": _l("Categories"),
    "cpv": _l("Extra CPV codes"),
    "title": _l("Title"),
    "text": _l("Text"),
    "parameters": _l("Parameters"),
    "award.weight": _l("Suggested weight"),
    "award.scoring": _l("Scoring method"),
    "verification": _l("Verification"),
    "guidance.when_to_use": _l("When to use it"),
    "guidance.market_readiness": _l("Market readiness"),
    "guidance.market": _l("Market"),
    "guidance.cost_effect": _l("Cost effect"),
    "guidance.cost": _l("Cost and life-cycle cost"),
    "guidance.pitfalls": _l("Pitfalls"),
    "guidance.reviewed_on": _l("Guidance reviewed on"),
    "legal_basis": _l("Legal basis"),
    "change_note": _l("Change note"),
    "retired": _l("Retired"),
}
_TOKEN = re.compile(r"\s+|[^\s]+")
DEFAULT_LABEL = _l("default")


@dataclass
class Segment:
    #: ``equal``, ``delete`` (only in the old text) or ``insert`` (only in the new text).
    op: str
    text: str


@dataclass
class FieldDiff:
    key: str
    #: ``fr``, ``nl``, ``en``, or None for a field that has no language.
    lang: str | None
    old: str
    new: str
    old_segments: list[Segment] = field(default_factory=list)
    new_segments: list[Segment] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @property
    def label(self) -> Any:
        return FIELD_LABELS[self.key]

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.key,
            "lang": self.lang,
            "changed": self.changed,
            "old": self.old,
            "new": self.new,
        }


def word_diff(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """Segments of the old and new text, marking the words deleted and inserted."""
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    left: list[Segment] = []
    right: list[Segment] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            _add(left, "equal", "".join(a[i1:i2]))
            _add(right, "equal", "".join(b[j1:j2]))
        else:
            if i2 > i1:
                _add(left, "delete", "".join(a[i1:i2]))
            if j2 > j1:
                _add(right, "insert", "".join(b[j1:j2]))
    return _join_gaps(left), _join_gaps(right)


def _join_gaps(segments: list[Segment]) -> list[Segment]:
    """Merge a lone space between two changed words into the change ("moins 80", not two)."""
    result: list[Segment] = []
    for segment in segments:
        if (
            len(result) >= 2
            and segment.op != "equal"
            and result[-1].op == "equal"
            and not result[-1].text.strip()
            and result[-2].op == segment.op
        ):
            gap = result.pop()
            result[-1].text += gap.text + segment.text
        else:
            result.append(Segment(segment.op, segment.text))
    return result


def _add(segments: list[Segment], op: str, text: str) -> None:
    if not text:
        return
    if segments and segments[-1].op == op:
        segments[-1].text += text
    else:
        segments.append(Segment(op, text))


# ------------------------------------------------------------------------------------------------
# Readable lines for structured fields


def _title(enum_cls: Any, value: Any) -> str:
    try:
        return enum_cls(value).title
    except ValueError:
        return str(value or "")


def _number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def parameter_lines(parameters: list[dict[str, Any]], lang: str) -> str:
    """One readable line per parameter: name, type, label, bounds, options, default, help."""
    from portal.clauses.rendering import format_value

    lines = []
    for p in parameters or []:
        kind = _title(ParamType, p.get("type"))
        parts = [f"{p.get('name')} ({kind}): {(p.get('label') or {}).get(lang, '')}"]
        unit = (p.get("unit") or {}).get(lang, "")
        if p.get("min") is not None or p.get("max") is not None:
            parts.append(f"{_number(p.get('min'))}–{_number(p.get('max'))} {unit}".strip())
        if p.get("max_length"):
            parts.append(f"≤ {p['max_length']}")
        options = [o["label"].get(lang, "") for o in p.get("options") or []]
        if options:
            parts.append(" / ".join(options))
        default = p.get("default")
        if isinstance(default, dict):
            default = default.get(lang, "")
        try:
            shown = format_value(p, default, lang) if default not in (None, "") else ""
        except (ValueError, KeyError, TypeError, ArithmeticError):
            shown = str(default)
        parts.append(f"{DEFAULT_LABEL}: {shown}")
        if p.get("help"):
            parts.append(p["help"].get(lang, ""))
        lines.append(" · ".join(x for x in parts if x))
    return "\n".join(lines)


def verification_lines(items: list[dict[str, Any]], lang: str) -> str:
    return "\n".join(
        f"{_title(Evidence, v.get('evidence'))}, {_title(Stage, v.get('stage'))}: "
        f"{v.get('what', {}).get(lang, '')} — {v.get('how', {}).get(lang, '')}"
        for v in items or []
    )


def legal_lines(items: list[dict[str, Any]], lang: str) -> str:
    return "\n".join(legal_reference(b, lang) for b in items or [])


def _weight(data: dict[str, Any]) -> str:
    award = data.get("award")
    if not award:
        return ""
    w = award["weight"]
    return f"{w['min']}–{w['max']} ({w['suggested']})"


def flatten(data: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    """``(field key, language or None, readable text)`` for every field of a version."""
    g = data.get("guidance") or {}
    award = data.get("award") or {}
    rows: list[tuple[str, str | None, str]] = [
        ("family", None, _title(Family, data.get("family"))),
        ("placement", None, _title(Placement, data.get("placement"))),
        ("ambition", None, _title(Ambition, data.get("ambition"))),
        ("facilitator", None, _title(Facilitator, data.get("facilitator"))),
        ("categories", None, ", ".join(data.get("categories") or [])),
        ("cpv", None, ", ".join(data.get("cpv") or [])),
        ("award.weight", None, _weight(data)),
        ("guidance.market_readiness", None, _title(MarketReadiness, g.get("market_readiness"))),
        ("guidance.cost_effect", None, _title(CostEffect, g.get("cost_effect"))),
        ("guidance.reviewed_on", None, str(g.get("reviewed_on") or "")),
        ("retired", None, "✓" if data.get("retired") else ""),
    ]
    for lang in LANGS:
        rows += [
            ("title", lang, (data.get("title") or {}).get(lang, "")),
            ("text", lang, (data.get("text") or {}).get(lang, "")),
            ("parameters", lang, parameter_lines(data.get("parameters") or [], lang)),
            ("award.scoring", lang, (award.get("scoring") or {}).get(lang, "")),
            ("verification", lang, verification_lines(data.get("verification") or [], lang)),
            ("guidance.when_to_use", lang, (g.get("when_to_use") or {}).get(lang, "")),
            ("guidance.market", lang, (g.get("market") or {}).get(lang, "")),
            ("guidance.cost", lang, (g.get("cost") or {}).get(lang, "")),
            ("guidance.pitfalls", lang, (g.get("pitfalls") or {}).get(lang, "")),
            ("legal_basis", lang, legal_lines(data.get("legal_basis") or [], lang)),
            ("change_note", lang, (data.get("change_note") or {}).get(lang, "")),
        ]
    return rows


def diff_data(old: dict[str, Any], new: dict[str, Any]) -> list[FieldDiff]:
    """Every field of two versions, in display order, with word-level segments."""
    order = list(FIELD_LABELS)
    old_rows = {(k, lang): text for k, lang, text in flatten(old)}
    result = []
    for key, lang, new_text in flatten(new):
        old_text = old_rows.get((key, lang), "")
        if not old_text and not new_text:
            continue
        left, right = word_diff(old_text, new_text)
        result.append(FieldDiff(key, lang, old_text, new_text, left, right))
    lang_order = {None: 0, "fr": 1, "nl": 2, "en": 3}
    result.sort(key=lambda d: (lang_order[d.lang], order.index(d.key)))
    return result
