"""Words for every code the lot-split advisor emits, in the visitor's language (FR, NL, EN).

The pure core (:mod:`portal.lots.advisor`, :mod:`portal.lots.rules`) returns codes and
parameters: field-error codes, check codes with their status and parameters, explanation codes,
SME reasons, procedures, coordination tasks and interactions. This module turns them into
plain-language messages with gettext, for the pages and the API. Document wording, in the
dossier's language, lives in :mod:`portal.lots.document`.

Every mapping here is complete: ``tests/lots/test_messages.py`` makes the core emit every code
it can and checks that each one has its own message (never the generic fallback).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.lists import format_list
from flask_babel import get_locale

from portal.companies.models import CompanySize
from portal.i18n import _, _l, format_money, ngettext
from portal.lots.advisor import FieldError, Strategy
from portal.lots.rules import (
    Check,
    CheckStatus,
    ContractType,
    NonDivisionReason,
    Procedure,
    ThresholdKind,
)

# ------------------------------------------------------------------------------------------------
# Labels of the core's enums

STRATEGY_LABELS = {
    Strategy.trade: _l("By trade"),
    Strategy.geography: _l("By place"),
    Strategy.size: _l("By size"),
    Strategy.single_lot: _l("Single lot"),
    Strategy.manual: _l("Edited by hand"),
}

STRATEGY_DESCRIPTIONS = {
    Strategy.trade: _l(
        "Items of the same trade (CPV group) together; a lot never mixes CPV divisions."
    ),
    Strategy.geography: _l(
        "Items of the same place (municipality or site) together, so that one firm can do "
        "everything on a site."
    ),
    Strategy.size: _l(
        "Small items in smaller lots, one SME size class below the target, so that "
        "micro-enterprises can bid for them; larger items in lots of the target size."
    ),
    Strategy.single_lot: _l("One single lot: the contract is not divided."),
    Strategy.manual: _l("Lots as you arranged them."),
}

PROCEDURE_LABELS = {
    Procedure.accepted_invoice: _l("Low-value contract (accepted invoice)"),
    Procedure.negotiated_without_publication: _l("Negotiated procedure without prior publication"),
    Procedure.light_regime: _l("Light regime, no prior publication required"),
    Procedure.national_publication: _l("Open or restricted procedure, Belgian publication"),
    Procedure.eu_publication: _l("Open or restricted procedure, EU publication"),
    Procedure.eu_light_regime: _l("Light regime with EU publication"),
}

PROCEDURE_ARTICLES = {
    Procedure.accepted_invoice: "Law of 17 June 2016 art. 92",
    Procedure.negotiated_without_publication: (
        "Law of 17 June 2016 art. 42 §1 1° a); RD of 18 April 2017 art. 90"
    ),
    Procedure.light_regime: "Law of 17 June 2016 (Annex XIV services)",
    Procedure.national_publication: "Law of 17 June 2016 art. 36-37",
    Procedure.eu_publication: "Dir. 2014/24/EU art. 4, 26-28",
    Procedure.eu_light_regime: "Dir. 2014/24/EU art. 74-76",
}

BASIS_LABELS = {
    "aggregate": _l("decided by the value of all lots"),
    "small_lots_exemption": _l("small-lots exemption: decided by the lot's own value"),
}

STATUS_LABELS = {
    CheckStatus.ok: _l("In order"),
    CheckStatus.info: _l("For information"),
    CheckStatus.warning: _l("Action needed"),
    CheckStatus.violation: _l("Breaks the rule"),
}

THRESHOLD_KIND_LABELS = {
    ThresholdKind.eu_publication: _l("EU publication threshold"),
    ThresholdKind.eu_social_services: _l("EU threshold for social and other specific services"),
    ThresholdKind.accepted_invoice: _l("Accepted invoice (low-value contract)"),
    ThresholdKind.negotiated_without_publication: _l(
        "Negotiated procedure without prior publication"
    ),
    ThresholdKind.light_regime: _l("Light regime for social and other specific services"),
}

#: The roles a threshold plays for one dossier (:class:`portal.lots.rules.ApplicableThresholds`).
THRESHOLD_ROLE_LABELS = {
    "eu": _l("EU threshold for this contract"),
    "divide_or_explain": _l(
        "“Divide or explain” threshold (the EU threshold of central government for supplies "
        "and services)"
    ),
}

REGIME_LABELS = {
    "2014/24/EU": _l("Directive 2014/24/EU (public contracts)"),
    "2014/25/EU": _l("Directive 2014/25/EU (utilities)"),
    "2014/23/EU": _l("Directive 2014/23/EU (concessions)"),
    "BE": _l("Belgian law"),
}

SOURCE_LABELS = {
    "official": _l("Official source"),
    "presumed": _l("Presumed figure: to be confirmed in the official text"),
    "secondary": _l("Secondary source: to be checked in the official text"),
}

CONTRACT_TYPE_LABELS = {
    ContractType.works: _l("Works"),
    ContractType.supplies: _l("Supplies"),
    ContractType.services: _l("Services"),
}

SIZE_LABELS = {
    CompanySize.micro: _l("Micro-enterprise"),
    CompanySize.small: _l("Small enterprise"),
    CompanySize.medium: _l("Medium-sized enterprise"),
    CompanySize.large: _l("Large enterprise"),
}

SME_REASONS = {
    "micro_enterprise_can_carry": _l(
        "A micro-enterprise can carry it: its yearly value is at most €1 million, half the "
        "turnover of a micro-enterprise."
    ),
    "small_enterprise_can_carry": _l(
        "A small enterprise can carry it: its yearly value is at most €5 million, half the "
        "turnover of a small enterprise."
    ),
    "exceeds_small_enterprise_capacity": _l(
        "Too large for a small enterprise: only medium-sized or larger firms can carry it."
    ),
    "exceeds_sme_capacity": _l("Too large for any SME: only a large enterprise can carry it."),
    "above_target_lot_size": _l("Its yearly value is above your target lot size."),
    "single_indivisible_item": _l(
        "It holds one single item above the target, and an item is never broken."
    ),
}

NON_DIVISION_REASONS = {
    NonDivisionReason.coordination: _l(
        "Several closely linked trades: coordinating several contractors would put the "
        "performance at risk."
    ),
    NonDivisionReason.functional_whole: _l(
        "A single trade that forms one technical and functional whole."
    ),
    NonDivisionReason.disproportionate_cost: _l(
        "The value is too small for managing several lots to be proportionate."
    ),
    NonDivisionReason.accessible_to_smes: _l(
        "The undivided contract is already within reach of an SME."
    ),
}

COORDINATION_TASKS = {
    "shared_schedule": _l("Keeps the shared schedule of all lots."),
    "interfaces_between_lots": _l("Manages the interfaces between the lots."),
    "site_coordination": _l("Coordinates the work on site (safety, access, sequencing)."),
    "service_coordination": _l("Coordinates the services delivered in the same buildings."),
    "progress_reporting": _l("Reports on progress and quality to the authority."),
}

COORDINATION_INTERACTIONS = {
    "direct_contract_with_authority": _l(
        "Each lot holder keeps its own contract with the authority and is paid directly."
    ),
    "coordination_meetings": _l("Lot holders attend the coordination meetings."),
    "share_schedule_and_interfaces": _l(
        "Lot holders give the coordinator their schedule and their interfaces with other lots."
    ),
    "report_incidents_to_coordinator": _l(
        "Lot holders report incidents that affect other lots to the coordinator."
    ),
    "coordinator_not_awarded_other_lots": _l(
        "The coordinator gives no orders to the lot holders and does not hold another lot, so "
        "that it stays neutral."
    ),
}

AWARD_CRITERIA = {
    "lot_value_desc": _l("the lots of highest estimated value first"),
    "score_gap_desc": _l(
        "at equal value, the lot where its tender is furthest ahead of the second best"
    ),
    "lot_number_asc": _l("then by lot number"),
}

CHECK_TITLES = {
    "aggregate_eu_threshold": _l("Value of all lots and the EU threshold"),
    "small_lots_exemption": _l("Small lots under Belgian rules (80/20 rule)"),
    "max_lots_per_tenderer": _l("Maximum number of lots per tenderer"),
    "combined_bids": _l("Combined bids for several lots"),
    "divide_or_explain": _l("Divide or explain"),
    "coordination_lot": _l("Coordination lot"),
    "threshold_sources": _l("Sources of the thresholds"),
    "turnover_cap": _l("Minimum turnover required"),
}

# ------------------------------------------------------------------------------------------------
# Field errors (core validation, the API parser and the item import)

_FIELD_MESSAGES: dict[str, Any] = {
    "required": _l("This field is required."),
    "too_long": _l("Too long: at most %(max)s characters."),
    "unknown_cpv": _l("“%(code)s” is not a code of the CPV 2008 list (for example 90911200-8)."),
    "not_decimal": _l("Enter an amount as a number, for example 12500.50."),
    "not_positive": _l("Enter a number greater than zero."),
    "before_start": _l("The end date is before the start date."),
    "not_positive_int": _l("Enter a whole number of at least 1."),
    "too_small": _l("Enter at least %(min)s."),
    "services_only": _l(
        "Only service contracts can cover social and other specific services (Annex XIV)."
    ),
    "unknown_item": _l("There is no item “%(id)s”."),
    "items_missing": _l("Every item must be in a lot. Not placed yet: %(ids)s."),
    "not_a_date": _l("Enter a real date, for example 31/12/2027 or 2027-12-31."),
    "unknown_place": _l(
        "“%(place)s” is not one of the 19 municipalities of the Brussels-Capital Region. "
        "Put any other place in the site."
    ),
    "not_a_bool": _l("Must be true or false."),
    "not_text": _l("Must be text."),
    "not_an_object": _l("Must be a JSON object."),
    "not_a_list": _l("Must be a list."),
    "unknown_field": _l("Unknown field."),
    "too_many": _l("At most %(max)s items at a time."),
    "too_large": _l("Too large: must be less than %(max)s."),
    "choice": _l("Choose one of: %(choices)s."),
    "formula": _l("Contains a formula: replace it by its value."),
    "max_below_awarded": _l(
        "The maximum of lots per tenderer cannot be lower than the maximum of lots awarded."
    ),
}


def _ids(values: Iterable[Any]) -> str:
    return format_list([str(v) for v in values], locale=get_locale() or "fr")


def field_message(error: FieldError) -> str:
    """Return the message of one field error, in the current language."""
    code, params, where = error.code, dict(error.params), error.field
    if code == "empty":
        if where.startswith("lots["):
            return _("A lot needs at least one item.")
        return _("Add at least one item.")
    if code == "duplicate":
        if where.startswith("lots["):
            return _("Item “%(id)s” is in two lots.", id=params.get("id", ""))
        return _("The identifier “%(id)s” is used twice.", id=params.get("id", ""))
    if code == "invalid":
        if where.endswith(".place"):
            return _("Enter a municipality or a site name of at most 500 characters.")
        if where.endswith((".start", ".end")):
            return _("Enter a real date, for example 31/12/2027 or 2027-12-31.")
        return _("Not one of the allowed values.")
    template = _FIELD_MESSAGES.get(code)
    if template is None:
        return _("Invalid value.")
    if code == "items_missing":
        params["ids"] = _ids(params.get("ids", ()))
    if code in ("too_large", "too_small") and isinstance(params.get("max"), Decimal | int):
        params["max"] = format_money(params["max"]) if code == "too_large" else params["max"]
    return str(template) % params if params else str(template)


def has_field_message(code: str) -> bool:
    """Tell whether ``code`` has its own message (for the completeness test)."""
    return code in _FIELD_MESSAGES or code in ("empty", "duplicate", "invalid")


_INDEX = re.compile(r"\[(\d+)\]")


def api_field(name: str) -> str:
    """Turn a core field path (``items[3].cpv``) into the API's dotted path (``items.3.cpv``)."""
    return _INDEX.sub(r".\1", name)


