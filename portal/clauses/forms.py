"""Forms of the clause library: the draft editor (with typed parameter editors), feedback,
comments, review decisions, mandatory criteria, and the parameter-values form that the clause
page (and the tender builder) generate from a version's parameter types.

The editor converts its fields to file-shaped data (:func:`form_to_data`) and back
(:func:`data_to_form`); the services validate that data with the clause file format's rules and
their errors are put back on the fields (:func:`apply_content_errors`).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
)

from portal.clauses.content import LANGS, LANGUAGE_TITLES
from portal.clauses.models import FEEDBACK_KIND_TITLES, FeedbackKind
from portal.clauses.schema import MAX_SHORT, MAX_TEXT
from portal.clauses.vocabulary import (
    AMBITION_TITLES,
    COST_TITLES,
    EVIDENCE_TITLES,
    FACILITATOR_TITLES,
    FAMILY_TITLES,
    LEGAL_INSTRUMENTS,
    PARAM_TYPE_TITLES,
    PLACEMENT_TITLES,
    READINESS_TITLES,
    STAGE_TITLES,
    ParamType,
)
from portal.errors import ValidationError
from portal.forms import MultiCheckboxField, choices
from portal.i18n import _l, current_lang
from portal.reference.services import normalise_cpv

NUMERIC_TYPES = ("integer", "decimal", "percentage", "money")
CHOICE_TYPES = ("choice", "multichoice")
#: Generous form limits: the file format's own limits give the precise message.
SHORT = MAX_SHORT + 100
LONG = MAX_TEXT + 100


class Required(InputRequired):
    """A value must be given; only spaces count as none ("This field is required.", not "Not a
    valid choice." for a select that received blanks)."""

    def __call__(self, form: Any, field: Any) -> None:
        if field.raw_data and str(field.raw_data[0]).strip():
            return
        field.errors[:] = []
        raise StopValidation(self.message or field.gettext("This field is required."))


def _localized_fields(
    prefix: str, label: Any, long: bool = False, description: Any = None
) -> dict[str, Any]:
    field_cls = TextAreaField if long else StringField
    limit = LONG if long else SHORT
    return {
        f"{prefix}_{lang}": field_cls(
            _l("%(field)s (%(language)s)", field=label, language=LANGUAGE_TITLES[lang]),
            validators=[Optional(), Length(max=limit)],
            description=description if lang == "fr" else None,
            render_kw={"lang": lang},
        )
        for lang in LANGS
    }


def _with_localized(name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> type:
    return type(name, bases, attrs)


class SubForm(Form):
    """A form nested in another one (an editor list entry, the parameter values).

    Plain WTForms forms answer in English ("Not a valid choice."); this one takes the built-in
    messages in the user's language, as :class:`FlaskForm` does.
    """

    class Meta:
        def get_translations(self, form: Any) -> Any:
            from flask import current_app, has_request_context

            if not has_request_context() or not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)  # type: ignore[misc]
            from flask_wtf.i18n import translations

            return translations


ParameterForm = _with_localized(
    "ParameterForm",
    (SubForm,),
    {
        "name": StringField(
            _l("Name in the text"),
            validators=[Optional(), Length(max=60)],
            description=_l(
                "Written as {{ name }} in every language: lower-case letters, digits and "
                "underscores."
            ),
        ),
        "type": SelectField(
            _l("Type"),
            choices=choices((t.value, PARAM_TYPE_TITLES[t]) for t in ParamType),
            validators=[Required()],
        ),
        **_localized_fields("label", _l("Label")),
        **_localized_fields("help", _l("Help for the buyer")),
        **_localized_fields("unit", _l("Unit")),
        "min": StringField(_l("Minimum"), validators=[Optional(), Length(max=30)]),
        "max": StringField(_l("Maximum"), validators=[Optional(), Length(max=30)]),
        "max_length": StringField(
            _l("Maximum length (characters)"), validators=[Optional(), Length(max=6)]
        ),
        "default": StringField(
            _l("Default value"),
            validators=[Optional(), Length(max=600)],
            description=_l(
                "A number; for a choice, the value of an option; for several options, their "
                "values separated by commas."
            ),
        ),
        **_localized_fields("default", _l("Default text")),
        "options": TextAreaField(
            _l("Options"),
            validators=[Optional(), Length(max=LONG)],
            description=_l(
                "One option per line: value | French label | Dutch label | English label."
            ),
        ),
        "conjunction": SelectField(
            _l("Join the chosen options with"),
            choices=choices(
                [("", _l("(not a multiple choice)")), ("or", _l("or")), ("and", _l("and"))]
            ),
            validators=[Optional()],
        ),
    },
)

VerificationForm = _with_localized(
    "VerificationForm",
    (SubForm,),
    {
        "evidence": SelectField(
            _l("Evidence"),
            choices=choices((k.value, v) for k, v in EVIDENCE_TITLES.items()),
            validators=[Required()],
        ),
        "stage": SelectField(
            _l("When the buyer checks it"),
            choices=choices((k.value, v) for k, v in STAGE_TITLES.items()),
            validators=[Required()],
        ),
        **_localized_fields("what", _l("What the tenderer provides"), long=True),
        **_localized_fields("how", _l("How the buyer checks it"), long=True),
    },
)


class LegalBasisForm(SubForm):
    instrument = SelectField(_l("Legal instrument"), validators=[Required()])
    article = StringField(
        _l("Article"),
        validators=[Optional(), Length(max=80)],
        description=_l(
            "In English, as in the clause files: “art. 53 and 54”, “art. 12 to 12/4”, "
            "“Annex XII, Part II”. The pages give the connecting words in the reader's language."
        ),
    )


ClauseForm = _with_localized(
    "ClauseForm",
    (FlaskForm,),
    {
        "family": SelectField(_l("Family"), validators=[Required()]),
        "placement": SelectField(
            _l("Placement in the tender"),
            choices=choices((k.value, v) for k, v in PLACEMENT_TITLES.items()),
            validators=[Required()],
        ),
        "ambition": SelectField(
            _l("Ambition level"),
            choices=choices((k.value, v) for k, v in AMBITION_TITLES.items()),
            validators=[Required()],
        ),
        "facilitator": SelectField(
            _l("Responsible facilitator"),
            choices=choices((k.value, v) for k, v in FACILITATOR_TITLES.items()),
            validators=[Required()],
        ),
        "categories": MultiCheckboxField(
            _l("Categories"),
            description=_l(
                "A new clause for one category gets a code with that category's prefix "
                "(CLEAN-…); a clause for several categories gets GEN-…"
            ),
        ),
        "cpv": TextAreaField(
            _l("Extra CPV codes"),
            validators=[Optional(), Length(max=2000)],
            description=_l(
                "Only codes the clause is specific to, separated by spaces or new lines "
                "(the categories' codes apply anyway). For example: 39830000-9."
            ),
            render_kw={"rows": 2},
        ),
        **_localized_fields("title", _l("Title")),
        **_localized_fields(
            "text",
            _l("Text of the clause"),
            long=True,
            description=_l(
                "Plain text as it goes into the tender documents. Separate paragraphs with a "
                "blank line; write parameters as {{ name }}. A word that agrees with a "
                "whole number is written {{ name | singular | plural }}, for example "
                "{{ references | reference | references }}."
            ),
        ),
        "parameters": FieldList(FormField(ParameterForm), min_entries=0),
        "award_weight_min": IntegerField(
            _l("Lowest suggested weight"), validators=[Optional(), NumberRange(min=0, max=100)]
        ),
        "award_weight_suggested": IntegerField(
            _l("Suggested weight"), validators=[Optional(), NumberRange(min=0, max=100)]
        ),
        "award_weight_max": IntegerField(
            _l("Highest suggested weight"), validators=[Optional(), NumberRange(min=0, max=100)]
        ),
        **_localized_fields("award_scoring", _l("Scoring method"), long=True),
        "verification": FieldList(FormField(VerificationForm), min_entries=1),
        **_localized_fields("guidance_when_to_use", _l("When to use it"), long=True),
        "market_readiness": SelectField(
            _l("Market readiness"),
            choices=choices((k.value, v) for k, v in READINESS_TITLES.items()),
            validators=[Required()],
        ),
        **_localized_fields("guidance_market", _l("What the market offers"), long=True),
        "cost_effect": SelectField(
            _l("Effect on cost"),
            choices=choices((k.value, v) for k, v in COST_TITLES.items()),
            validators=[Required()],
        ),
        **_localized_fields("guidance_cost", _l("Cost and life-cycle cost"), long=True),
        **_localized_fields("guidance_pitfalls", _l("Pitfalls"), long=True),
        "guidance_reviewed_on": DateField(_l("Guidance reviewed on"), validators=[Required()]),
        "legal_basis": FieldList(FormField(LegalBasisForm), min_entries=1),
        **_localized_fields(
            "change_note",
            _l("Change note"),
            description=_l("What this version changes, for the buyers who used the previous one."),
        ),
        "lock_version": HiddenField(),
    },
)

#: Lists of the editor that have "add" and "remove" buttons.
LISTS = ("parameters", "verification", "legal_basis")


def set_choices(form: Any, *, families: list[Any], categories: list[Any]) -> None:
    """Fill the choices that depend on the request (languages, the actor's families)."""
    from portal.i18n import localized

    form.family.choices = choices((f.value, FAMILY_TITLES[f]) for f in families)
    form.categories.choices = choices((c.code, localized(c, "name")) for c in categories)
    lang = current_lang()
    instruments = choices(
        (key, titles.get(lang) or titles["fr"]) for key, titles in LEGAL_INSTRUMENTS.items()
    )
    for entry in form.legal_basis:
        entry.form.instrument.choices = instruments
    form.instrument_choices = instruments


# ------------------------------------------------------------------------------------------------
# Form <-> file-shaped data


def _loc(values: dict[str, Any], prefix: str) -> dict[str, str]:
    return {lang: (values.get(f"{prefix}_{lang}") or "").strip() for lang in LANGS}


def _optional_loc(values: dict[str, Any], prefix: str) -> dict[str, str] | None:
    loc = _loc(values, prefix)
    return loc if any(loc.values()) else None


def _number(raw: Any) -> Any:
    text = str(raw or "").strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return str(raw).strip()
    if not value.is_finite():
        return str(raw).strip()
    return int(value) if value == value.to_integral_value() else float(value)


def _options(raw: str) -> list[dict[str, Any]]:
    result = []
    for line in (raw or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        parts += [""] * (4 - len(parts))
        result.append({"value": parts[0], "label": dict(zip(LANGS, parts[1:4], strict=True))})
    return result


def parameter_data(values: dict[str, Any]) -> dict[str, Any]:
    kind = values.get("type") or ""
    param: dict[str, Any] = {
        "name": (values.get("name") or "").strip(),
        "type": kind,
        "label": _loc(values, "label"),
    }
    for key in ("help", "unit"):
        loc = _optional_loc(values, key)
        if loc:
            param[key] = loc
    if kind in NUMERIC_TYPES:
        param["min"] = _number(values.get("min"))
        param["max"] = _number(values.get("max"))
        param["default"] = _number(values.get("default"))
    elif kind == "text":
        param["max_length"] = _number(values.get("max_length"))
        param["default"] = _loc(values, "default")
    else:
        param["options"] = _options(values.get("options") or "")
        default = (values.get("default") or "").strip()
        if kind == "multichoice":
            param["default"] = [d for d in re.split(r"[\s,;]+", default) if d]
            if values.get("conjunction"):
                param["conjunction"] = values["conjunction"]
        else:
            param["default"] = default
    return {k: v for k, v in param.items() if v is not None}


def form_to_data(form: Any) -> dict[str, Any]:
    """The editor's fields as file-shaped clause data (not yet validated)."""
    d = form.data
    data: dict[str, Any] = {
        "family": d.get("family") or "",
        "placement": d.get("placement") or "",
        "ambition": d.get("ambition") or "",
        "categories": list(d.get("categories") or []),
        "facilitator": d.get("facilitator") or "",
        "title": _loc(d, "title"),
        "text": _loc(d, "text"),
    }
    cpv = [normalise_cpv(c) for c in re.split(r"[\s,;]+", d.get("cpv") or "") if c]
    if cpv:
        data["cpv"] = cpv
    data["parameters"] = [parameter_data(p) for p in d.get("parameters") or []]
    weights = [d.get(f"award_weight_{k}") for k in ("min", "suggested", "max")]
    scoring = _loc(d, "award_scoring")
    if data["placement"] == "award" and (
        any(w is not None for w in weights) or any(scoring.values())
    ):
        data["award"] = {
            "weight": {
                "min": d.get("award_weight_min"),
                "max": d.get("award_weight_max"),
                "suggested": d.get("award_weight_suggested"),
            },
            "scoring": _loc(d, "award_scoring"),
        }
    data["verification"] = [
        {
            "evidence": v.get("evidence") or "",
            "stage": v.get("stage") or "",
            "what": _loc(v, "what"),
            "how": _loc(v, "how"),
        }
        for v in d.get("verification") or []
    ]
    reviewed = d.get("guidance_reviewed_on")
    data["guidance"] = {
        "when_to_use": _loc(d, "guidance_when_to_use"),
        "market_readiness": d.get("market_readiness") or "",
        "market": _loc(d, "guidance_market"),
        "cost_effect": d.get("cost_effect") or "",
        "cost": _loc(d, "guidance_cost"),
        "pitfalls": _loc(d, "guidance_pitfalls"),
        "reviewed_on": reviewed.isoformat() if reviewed else None,
    }
    data["legal_basis"] = [
        {"instrument": b.get("instrument") or "", "article": (b.get("article") or "").strip()}
        for b in d.get("legal_basis") or []
    ]
    data["change_note"] = _loc(d, "change_note")
    return data


def _plain_number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def data_to_form(data: dict[str, Any]) -> dict[str, Any]:
    """File-shaped clause data as the editor's field values (``ClauseForm(data=...)``)."""
    from datetime import date

    def spread(prefix: str, loc: dict[str, str] | None) -> dict[str, str]:
        return {f"{prefix}_{lang}": (loc or {}).get(lang, "") for lang in LANGS}

    guidance = data.get("guidance") or {}
    award = data.get("award") or {}
    weight = award.get("weight") or {}
    reviewed = guidance.get("reviewed_on")
    values: dict[str, Any] = {
        "family": data.get("family"),
        "placement": data.get("placement"),
        "ambition": data.get("ambition"),
        "facilitator": data.get("facilitator"),
        "categories": list(data.get("categories") or []),
        "cpv": "\n".join(data.get("cpv") or []),
        **spread("title", data.get("title")),
        **spread("text", data.get("text")),
        "award_weight_min": weight.get("min"),
        "award_weight_suggested": weight.get("suggested"),
        "award_weight_max": weight.get("max"),
        **spread("award_scoring", award.get("scoring")),
        **spread("guidance_when_to_use", guidance.get("when_to_use")),
        "market_readiness": guidance.get("market_readiness"),
        **spread("guidance_market", guidance.get("market")),
        "cost_effect": guidance.get("cost_effect"),
        **spread("guidance_cost", guidance.get("cost")),
        **spread("guidance_pitfalls", guidance.get("pitfalls")),
        "guidance_reviewed_on": date.fromisoformat(reviewed)
        if isinstance(reviewed, str)
        else reviewed,
        **spread("change_note", data.get("change_note")),
        "parameters": [],
        "verification": [
            {
                "evidence": v.get("evidence"),
                "stage": v.get("stage"),
                **spread("what", v.get("what")),
                **spread("how", v.get("how")),
            }
            for v in data.get("verification") or []
        ],
        "legal_basis": [
            {"instrument": b.get("instrument"), "article": b.get("article")}
            for b in data.get("legal_basis") or []
        ],
    }
    for p in data.get("parameters") or []:
        default = p.get("default")
        entry = {
            "name": p.get("name"),
            "type": p.get("type"),
            **spread("label", p.get("label")),
            **spread("help", p.get("help")),
            **spread("unit", p.get("unit")),
            "min": _plain_number(p.get("min")),
            "max": _plain_number(p.get("max")),
            "max_length": _plain_number(p.get("max_length")),
            "default": (
                ", ".join(default)
                if isinstance(default, list)
                else ""
                if isinstance(default, dict)
                else _plain_number(default)
            ),
            **spread("default", default if isinstance(default, dict) else None),
            "options": "\n".join(
                " | ".join([o["value"], *(o["label"].get(lang, "") for lang in LANGS)])
                for o in p.get("options") or []
            ),
            "conjunction": p.get("conjunction") or "",
        }
        values["parameters"].append(entry)
    return values


def flatten_form(values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """The editor's field values as a browser would post them (``parameters-0-name``...)."""
    flat: dict[str, Any] = {}
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for index, item in enumerate(value):
                flat.update(flatten_form(item, f"{name}-{index}-"))
        elif isinstance(value, list):
            flat[name] = [str(v) for v in value]
        elif value is None:
            flat[name] = ""
        elif hasattr(value, "isoformat"):
            flat[name] = value.isoformat()
        else:
            flat[name] = str(value)
    return flat


# ------------------------------------------------------------------------------------------------
# Errors back onto the fields


_TOP = {"family", "placement", "ambition", "facilitator", "categories", "cpv"}


def _entry(form: Any, list_name: str, index: str) -> Any:
    entries = form[list_name].entries
    if not index.isdigit() or int(index) >= len(entries):
        return None
    return entries[int(index)].form


def _field_for(form: Any, parts: list[str]) -> tuple[Any, Any]:
    """``(field, entry)`` for a dotted path: the field to show the error on, or the list entry."""
    head = parts[0]
    if head in _TOP:
        return form[head], None
    if head in ("title", "text", "change_note") and len(parts) == 2:
        return form[f"{head}_{parts[1]}"], None
    if head == "award":
        if len(parts) == 3 and parts[1] == "scoring":
            return form[f"award_scoring_{parts[2]}"], None
        if len(parts) == 3 and parts[1] == "weight" and parts[2] in ("min", "max", "suggested"):
            return form[f"award_weight_{parts[2]}"], None
        return form.award_weight_suggested, None
    if head == "guidance" and len(parts) >= 2:
        if parts[1] in ("market_readiness", "cost_effect"):
            return form[parts[1]], None
        if parts[1] == "reviewed_on":
            return form.guidance_reviewed_on, None
        if len(parts) == 3:
            name = f"guidance_{parts[1]}_{parts[2]}"
            return form._fields.get(name), None
    if head in LISTS and len(parts) >= 2:
        entry = _entry(form, head, parts[1])
        if entry is None:
            return None, None
        rest = parts[2:]
        if not rest:
            return None, entry
        if len(rest) >= 2 and rest[-1] in LANGS and f"{rest[0]}_{rest[-1]}" in entry:
            return entry[f"{rest[0]}_{rest[-1]}"], entry
        if rest[0] == "options":
            return entry["options"], entry
        if rest[0] in entry:
            return entry[rest[0]], entry
        return None, entry
    return None, None


def apply_content_errors(form: Any, exc: ValidationError) -> None:
    """Put a content ValidationError (dotted file paths) onto the editor's fields."""
    for path, messages in exc.errors.items():
        texts = [str(m) for m in messages]
        parts = [p for p in path.split(".") if p] if path else []
        target, entry = _field_for(form, parts) if parts else (None, None)
        if target is not None:
            target.errors = list(target.errors or []) + texts
        elif entry is not None:
            entry.entry_errors = list(getattr(entry, "entry_errors", [])) + texts
        else:
            label = ""
            if parts and parts[0] in LISTS:
                label = f"{form[parts[0]].label.text}: "
            form.form_errors = list(getattr(form, "form_errors", [])) + [label + t for t in texts]


ENTRY_LABELS = {
    "parameters": _l("Parameter %(n)d"),
    "verification": _l("Verification %(n)d"),
    "legal_basis": _l("Legal basis %(n)d"),
}


def error_labels(data: dict[str, Any], errors: dict[str, Any]) -> dict[str, str]:
    """The editor's label of each dotted error path (``change_note.nl`` -> "Change note
    (Dutch)", ``parameters.0.label.nl`` -> "Parameter 1, Label (Dutch)"), for messages shown
    outside the editor (submitting a draft). Unknown paths are left out."""
    form = ClauseForm(formdata=None, data=data_to_form(data), meta={"csrf": False})
    labels: dict[str, str] = {}
    for path in errors:
        parts = [p for p in str(path).split(".") if p]
        if not parts:
            continue
        target, entry = _field_for(form, parts)
        prefix = ""
        if parts[0] in LISTS and len(parts) > 1 and parts[1].isdigit():
            prefix = str(ENTRY_LABELS[parts[0]]) % {"n": int(parts[1]) + 1}
        if target is not None:
            text = str(target.label.text)
            labels[path] = f"{prefix}, {text}" if prefix else text
        elif prefix:
            labels[path] = prefix
        elif parts[0] in LISTS:
            labels[path] = str(form[parts[0]].label.text)
    return labels


# ------------------------------------------------------------------------------------------------
# Small forms


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"), validators=[DataRequired(), Length(max=4000)], render_kw={"rows": 3}
    )


class PublishForm(FlaskForm):
    #: The version's ``lock_version`` when the reviewer opened the page.
    lock_version = HiddenField()


class RejectForm(FlaskForm):
    comment = TextAreaField(
        _l("What must change before publication"),
        validators=[DataRequired(), Length(max=4000)],
        render_kw={"rows": 3},
    )
    lock_version = HiddenField()


def lock_of(form: Any) -> int:
    """The ``lock_version`` a form posted; 0 (never a real one) when missing or malformed."""
    try:
        return int(str(form.lock_version.data or "0").strip())
    except ValueError:
        return 0


class RetireForm(FlaskForm):
    reason = TextAreaField(
        _l("Why the clause is withdrawn"),
        validators=[DataRequired(), Length(max=4000)],
        render_kw={"rows": 3},
    )


class FeedbackForm(FlaskForm):
    kind = RadioField(
        _l("How did this clause work for you?"),
        choices=choices((k.value, FEEDBACK_KIND_TITLES[k]) for k in FeedbackKind),
        validators=[Required()],
    )
    body = TextAreaField(
        _l("What happened, or your suggested wording"),
        validators=[Optional(), Length(max=MAX_TEXT)],
        description=_l(
            "Plain text. Required unless the clause worked without problems. The curators of "
            "this family read it and answer with a new version or a reply."
        ),
        render_kw={"rows": 6},
    )


class CloseFeedbackForm(FlaskForm):
    reply = TextAreaField(
        _l("Reply to the buyer"),
        validators=[DataRequired(), Length(max=4000)],
        render_kw={"rows": 2},
    )


class MandatoryForm(FlaskForm):
    clause = SelectField(_l("Published clause"), validators=[Required()])
    category = SelectField(_l("Category"), validators=[Required()])
    applies_from = DateField(_l("Mandatory from"), validators=[Required()])


class LiftMandatoryForm(FlaskForm):
    last_day = DateField(_l("Last day it applies"), validators=[Required()])


def parameter_form(parameters: list[dict[str, Any]], lang: str, formdata: Any = None) -> Form:
    """A form with one field per clause parameter, generated from the parameter types.

    Numbers get number inputs with their bounds, choices a select, several options checkboxes,
    texts a text input with the maximum length. Values are checked by
    :func:`portal.clauses.services.parameter_values`, not here, so every caller gets the same
    messages.
    """

    class ValuesForm(SubForm):
        pass

    for p in parameters:
        label = (p.get("label") or {}).get(lang) or p["name"]
        unit = (p.get("unit") or {}).get(lang)
        if unit:
            label = f"{label} ({unit})"
        help_text = (p.get("help") or {}).get(lang) or None
        kind = p["type"]
        if kind in NUMERIC_TYPES:
            step = "1" if kind == "integer" else "any"
            field = StringField(
                label,
                description=help_text,
                render_kw={
                    "type": "number",
                    "min": _plain_number(p.get("min")),
                    "max": _plain_number(p.get("max")),
                    "step": step,
                    "inputmode": "decimal",
                },
                default=_plain_number(p.get("default")),
            )
        elif kind == "text":
            field = StringField(
                label,
                description=help_text,
                render_kw={"maxlength": p.get("max_length")},
                default=(p.get("default") or {}).get(lang, ""),
            )
        elif kind == "choice":
            field = SelectField(
                label,
                description=help_text,
                choices=choices(
                    (o["value"], o["label"].get(lang) or o["label"]["fr"]) for o in p["options"]
                ),
                default=p.get("default"),
                validate_choice=False,
            )
        else:
            field = MultiCheckboxField(
                label,
                description=help_text,
                choices=choices(
                    (o["value"], o["label"].get(lang) or o["label"]["fr"]) for o in p["options"]
                ),
                default=p.get("default"),
                validate_choice=False,
            )
        setattr(ValuesForm, p["name"], field)
    return ValuesForm(formdata=formdata, prefix="p")


def parameter_raw_values(form: Form, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    return {p["name"]: form[p["name"]].data for p in parameters if p["name"] in form}
