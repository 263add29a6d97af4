"""Forms of the lots pages. They only read the input: the services check it (amounts with
decimal commas, CPV codes, municipalities, dates, overlapping thresholds) and their messages land
on the fields through :func:`portal.forms.apply_errors`.

The lot editor is not a WTForms form: its fields depend on the items and lots of the dossier
(``item-<id>``, ``title-<n>-<lang>``...); :func:`portal.lots.services.draft_from_form` reads it.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField

from portal.forms import MultiCheckboxField, choices
from portal.i18n import _l
from portal.lots.messages import CONTRACT_TYPE_LABELS, REGIME_LABELS, THRESHOLD_KIND_LABELS
from portal.lots.parsing import MAX_DESCRIPTION, MAX_SITE, MAX_UNIT
from portal.lots.rules import ContractType, ThresholdKind
from portal.reference.models import AuthorityKind
from portal.reference.services import MUNICIPALITIES


class Required:
    """Mark a field as required (label and ``required`` attribute); the service checks it."""

    field_flags = {"required": True}

    def __call__(self, form: Any, field: Any) -> None:
        return None


_AMOUNT = {"inputmode": "decimal", "autocomplete": "off", "class": "lots-amount"}
_COUNT = {"inputmode": "numeric", "autocomplete": "off", "class": "lots-count"}


class ItemForm(FlaskForm):
    description = StringField(
        _l("Description"),
        validators=[Required()],
        render_kw={"maxlength": MAX_DESCRIPTION, "autocomplete": "off"},
    )
    cpv = StringField(
        _l("CPV code"),
        validators=[Required()],
        description=_l("A code of the CPV 2008 list, such as 90911200-8. Type words to search."),
        render_kw={
            "autocomplete": "off",
            "list": "cpv-options",
            "data-cpv-autocomplete": "",
            "class": "lots-cpv",
        },
    )
    value = StringField(
        _l("Estimated value excluding VAT (EUR)"),
        validators=[Required()],
        description=_l("For the whole duration of the contract, for example 12 500,00."),
        render_kw=_AMOUNT,
    )
    quantity = StringField(_l("Quantity"), default="1", render_kw=_AMOUNT)
    unit = StringField(
        _l("Unit"),
        validators=[Required()],
        description=_l("For example m², hours, pieces or lump sum."),
        render_kw={"maxlength": MAX_UNIT, "autocomplete": "off", "class": "lots-count"},
    )
    municipality = SelectField(_l("Municipality"), validate_choice=False)
    site = StringField(
        _l("Site"),
        description=_l("A named site, such as a school or a sports hall (optional)."),
        render_kw={"maxlength": MAX_SITE, "autocomplete": "off"},
    )
    period_start = StringField(
        _l("Start of the item's own period"),
        description=_l("Only when the item runs for a different period than the contract."),
        render_kw={"type": "date"},
    )
    period_end = StringField(_l("End of the item's own period"), render_kw={"type": "date"})

    def set_municipalities(self, lang: str) -> None:
        names = [(m.code, m.name_nl if lang == "nl" else m.name_fr) for m in MUNICIPALITIES]
        self.municipality.choices = choices([("", _l("None"))] + sorted(names, key=lambda x: x[1]))


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV or XLSX file"),
        validators=[Required()],
        render_kw={
            "accept": ".csv,.xlsx,text/csv,"
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        },
    )
    mode = RadioField(
        _l("What to do with the items already in the dossier"),
        choices=choices(
            [
                ("append", _l("Keep them and add the file's items after them")),
                ("replace", _l("Replace them by the file's items")),
            ]
        ),
        default="append",
    )


class OptionsForm(FlaskForm):
    divide = BooleanField(
        _l("Divide the contract into lots"),
        description=_l(
            "Untick to keep one single contract: you will then state the main reasons "
            "(law of 17 June 2016, art. 58)."
        ),
    )
    target_lot_size = StringField(
        _l("Target lot size (yearly value, EUR)"),
        description=_l(
            "The yearly value an SME can carry. Empty: €1,000,000, the most a "
            "micro-enterprise carries at a turnover of twice the value."
        ),
        render_kw=_AMOUNT,
    )
    duration_months = StringField(
        _l("Duration of the contract (months)"),
        description=_l("Used to turn values for the whole duration into yearly values."),
        render_kw=_COUNT,
    )
    max_lots_bid = StringField(
        _l("Most lots one tenderer may bid for"),
        description=_l("Empty: no limit."),
        render_kw=_COUNT,
    )
    max_lots_awarded = StringField(
        _l("Most lots one tenderer may be awarded"),
        description=_l(
            "Empty: no limit. With a limit, the notice states the objective rule that decides "
            "which lots a tenderer gets (Dir. 2014/24/EU art. 46(2))."
        ),
        render_kw=_COUNT,
    )
    combined_bids = BooleanField(
        _l("Allow combined bids for several lots"),
        description=_l("Several lots may be awarded together (Dir. 2014/24/EU art. 46(3))."),
    )
    coordination_lot = BooleanField(
        _l("Add a coordination lot"),
        description=_l(
            "One firm keeps the shared schedule and the interfaces, so that small firms can "
            "take single lots."
        ),
    )
    coordination_value = StringField(
        _l("Estimated value of the coordination lot (EUR)"),
        description=_l("Counted in the value of all lots."),
        render_kw=_AMOUNT,
    )
    turnover_requirement = StringField(
        _l("Minimum yearly turnover you intend to require (EUR)"),
        description=_l("Optional: each lot is checked against it (Dir. 2014/24/EU art. 58(3))."),
        render_kw=_AMOUNT,
    )
    annex_xiv_services = BooleanField(
        _l("Social and other specific services (Annex XIV, light regime)"),
    )


class ThresholdForm(FlaskForm):
    regime = SelectField(
        _l("Regime"),
        validators=[Required()],
        choices=choices([(code, label) for code, label in REGIME_LABELS.items()]),
        validate_choice=False,
    )
    kind = SelectField(
        _l("What it decides"),
        validators=[Required()],
        choices=choices([(k.value, THRESHOLD_KIND_LABELS[k]) for k in ThresholdKind]),
        validate_choice=False,
    )
    contract_types = MultiCheckboxField(
        _l("Contract types"),
        validators=[Required()],
        choices=choices([(t.value, CONTRACT_TYPE_LABELS[t]) for t in ContractType]),
        validate_choice=False,
    )
    authority_kinds = MultiCheckboxField(
        _l("Kinds of authority"),
        choices=choices(
            [
                (AuthorityKind.central.value, _l("Central government authorities")),
                (AuthorityKind.sub_central.value, _l("Sub-central authorities")),
            ]
        ),
        validate_choice=False,
    )
    amount = StringField(
        _l("Amount excluding VAT (EUR)"),
        validators=[Required()],
        description=_l("“Below the threshold” means strictly less than this amount."),
        render_kw=_AMOUNT,
    )
    valid_from = StringField(_l("Valid from"), validators=[Required()], render_kw={"type": "date"})
    valid_to = StringField(
        _l("Valid until"),
        description=_l("Inclusive. Empty: until further notice."),
        render_kw={"type": "date"},
    )
    legal_act = TextAreaField(
        _l("Legal act"),
        validators=[Required()],
        description=_l("For example: Commission Delegated Regulation (EU) 2025/2152."),
        render_kw={"maxlength": 500, "rows": 2},
    )
    source_status = TextAreaField(
        _l("Source and its reliability"),
        validators=[Required()],
        description=_l(
            "Start with “official” only when the figure was read in the official text "
            "(EUR-Lex, Justel); otherwise name the secondary source."
        ),
        render_kw={"maxlength": 500, "rows": 2},
    )