def field_errors(errors: Sequence[FieldError], *, dotted: bool = True) -> dict[str, list[str]]:
    """Group the messages of ``errors`` by field (dotted API paths unless ``dotted`` is False)."""
    grouped: dict[str, list[str]] = {}
    for error in errors:
        key = api_field(error.field) if dotted else error.field
        grouped.setdefault(key, []).append(field_message(error))
    return grouped


# ------------------------------------------------------------------------------------------------
# Legal checks


@dataclass(frozen=True)
class CheckText:
    """A check in words: its title, article, status label and plain-language explanation."""

    code: str
    title: str
    article: str
    status: str
    status_label: str
    message: str
    lot: int | None
    #: True when no specific message exists (never the case for codes the core emits).
    is_fallback: bool = False


def _money(value: Any) -> str:
    return format_money(value) if value is not None else ""


def _lot_list(numbers: Iterable[int]) -> str:
    return _ids(numbers) if numbers else "—"


def check_text(check: Check) -> CheckText:
    """Return the title and the plain-language explanation of a legal check."""
    message, fallback = _check_message(check)
    title = CHECK_TITLES.get(check.code)
    if check.code == "turnover_cap" and check.lot is not None:
        title_text = _("Minimum turnover required for lot %(lot)s", lot=check.lot)
    else:
        title_text = str(title) if title is not None else check.code
    return CheckText(
        code=check.code,
        title=title_text,
        article=article_text(check.article),
        status=check.status.value,
        status_label=str(STATUS_LABELS[check.status]),
        message=message,
        lot=check.lot,
        is_fallback=fallback or title is None,
    )


