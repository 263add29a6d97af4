"""Forms of the tender builder. Labels are lazy so that they follow the request's language.

The dossier form only reads the input: the services check it (CPV codes against the official
list, amounts, dates, enumerations) and their messages land on the fields through
:func:`portal.forms.apply_errors`. The clause form is generated from the clause board: one set
of fields per clause, named ``c-<code>-...`` (see :func:`portal.tenders.services.field_name`),
with inputs derived from the parameter types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import FieldList, HiddenField, RadioField, SelectField, StringField, TextAreaField

from portal.clauses.vocabulary import ParamType
from portal.i18n import _l
from portal.tenders.services import ClauseChoice, field_name

NUMERIC = {ParamType.integer, ParamType.decimal, ParamType.percentage, ParamType.money}


class Required:
    """Mark a field as required (label and ``required`` attribute); the service checks it."""

    field_flags = {"required": True}

    def __call__(self, form: Any, field: Any) -> None:  # the service validates
        return None


class DossierForm(FlaskForm):
    authority = SelectField(
        _l("Contracting authority"),
        description=_l("As coordinator, choose the authority the dossier belongs to."),
        validate_choice=False,
    )
    title = StringField(
        _l("Title of the contract"),
        validators=[Required()],
        render_kw={"maxlength": 300, "autocomplete": "off"},
    )
    subject = TextAreaField(
        _l("Subject"),
        description=_l("What is bought, in a few sentences. It goes into the documents."),
        render_kw={"maxlength": 5000, "rows": 4},
    )
    title_nl = StringField(
        _l("Title of the contract in Dutch"),
        description=_l(
            "Required when the documents are in French and Dutch: the Dutch documents print it. "
            "The title above is then the French one."
        ),
        render_kw={"maxlength": 300, "autocomplete": "off", "lang": "nl"},
    )
    subject_nl = TextAreaField(
        _l("Subject in Dutch"),
        description=_l(
            "Required when the documents are in French and Dutch and a subject is given."
        ),
        render_kw={"maxlength": 5000, "rows": 4, "lang": "nl"},
    )
    category = SelectField(
        _l("Procurement category"),
        validators=[Required()],
        description=_l("It decides which clauses are proposed and which are mandatory."),
        validate_choice=False,
    )
    main_cpv = StringField(
        _l("Main CPV code"),
        validators=[Required()],
        description=_l("Type a code or words, such as 90910000-9 or “cleaning”."),
        render_kw={
            "maxlength": 120,
            "autocomplete": "off",
            "data-cpv-autocomplete": "",
            "list": "main-cpv-list",
            "spellcheck": "false",
        },
    )
    additional_cpv = FieldList(
        StringField(
            _l("Additional CPV code"),
            render_kw={
                "maxlength": 120,
                "autocomplete": "off",
                "data-cpv-autocomplete": "",
                "list": "additional-cpv-list",
                "spellcheck": "false",
            },
        ),
        label=_l("Additional CPV codes"),
        description=_l("Optional. One code per box; empty boxes are ignored."),
        min_entries=3,
        max_entries=30,
    )
    estimated_value = StringField(
        _l("Estimated value excluding VAT (euro)"),
        validators=[Required()],
        description=_l("For the whole duration, renewals included, such as 480000 or 480 000,00."),
        render_kw={"inputmode": "decimal", "maxlength": 30, "autocomplete": "off"},
    )
    contract_type = RadioField(
        _l("Type of contract"), validators=[Required()], validate_choice=False
    )
    procedure = SelectField(
        _l("Intended procedure"), validators=[Required()], validate_choice=False
    )
    language = RadioField(
        _l("Language of the documents"), validators=[Required()], validate_choice=False
    )
    publication_date = StringField(
        _l("Planned publication date"),
        description=_l("Optional. It decides which mandatory criteria apply (else today)."),
        render_kw={"type": "date"},
    )
    reference = StringField(
        _l("Internal reference"),
        description=_l("Optional. Your authority's own reference, such as IXL-2027-CLEAN-01."),
        render_kw={"maxlength": 60, "autocomplete": "off"},
    )
    lock_version = HiddenField()

    def data_for_service(self) -> dict[str, Any]:
        data = {
            name: getattr(self, name).data
            for name in (
                "title",
                "subject",
                "title_nl",
                "subject_nl",
                "category",
                "main_cpv",
                "additional_cpv",
                "estimated_value",
                "contract_type",
                "procedure",
                "language",
                "publication_date",
                "reference",
            )
        }
        data["additional_cpv"] = [code for code in data["additional_cpv"] or [] if code]
        return data


class GenerateForm(FlaskForm):
    kind = SelectField(_l("Document"), validate_choice=False)
    lang = RadioField(_l("Language"), validate_choice=False)
    template = SelectField(
        _l("Word template"),
        description=_l("Clausier's template, or one your authority uploaded."),
        validate_choice=False,
    )


class TemplateUploadForm(FlaskForm):
    authority = SelectField(_l("Contracting authority"), validate_choice=False)
    name = StringField(
        _l("Name of the template"),
        validators=[Required()],
        description=_l("Uploading a file under an existing name adds a new version of it."),
        render_kw={"maxlength": 120, "autocomplete": "off"},
    )
    kind = SelectField(_l("What it produces"), validators=[Required()], validate_choice=False)
    file = FileField(
        _l("Word file (.docx)"),
        validators=[Required()],
        render_kw={
            "accept": ".docx,application/vnd.openxmlformats-officedocument."
            "wordprocessingml.document"
        },
    )


# ------------------------------------------------------------------------------------------------
# The clause form


def plain_number(value: Any) -> str:
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    return str(int(number)) if number == number.to_integral_value() else format(number, "f")


@dataclass
class ParamField:
    """One generated input of a clause parameter (rendered by tenders/macros.html)."""

    name: str
    id: str
    #: ``number``, ``text``, ``select`` or ``checkboxes``.
    widget: str
    label: str
    help: str = ""
    unit: str = ""
    value: Any = None
    attrs: dict[str, Any] = field(default_factory=dict)
    options: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def selected(self, option: str) -> bool:
        if isinstance(self.value, list):
            return option in self.value
        return self.value == option


def _loc(mapping: Any, lang: str) -> str:
    if not isinstance(mapping, dict):
        return str(mapping or "")
    return mapping.get(lang) or mapping.get("fr") or ""


def param_fields(
    code: str,
    parameters: list[dict[str, Any]],
    values: dict[str, Any],
    lang: str,
    *,
    submitted: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
) -> list[ParamField]:
    """The inputs of one clause's parameters: number inputs with min/max/step, a select for one
    option, checkboxes for several, text with its maximum length.

    Values shown: what was just submitted (when the form comes back with errors), else the
    stored values, else the defaults (text defaults in the page's language).
    """
    result = []
    for p in parameters:
        kind = ParamType(p["type"])
        name = field_name(code, f"p-{p['name']}")
        if (
            submitted is not None
            and kind == ParamType.multichoice
            and hasattr(submitted, "getlist")
        ):
            value = submitted.getlist(name)
        elif submitted is not None and name in submitted:
            value = submitted[name]
        elif p["name"] in values:
            value = values[p["name"]]
        elif kind == ParamType.text:
            value = _loc(p.get("default"), lang)
        else:
            value = p.get("default")
        item = ParamField(
            name=name,
            id=name,
            widget="text",
            label=_loc(p.get("label"), lang) or p["name"],
            help=_loc(p.get("help"), lang),
            unit=_loc(p.get("unit"), lang),
            errors=[str(e) for e in (errors or {}).get(name, [])],
        )
        if kind in NUMERIC:
            item.widget = "number"
            item.value = plain_number(value) if not isinstance(value, str) else value
            step = "1" if kind == ParamType.integer else "any"
            if kind == ParamType.money:
                step = "0.01"
            item.attrs = {
                "min": plain_number(p.get("min")),
                "max": plain_number(p.get("max")),
                "step": step,
                "inputmode": "numeric" if kind == ParamType.integer else "decimal",
            }
            if kind == ParamType.percentage and not item.unit:
                item.unit = "%"
            if kind == ParamType.money and not item.unit:
                item.unit = "€"
        elif kind == ParamType.text:
            item.value = "" if value is None else str(value)
            item.attrs = {"maxlength": p.get("max_length") or 200}
        else:
            item.widget = "select" if kind == ParamType.choice else "checkboxes"
            item.options = [
                (o["value"], _loc(o.get("label"), lang)) for o in p.get("options") or []
            ]
            if kind == ParamType.multichoice:
                item.value = list(value) if isinstance(value, list | tuple) else [value]
            else:
                item.value = value
        result.append(item)
    return result


def read_choices(form: Any, codes: list[str], params: dict[str, list[dict[str, Any]]]) -> dict:
    """Read the clause form: one :class:`ClauseChoice` per clause whose fields were sent.

    A clause counts as sent when its hidden ``version`` field is in the form (an unchecked
    checkbox sends nothing, so ``include`` alone cannot tell).
    """
    result: dict[str, ClauseChoice] = {}
    for code in codes:
        version_raw = form.get(field_name(code, "version"))
        if version_raw is None:
            continue
        try:
            version_id = int(version_raw)
        except (TypeError, ValueError):
            version_id = None
        values: dict[str, Any] = {}
        for p in params.get(code, []):
            name = field_name(code, f"p-{p['name']}")
            if p["type"] == ParamType.multichoice:
                values[p["name"]] = form.getlist(name)
            else:
                values[p["name"]] = form.get(name, "")
        result[code] = ClauseChoice(
            version_id=version_id,
            include=form.get(field_name(code, "include")) == "1",
            values=values,
            weight=form.get(field_name(code, "weight")),
            justification=form.get(field_name(code, "justification"), "")[:5000],
        )
    return result