def article_text(article: str) -> str:
    """Translate the legal references of the core ("Law of 17 June 2016 art. 58") for display."""
    replacements = {
        "fr": (
            ("Law of 17 June 2016", "Loi du 17 juin 2016"),
            ("law of 17 June 2016", "loi du 17 juin 2016"),
            ("RD of 18 April 2017", "AR du 18 avril 2017"),
            ("/EU", "/UE"),
            (" and ", " et "),
            ("recital", "considérant"),
            ("Annex XIV services", "services de l'annexe XIV"),
        ),
        "nl": (
            ("Law of 17 June 2016", "Wet van 17 juni 2016"),
            ("law of 17 June 2016", "wet van 17 juni 2016"),
            ("RD of 18 April 2017", "KB van 18 april 2017"),
            ("Dir. ", "Richtl. "),
            (" and ", " en "),
            ("recital", "overweging"),
            ("Annex XIV services", "diensten van bijlage XIV"),
        ),
    }
    lang = str(get_locale() or "en")[:2]
    for old, new in replacements.get(lang, ()):
        article = article.replace(old, new)
    return article


def regime_label(regime: str) -> str:
    """Name a threshold's regime ("2014/24/EU", "BE") in words."""
    label = REGIME_LABELS.get(regime)
    return str(label) if label is not None else regime


def source_kind(source_status: str) -> str:
    """Classify a threshold's source note: ``official``, ``presumed`` or ``secondary``."""
    text = source_status.strip().lower()
    if text.startswith("official"):
        return "official"
    if text.startswith("presum"):
        return "presumed"
    return "secondary"


def source_label(source_status: str) -> str:
    """How reliable a threshold's figure is, in words (the note itself is the coordinator's)."""
    return str(SOURCE_LABELS[source_kind(source_status)])


def threshold_label(kind: str, role: str | None = None) -> str:
    """Name a threshold by the role it plays for the dossier, else by its kind."""
    if role in THRESHOLD_ROLE_LABELS:
        return str(THRESHOLD_ROLE_LABELS[role])
    return str(THRESHOLD_KIND_LABELS[ThresholdKind(kind)])


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(_MONTHS) + r") (\d{4})\b")
_MONTH_NAMES = {
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
}
_REGULATION = re.compile(r"Commission Delegated Regulation \(EU\) (\d{4}/\d+)")
_LEGAL_ACT_WORDS = {
    "fr": (
        (
            "(contracts of limited value: accepted invoice)",
            "(marchés de faible montant : facture acceptée)",
        ),
        (
            "(social and other specific services)",
            "(services sociaux et autres services spécifiques)",
        ),
        ("(not revised)", "(non révisé)"),
        (" as revised by the ", ", tel que modifié par l'"),
        ("amount of ", "montant de la "),
        (" Art. ", " art. "),
        ("RD of ", "AR du "),
    ),
    "nl": (
        (
            "(contracts of limited value: accepted invoice)",
            "(opdrachten van beperkte waarde: aanvaarde factuur)",
        ),
        ("(social and other specific services)", "(sociale en andere specifieke diensten)"),
        ("(not revised)", "(niet herzien)"),
        (" as revised by the ", ", zoals gewijzigd bij het "),
        ("amount of ", "bedrag van "),
        ("Directive ", "Richtlijn "),
        (" Art. ", " art. "),
        ("RD of ", "KB van "),
    ),
}


def legal_act_text(legal_act: str) -> str:
    """Word a threshold's legal act in the visitor's language.

    The threshold files name their acts in English ("Commission Delegated Regulation (EU)
    2025/2152", "Law of 17 June 2016 art. 92"); the usual citations, dates and remarks are put
    into French or Dutch, anything else is left as the coordinator wrote it.
    """
    lang = str(get_locale() or "en")[:2]
    if lang not in _MONTH_NAMES:
        return legal_act
    text = _REGULATION.sub(
        r"Règlement délégué (UE) \1 de la Commission"
        if lang == "fr"
        else r"Gedelegeerde Verordening (EU) \1 van de Commissie",
        legal_act,
    )
    for old, new in _LEGAL_ACT_WORDS[lang]:
        text = text.replace(old, new)
    text = article_text(text)
    months = _MONTH_NAMES[lang]
    return _DATE.sub(lambda m: f"{m[1]} {months[_MONTHS.index(m[2])]} {m[3]}", text)


def _check_message(check: Check) -> tuple[str, bool]:  # noqa: C901 - one branch per variant
    p: Mapping[str, Any] = check.params
    code = check.code
    if code == "aggregate_eu_threshold":
        values = {"aggregate": _money(p["aggregate"]), "threshold": _money(p["threshold"])}
        if not p["reached"]:
            return _(
                "The value of all lots together (%(aggregate)s) stays below the EU threshold "
                "of %(threshold)s: Belgian publication rules apply. Splitting never changes "
                "this: the values of the lots are always added up.",
                **values,
            ), False
        if p["lots_below_threshold"]:
            return ngettext(
                "The value of all lots together (%(aggregate)s) reaches the EU threshold of "
                "%(threshold)s, so the European rules apply, even to the %(num)d lot worth "
                "less than the threshold on its own. Splitting never lowers the value that "
                "counts.",
                "The value of all lots together (%(aggregate)s) reaches the EU threshold of "
                "%(threshold)s, so the European rules apply, even to the %(num)d lots worth "
                "less than the threshold on their own. Splitting never lowers the value that "
                "counts.",
                p["lots_below_threshold"],
                **values,
            ), False
        return _(
            "The value of all lots together (%(aggregate)s) reaches the EU threshold of "
            "%(threshold)s: the contract follows the European rules and is published in the "
            "Official Journal of the EU.",
            **values,
        ), False
    if code == "small_lots_exemption":
        if not p["applicable"]:
            return _(
                "The EU threshold is not reached, so the small-lots exemption is not needed: "
                "every lot already follows Belgian rules."
            ), False
        values = {"limit": _money(p["limit"]), "cap": _money(p["cap"])}
        if p["exempt_lots"]:
            return _(
                "Lots worth less than %(limit)s may follow Belgian rules instead of the "
                "European procedure, as long as together they stay within 20%% of the value "
                "of all lots (%(cap)s). Lots that qualify, smallest first: %(lots)s "
                "(together %(total)s).",
                lots=_lot_list(p["exempt_lots"]),
                total=_money(p["exempt_total"]),
                **values,
            ), False
        if p["eligible_lots"]:
            return _(
                "Lots %(lots)s are worth less than %(limit)s, but even the smallest of them "
                "is above 20%% of the value of all lots (%(cap)s): none can use the "
                "small-lots exemption.",
                lots=_lot_list(p["eligible_lots"]),
                **values,
            ), False
        return _(
            "No lot is worth less than %(limit)s, so no lot can use the small-lots "
            "exemption: all of them follow the European procedure.",
            **values,
        ), False
    if code == "max_lots_per_tenderer":
        if not p["limited"]:
            return _(
                "No limit on the number of lots one tenderer may win. You may set one to "
                "spread the lots over more firms; the notice must then state it, with the "
                "rule that decides which lots such a tenderer gets."
            ), False
        reason = p.get("reason")
        if reason == "below_one":
            return _("The maximum number of lots per tenderer must be at least 1."), False
        if reason == "single_lot":
            return _("There is only one lot: a maximum number of lots has no effect."), False
        if reason == "no_effect":
            return _(
                "A maximum of %(max)s lots per tenderer has no effect with %(lots)s lots: "
                "lower it or remove it.",
                max=p["max_lots"],
                lots=p["lots"],
            ), False
        criteria = [str(AWARD_CRITERIA[c]) for c in p["criteria"]]
        return _(
            "One tenderer may be awarded at most %(max)s of the %(lots)s lots. The notice must "
            "state this maximum and the objective rule that decides which lots such a "
            "tenderer gets: %(rule)s (order: %(order)s). The other lots go to the next-ranked "
            "tender on each lot.",
            max=p["max_lots"],
            lots=p["lots"],
            rule="; ".join(criteria),
            order=_lot_list(p["precedence"]),
        ), False
    if code == "combined_bids":
        if not p["allowed"]:
            return _("Combined bids are not allowed: each lot is awarded on its own."), False
        reason = p.get("reason")
        if reason == "single_lot":
            return _("Combined bids need at least two lots."), False
        if reason == "max_one_lot":
            return _(
                "Combined bids are allowed, but a tenderer may be awarded only one lot, so "
                "nothing can be combined. Allow more lots per tenderer or drop combined bids."
            ), False
        return _(
            "The notice must reserve the right to award several lots together and list the "
            "lots that may be combined (%(lots)s). A combined award is made only when it "
            "beats the best combination of separate tenders.",
            lots=_lot_list(p["combinable_lots"]),
        ), False
    if code == "divide_or_explain":
        if p["divided"]:
            return ngettext(
                "The contract is divided into %(num)d lot: no justification is needed.",
                "The contract is divided into %(num)d lots: no justification is needed.",
                p["lots"],
            ), False
        values = {"aggregate": _money(p["aggregate"]), "threshold": _money(p["threshold"])}
        if p["justification_required"]:
            return _(
                "The contract is not divided and its value (%(aggregate)s) reaches "
                "%(threshold)s: the procurement documents must give the main reasons for not "
                "dividing it. A draft is proposed; edit it to fit your case.",
                **values,
            ), False
        return _(
            "The contract is not divided. Below %(threshold)s Belgian law does not require "
            "the reasons to be stated, but stating them remains good practice.",
            **values,
        ), False
    if code == "coordination_lot":
        if not p["requested"]:
            if p["suggested"]:
                return _(
                    "With three lots or more, a coordination lot can help: one firm keeps the "
                    "shared schedule and the interfaces, so that small firms can take single "
                    "lots."
                ), False
            return _("No coordination lot."), False
        if p.get("reason") == "single_lot":
            return _("A coordination lot only makes sense beside two lots or more."), False
        return _(
            "A coordination lot coordinates lots %(lots)s. Its holder keeps the shared "
            "schedule and the interfaces; the other lot holders keep their own contract with "
            "the authority.",
            lots=_lot_list(p["coordinated_lots"]),
        ), False
    if code == "threshold_sources":
        if not p["unverified"]:
            return _("Every threshold used comes from an official source."), False
        parts = [
            _(
                "%(kind)s %(amount)s (%(status)s)",
                kind=threshold_label(entry[0], entry[3] if len(entry) > 3 else None),
                amount=_money(entry[1]),
                status=source_label(entry[2]),
            )
            for entry in p["unverified"]
        ]
        return _(
            "Some thresholds in force on the planned publication date rest on secondary "
            "sources or presumptions: %(list)s. Check them in the official text before "
            "publishing.",
            list="; ".join(parts),
        ), False
    if code == "turnover_cap":
        values = {
            "cap": _money(p["cap"]),
            "max": _money(p["suggested_max"]),
            "sme": _money(p["sme_friendly"]),
            "required": _money(p["requirement"]),
        }
        if p["requirement"] is None:
            return _(
                "The minimum yearly turnover you require may not exceed %(cap)s (twice the "
                "lot's value). We suggest at most %(max)s, and %(sme)s to keep the lot within "
                "reach of SMEs.",
                **values,
            ), False
        if check.status is CheckStatus.ok:
            return _(
                "The required yearly turnover (%(required)s) is SME-friendly: at most the "
                "lot's yearly value.",
                **values,
            ), False
        if check.status is CheckStatus.info:
            return _(
                "The required yearly turnover (%(required)s) stays within the suggested "
                "maximum of %(max)s; %(sme)s would open the lot to more SMEs.",
                **values,
            ), False
        if check.status is CheckStatus.warning:
            return _(
                "The required yearly turnover (%(required)s) is above the suggested maximum "
                "of %(max)s (twice the yearly value). Consider %(sme)s.",
                **values,
            ), False
        return _(
            "The required yearly turnover (%(required)s) exceeds %(cap)s, twice the lot's "
            "value: the directive allows that only in duly justified cases, stated in the "
            "procurement documents.",
            **values,
        ), False
    return _("See the article cited."), True


# ------------------------------------------------------------------------------------------------
# Proposals


def explanation_text(code: str, params: Mapping[str, Any]) -> str:
    """Explain a proposal: its strategy, then its figures and whether it is proven optimal."""
    strategy = Strategy(code)
    parts = [str(STRATEGY_DESCRIPTIONS[strategy])]
    lots = int(params["lots"])
    parts.append(
        ngettext(
            "%(num)d lot of %(smallest)s.",
            "%(num)d lots, from %(smallest)s to %(largest)s.",
            lots,
            smallest=_money(params["smallest_lot"]),
            largest=_money(params["largest_lot"]),
        )
    )
    parts.append(
        ngettext(
            "%(num)d lot within reach of SMEs.",
            "%(num)d lots within reach of SMEs.",
            int(params["sme_suitable_lots"]),
        )
    )
    if params["over_target_lots"]:
        parts.append(
            ngettext(
                "%(num)d lot above the target lot size of %(target)s a year.",
                "%(num)d lots above the target lot size of %(target)s a year.",
                int(params["over_target_lots"]),
                target=_money(params["target"]),
            )
        )
    if params["mixed_lots"]:
        parts.append(
            ngettext(
                "%(num)d lot mixes several trades or places.",
                "%(num)d lots mix several trades or places.",
                int(params["mixed_lots"]),
            )
        )
    if strategy in (Strategy.trade, Strategy.geography, Strategy.size):
        if params["is_exact"]:
            parts.append(_("This structure is proven optimal for its objective."))
        else:
            parts.append(
                _(
                    "Large groups were arranged by a heuristic: a good structure, but not "
                    "proven optimal."
                )
            )
    return " ".join(parts)


def sme_reason_text(codes: Sequence[str]) -> list[str]:
    """Return the reasons of an SME flag in words."""
    return [str(SME_REASONS[code]) for code in codes]


def enum_codes() -> dict[str, Mapping[Any, Any]]:
    """The label mappings by name, for the completeness test."""
    return {
        "strategy": STRATEGY_LABELS,
        "strategy_description": STRATEGY_DESCRIPTIONS,
        "procedure": PROCEDURE_LABELS,
        "procedure_article": PROCEDURE_ARTICLES,
        "status": STATUS_LABELS,
        "threshold_kind": THRESHOLD_KIND_LABELS,
        "contract_type": CONTRACT_TYPE_LABELS,
        "size": SIZE_LABELS,
        "non_division": NON_DIVISION_REASONS,
    }


# ------------------------------------------------------------------------------------------------
# Files that cannot be imported at all

_IMPORT_FILE_MESSAGES: dict[str, Any] = {
    "empty": _l("The file is empty."),
    "no_rows": _l("The file has a header row but no items below it."),
    "binary": _l(
        "This is not a CSV text file: it holds binary data. Save it as “CSV UTF-8” or as an "
        "Excel workbook (.xlsx)."
    ),
    "encoding": _l("The characters of the file cannot be read. Save it as “CSV UTF-8”."),
    "malformed": _l(
        "The CSV file is malformed: a quotation mark is not closed, or a cell is far too long."
    ),
    "bad_xlsx": _l(
        "This is not a readable Excel workbook (.xlsx). Open it in your spreadsheet and save it "
        "again as .xlsx, or as “CSV UTF-8”."
    ),
    "too_many_rows": _l(
        "The file has too many rows: a dossier holds at most 5,000 items, and this one can "
        "take %(max)s more."
    ),
    "too_large": _l("The file is too large: at most %(max)s."),
    "missing_columns": _l(
        "Required columns are missing: %(fields)s. The first row must name the columns; see "
        "the example files."
    ),
    "duplicate_column": _l("The column “%(column)s” appears twice."),
    "header_formula": _l("The header cell of column %(column)s holds a formula, not a name."),
}

IMPORT_FIELD_NAMES = {
    "description": _l("Description"),
    "cpv": _l("CPV code"),
    "value": _l("Value"),
    "quantity": _l("Quantity"),
    "unit": _l("Unit"),
    "municipality": _l("Municipality"),
    "site": _l("Site"),
    "start": _l("Start date"),
    "end": _l("End date"),
}


def import_file_message(code: str, params: Mapping[str, Any]) -> str:
    """Return the message for a file that cannot be imported at all."""
    values = dict(params)
    if code == "missing_columns":
        values["fields"] = _ids(str(IMPORT_FIELD_NAMES[f]) for f in values.get("fields", ()))
    if code == "too_large":
        size = Decimal(values.get("max", 0)) / (1024 * 1024)
        values["max"] = f"{size.quantize(Decimal('0.1'))} MiB"
    template = _IMPORT_FILE_MESSAGES.get(code)
    if template is None:
        return _("The file cannot be read.")
    return str(template) % values if values else str(template)


def has_import_file_message(code: str) -> bool:
    return code in _IMPORT_FILE_MESSAGES
