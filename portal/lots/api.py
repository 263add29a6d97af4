"""API: the lot-split advisor (``POST /api/v1/lot-split`` and ``POST /api/v1/lot-split/assess``).

Items and options as JSON in; the proposals with their lots and legal checks out, with the
messages in the language of the request (``Accept-Language``, or ``?lang=``). Amounts travel as
strings ("12500.00") so that no binary float ever rounds a euro; the objective's value ``cost``
is an exact fraction written as a string ("27/2").

The endpoints hold no state and need no account: they answer anyone, like the rest of the open
data API, and are exempt from CSRF because they use no cookie-based authentication.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from flask import abort, jsonify, request

from portal.accounts.permissions import PUBLIC, access
from portal.api import bp
from portal.api.openapi import add_paths, add_schemas, add_tag, error_response, json_response
from portal.errors import ValidationError
from portal.extensions import csrf
from portal.i18n import _, _l
from portal.lots import messages
from portal.lots.advisor import Advice, AdvisorInputError, Lot, Proposal, advise, assess
from portal.lots.parsing import MAX_ITEMS, parse_payload
from portal.lots.rules import (
    ApplicableThresholds,
    NoThresholdInForce,
    Threshold,
    ThresholdDataError,
    ThresholdKind,
)
from portal.reference.services import cpv_label

#: Largest request body of the lot-split endpoints (5,000 items with long descriptions).
MAX_BODY_BYTES = 4 * 1024 * 1024


_CENT = Decimal("0.01")


def _amount(value: Decimal | None) -> str | None:
    # Euros and cents in fixed-point notation: never "1E+6", whatever the arithmetic made of
    # the Decimal (amounts are rounded to the cent only here, for display).
    return None if value is None else f"{Decimal(value).quantize(_CENT):f}"


def _lang() -> str:
    from portal.i18n import current_lang

    return current_lang()


def threshold_json(threshold: Threshold, role: str | None = None) -> dict[str, Any]:
    return {
        "regime": threshold.regime,
        "regime_label": messages.regime_label(threshold.regime),
        "kind": threshold.kind.value,
        "label": messages.threshold_label(threshold.kind, role),
        "amount": _amount(threshold.amount),
        "valid_from": threshold.valid_from.isoformat(),
        "valid_to": threshold.valid_to.isoformat() if threshold.valid_to else None,
        "legal_act": threshold.legal_act,
        "legal_act_label": messages.legal_act_text(threshold.legal_act),
        "source_status": threshold.source_status,
        "source_label": messages.source_label(threshold.source_status),
        "is_verified": threshold.is_verified,
    }


def thresholds_json(applicable: ApplicableThresholds) -> dict[str, Any]:
    return {
        "on_date": applicable.on_date.isoformat(),
        "eu": threshold_json(applicable.eu, "eu"),
        "divide_or_explain": threshold_json(applicable.divide_or_explain, "divide_or_explain"),
        "accepted_invoice": threshold_json(applicable.accepted_invoice),
        "negotiated": threshold_json(applicable.negotiated),
    }


def lot_json(lot: Lot, lang: str) -> dict[str, Any]:
    return {
        "number": lot.number,
        "item_ids": list(lot.item_ids),
        "value": _amount(lot.value),
        "yearly_value": _amount(lot.yearly_value),
        "cpv": lot.cpv,
        "cpv_label": cpv_label(lot.cpv, lang),
        "labels": list(lot.labels),
        "turnover_cap": _amount(lot.turnover_cap),
        "turnover_max": _amount(lot.turnover_max),
        "turnover_sme": _amount(lot.turnover_sme),
        "sme_size": lot.sme_size.value,
        "sme_size_label": str(messages.SIZE_LABELS[lot.sme_size]),
        "sme_suitable": lot.is_sme_suitable,
        "sme_reasons": [
            {"code": code, "message": str(messages.SME_REASONS[code])} for code in lot.sme_reasons
        ],
        "procedure": {
            "code": lot.procedure.value,
            "label": str(messages.PROCEDURE_LABELS[lot.procedure]),
            "value": _amount(lot.procedure_value),
            "basis": lot.procedure_basis,
            "basis_label": str(messages.BASIS_LABELS[lot.procedure_basis]),
        },
    }


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def proposal_json(proposal: Proposal, lang: str) -> dict[str, Any]:
    coordination = proposal.coordination
    return {
        "strategy": proposal.strategy.value,
        "strategy_label": str(messages.STRATEGY_LABELS[proposal.strategy]),
        "also_from": [s.value for s in proposal.also_from],
        "score": str(proposal.score),
        "cost": str(proposal.cost),
        "is_exact": proposal.is_exact,
        "aggregate": _amount(proposal.aggregate),
        "explanation": {
            "code": proposal.explanation.code,
            "params": _plain(dict(proposal.explanation.params)),
            "message": messages.explanation_text(
                proposal.explanation.code, proposal.explanation.params
            ),
        },
        "lots": [lot_json(lot, lang) for lot in proposal.lots],
        "coordination": None
        if coordination is None
        else {
            "number": coordination.number,
            "coordinates": list(coordination.coordinates),
            "value": _amount(coordination.value),
            "procedure": {
                "code": coordination.procedure.value,
                "label": str(messages.PROCEDURE_LABELS[coordination.procedure]),
            },
            "tasks": [
                {"code": t, "message": str(messages.COORDINATION_TASKS[t])}
                for t in coordination.tasks
            ],
            "interactions": [
                {"code": i, "message": str(messages.COORDINATION_INTERACTIONS[i])}
                for i in coordination.interactions
            ],
        },
        "checks": [check_json(check) for check in proposal.checks],
        "justification": None
        if proposal.justification is None
        else {
            "reasons": [r.value for r in proposal.justification.reasons],
            "fr": proposal.justification.fr,
            "nl": proposal.justification.nl,
            "en": proposal.justification.en,
        },
    }


def check_json(check: Any) -> dict[str, Any]:
    text = messages.check_text(check)
    return {
        "code": check.code,
        "status": check.status.value,
        "status_label": text.status_label,
        "article": check.article,
        "lot": check.lot,
        "title": text.title,
        "message": text.message,
        "params": _plain(dict(check.params)),
    }


def advice_json(advice: Advice, lang: str) -> dict[str, Any]:
    return {
        "language": lang,
        "recommended": advice.recommended,
        "target_lot_size": _amount(advice.target_lot_size),
        "thresholds": thresholds_json(advice.thresholds),
        "proposals": [proposal_json(p, lang) for p in advice.proposals],
    }


def _read_body() -> Any:
    """Parse the JSON body with exact decimals; refuse other content types and large bodies.

    :raises ValidationError: not JSON.
    """
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        abort(413)
    request.max_content_length = MAX_BODY_BYTES
    if not request.is_json:
        raise ValidationError.single(
            "", _l("Send the request body as JSON with the header Content-Type: application/json.")
        )
    raw = request.get_data(cache=False)
    try:
        return json.loads(raw, parse_float=Decimal, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise ValidationError.single("", _l("The request body is not valid JSON.")) from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def _input_error(exc: AdvisorInputError) -> ValidationError:
    return ValidationError(messages.field_errors(exc.errors))


def _threshold_error(exc: Exception) -> ValidationError:
    if isinstance(exc, NoThresholdInForce):
        message = _(
            "No threshold is in force on %(date)s in the portal's data; choose a publication "
            "date the thresholds cover.",
            date=exc.on_date.isoformat(),
        )
    else:
        message = _("Two thresholds of the same kind are in force on this date.")
    return ValidationError({"options.publication_date": [message]})


def _thresholds() -> list[Threshold]:
    from portal.db import get_session
    from portal.lots.services import current_thresholds

    return current_thresholds(get_session())


@bp.post("/lot-split")
@csrf.exempt
@access(PUBLIC)
def lot_split():  # type: ignore[no-untyped-def]
    body = _read_body()
    from portal.tenders.services import brussels_today

    try:
        payload = parse_payload(body, today=brussels_today())
        advice = advise(payload.items, payload.options, _thresholds())
    except AdvisorInputError as exc:
        raise _input_error(exc) from None
    except (NoThresholdInForce, ThresholdDataError) as exc:
        raise _threshold_error(exc) from None
    return jsonify(advice_json(advice, _lang()))


@bp.post("/lot-split/assess")
@csrf.exempt
@access(PUBLIC)
def lot_split_assess():  # type: ignore[no-untyped-def]
    body = _read_body()
    from portal.tenders.services import brussels_today

    try:
        payload = parse_payload(body, today=brussels_today(), with_lots=True)
        proposal = assess(
            payload.items, payload.options, _thresholds(), payload.lots or [], keep_order=True
        )
    except AdvisorInputError as exc:
        raise _input_error(exc) from None
    except (NoThresholdInForce, ThresholdDataError) as exc:
        raise _threshold_error(exc) from None
    return jsonify({"language": _lang(), "proposal": proposal_json(proposal, _lang())})


# ------------------------------------------------------------------------------------------------
# OpenAPI description

add_tag("lots", "The SME-friendly lot-split advisor: lot structures and their legal checks.")

_MONEY = {
    "type": "string",
    "pattern": r"^\d+(\.\d+)?$",
    "description": "An amount in euros excluding VAT, as a decimal string.",
    "examples": ["125000.00"],
}
#: What the parser accepts for an amount given as a string (portal.lots.parsing): digits with
#: an optional decimal point, surrounding spaces allowed; no sign, no thousands separators.
MONEY_STRING_PATTERN = r"^\s*[0-9]+(\.[0-9]+)?\s*$"
_MONEY_IN = {
    "oneOf": [
        {"type": "string", "pattern": MONEY_STRING_PATTERN, "examples": ["12500.50"]},
        {"type": "number", "exclusiveMinimum": 0, "examples": [12500.5]},
    ],
    "description": "An amount in euros excluding VAT, greater than zero: a decimal string with a "
    "dot and no thousands separators (exact, recommended) or a JSON number.",
    "examples": ["12500.50"],
}
_MESSAGE = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
}

add_schemas(
    {
        "LotSplitItem": {
            "type": "object",
            "required": ["description", "cpv", "value"],
            "additionalProperties": False,
            "properties": {
                "id": {
                    "type": ["string", "integer"],
                    "description": "Your identifier of the item (default: its position, from 1).",
                },
                "description": {"type": "string", "maxLength": 500},
                "cpv": {
                    "type": "string",
                    "description": "A code of the CPV 2008 list, with or without check digit.",
                    "examples": ["90911200-8"],
                },
                "value": {
                    **_MONEY_IN,
                    "description": "Estimated value excluding VAT for the whole duration (> 0).",
                },
                "quantity": {
                    **_MONEY_IN,
                    "description": "Quantity (> 0, default 1).",
                    "examples": ["12", "2.5"],
                },
                "unit": {"type": "string", "maxLength": 40, "default": "unit"},
                "municipality": {
                    "type": "string",
                    "description": "One of the 19 municipalities of the Brussels-Capital Region "
                    "(code, French or Dutch name).",
                    "examples": ["Ixelles", "Elsene", "ixelles"],
                },
                "site": {
                    "type": "string",
                    "maxLength": 200,
                    "description": "A named site; with a site, lots by place follow the site.",
                },
                "start": {"type": "string", "format": "date"},
                "end": {"type": "string", "format": "date"},
            },
        },
        "LotSplitOptions": {
            "type": "object",
            "required": ["authority_kind", "contract_type"],
            "additionalProperties": False,
            "properties": {
                "authority_kind": {"type": "string", "enum": ["central", "sub_central"]},
                "contract_type": {"type": "string", "enum": ["works", "supplies", "services"]},
                "publication_date": {
                    "type": "string",
                    "format": "date",
                    "description": "Planned publication date: it picks the thresholds in force "
                    "(default: today).",
                },
                "max_lots_per_tenderer": {
                    "type": "integer",
                    "minimum": 1,
                    "description": "Most lots one tenderer may be awarded (art. 46(2)).",
                },
                "combined_bids_allowed": {"type": "boolean", "default": False},
                "coordination_lot": {"type": "boolean", "default": False},
                "coordination_value": _MONEY_IN,
                "target_lot_size": {
                    **_MONEY_IN,
                    "description": "Yearly value SMEs can carry (default 1,000,000).",
                },
                "divide": {"type": "boolean", "default": True},
                "annex_xiv_services": {"type": "boolean", "default": False},
                "duration_months": {"type": "integer", "minimum": 1},
                "turnover_requirement": _MONEY_IN,
            },
        },
        "LotSplitRequest": {
            "type": "object",
            "required": ["items", "options"],
            "additionalProperties": False,
            "properties": {
                "items": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": MAX_ITEMS,
                    "items": {"$ref": "#/components/schemas/LotSplitItem"},
                },
                "options": {"$ref": "#/components/schemas/LotSplitOptions"},
            },
        },
        "LotSplitAssessRequest": {
            "type": "object",
            "required": ["items", "options", "lots"],
            "additionalProperties": False,
            "properties": {
                "items": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": MAX_ITEMS,
                    "items": {"$ref": "#/components/schemas/LotSplitItem"},
                },
                "options": {"$ref": "#/components/schemas/LotSplitOptions"},
                "lots": {
                    "type": "array",
                    "minItems": 1,
                    "description": "The lots as lists of item ids, numbered 1, 2... in this order.",
                    "items": {"type": "array", "items": {"type": ["string", "integer"]}},
                },
            },
        },
        "LotSplitThreshold": {
            "type": "object",
            "properties": {
                "regime": {"type": "string", "examples": ["2014/24/EU", "BE"]},
                "regime_label": {"type": "string", "description": "The regime in words."},
                "kind": {"type": "string", "enum": [k.value for k in ThresholdKind]},
                "label": {"type": "string"},
                "amount": _MONEY,
                "valid_from": {"type": "string", "format": "date"},
                "valid_to": {"type": ["string", "null"], "format": "date"},
                "legal_act": {"type": "string", "description": "As recorded (English)."},
                "legal_act_label": {
                    "type": "string",
                    "description": "The legal act in the language of the messages.",
                },
                "source_status": {
                    "type": "string",
                    "description": "The coordinator's note on the source, as recorded.",
                },
                "source_label": {
                    "type": "string",
                    "description": "How reliable the figure is (official, secondary, presumed).",
                },
                "is_verified": {"type": "boolean"},
            },
        },
        "LotSplitLot": {
            "type": "object",
            "required": ["number", "item_ids", "value", "turnover_cap", "sme_suitable"],
            "properties": {
                "number": {"type": "integer"},
                "item_ids": {"type": "array", "items": {"type": "string"}},
                "value": _MONEY,
                "yearly_value": _MONEY,
                "cpv": {"type": "string"},
                "cpv_label": {"type": "string"},
                "labels": {"type": "array", "items": {"type": "string"}},
                "turnover_cap": {
                    **_MONEY,
                    "description": "Legal cap on the minimum yearly turnover: 2x the lot's "
                    "value (Dir. 2014/24/EU art. 58(3)).",
                },
                "turnover_max": {**_MONEY, "description": "Suggested maximum requirement."},
                "turnover_sme": {**_MONEY, "description": "Lower, SME-friendly requirement."},
                "sme_size": {"type": "string", "enum": ["micro", "small", "medium", "large"]},
                "sme_size_label": {"type": "string"},
                "sme_suitable": {"type": "boolean"},
                "sme_reasons": {"type": "array", "items": _MESSAGE},
                "procedure": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string"},
                        "label": {"type": "string"},
                        "value": _MONEY,
                        "basis": {"type": "string", "enum": ["aggregate", "small_lots_exemption"]},
                        "basis_label": {"type": "string"},
                    },
                },
            },
        },
        "LotSplitCheck": {
            "type": "object",
            "required": ["code", "status", "article", "title", "message"],
            "properties": {
                "code": {"type": "string", "examples": ["small_lots_exemption"]},
                "status": {"type": "string", "enum": ["ok", "info", "warning", "violation"]},
                "status_label": {"type": "string"},
                "article": {"type": "string", "examples": ["Dir. 2014/24/EU art. 5(10)"]},
                "lot": {"type": ["integer", "null"]},
                "title": {"type": "string"},
                "message": {"type": "string"},
                "params": {"type": "object"},
            },
        },
        "LotSplitProposal": {
            "type": "object",
            "required": ["strategy", "lots", "checks", "score", "cost", "is_exact"],
            "properties": {
                "strategy": {
                    "type": "string",
                    "enum": ["trade", "geography", "size", "single_lot", "manual"],
                },
                "strategy_label": {"type": "string"},
                "also_from": {"type": "array", "items": {"type": "string"}},
                "score": {
                    "type": "string",
                    "description": "SME accessibility, 0-100 (higher is better).",
                },
                "cost": {
                    "type": "string",
                    "description": "The strategy's objective, an exact fraction (lower is "
                    "better; compare only within one strategy).",
                    "examples": ["27/2"],
                },
                "is_exact": {"type": "boolean"},
                "aggregate": _MONEY,
                "explanation": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string"},
                        "params": {"type": "object"},
                        "message": {"type": "string"},
                    },
                },
                "lots": {"type": "array", "items": {"$ref": "#/components/schemas/LotSplitLot"}},
                "coordination": {"type": ["object", "null"]},
                "checks": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/LotSplitCheck"},
                },
                "justification": {
                    "type": ["object", "null"],
                    "description": "Draft 'divide or explain' reasons (law of 17 June 2016 "
                    "art. 58) in French, Dutch and English, for a single lot.",
                },
            },
        },
        "LotSplitResponse": {
            "type": "object",
            "required": ["proposals", "recommended", "thresholds"],
            "properties": {
                "language": {"type": "string", "enum": ["fr", "nl", "en"]},
                "recommended": {
                    "type": "integer",
                    "description": "Index of the proposal with the best SME score.",
                },
                "target_lot_size": _MONEY,
                "thresholds": {
                    "type": "object",
                    "description": "The thresholds in force on the planned publication date.",
                    "required": [
                        "on_date",
                        "eu",
                        "divide_or_explain",
                        "accepted_invoice",
                        "negotiated",
                    ],
                    "properties": {
                        "on_date": {"type": "string", "format": "date"},
                        "eu": {"$ref": "#/components/schemas/LotSplitThreshold"},
                        "divide_or_explain": {"$ref": "#/components/schemas/LotSplitThreshold"},
                        "accepted_invoice": {"$ref": "#/components/schemas/LotSplitThreshold"},
                        "negotiated": {"$ref": "#/components/schemas/LotSplitThreshold"},
                    },
                },
                "proposals": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 3,
                    "items": {"$ref": "#/components/schemas/LotSplitProposal"},
                },
            },
        },
        "LotSplitAssessResponse": {
            "type": "object",
            "required": ["proposal"],
            "properties": {
                "language": {"type": "string"},
                "proposal": {"$ref": "#/components/schemas/LotSplitProposal"},
            },
        },
    }
)

_EXAMPLE_REQUEST = {
    "items": [
        {
            "id": "town-hall",
            "description": "Daily cleaning of the town hall",
            "cpv": "90919200-4",
            "value": "480000.00",
            "municipality": "Ixelles",
            "site": "Town hall",
        },
        {
            "id": "schools",
            "description": "Cleaning of the municipal schools",
            "cpv": "90911200-8",
            "value": "620000.00",
            "municipality": "Ixelles",
        },
        {
            "id": "windows",
            "description": "Window cleaning, all buildings",
            "cpv": "90911300-9",
            "value": "96000.00",
        },
        {
            "id": "products",
            "description": "Ecolabelled cleaning products",
            "cpv": "39830000-9",
            "value": "12500.50",
        },
    ],
    "options": {
        "authority_kind": "sub_central",
        "contract_type": "services",
        "publication_date": "2027-02-15",
        "max_lots_per_tenderer": 2,
        "duration_months": 48,
    },
}

_LANGUAGE_HEADER = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "description": "Language of the messages: fr, nl or en (default fr).",
    "schema": {"type": "string", "examples": ["nl-BE,nl;q=0.9"]},
}

_ERRORS = {
    "400": {
        **error_response(
            "Invalid input: not JSON, wrong content type, unknown CPV codes, negative or "
            "missing values, empty item lists, unknown places, impossible dates, too many items "
            "(more than 5,000). 'fields' lists the messages per field, for example "
            "'items.3.cpv' (0-based positions)."
        ),
    },
    "413": error_response("The body is larger than 4 MiB."),
}
_ERRORS["400"]["content"]["application/json"]["example"] = {
    "error": {
        "code": "validation_error",
        "message": "Some values are not valid.",
        "fields": {
            "items.3.cpv": [
                "“99999999-9” is not a code of the CPV 2008 list (for example 90911200-8)."
            ],
            "items.0.value": ["Enter a number greater than zero."],
        },
    }
}

add_paths(
    {
        "/lot-split": {
            "post": {
                "tags": ["lots"],
                "summary": "Propose SME-friendly lot structures with their legal checks",
                "description": (
                    "Returns two or three alternative lot structures (by trade, by place, by "
                    "size band; the single lot when nothing else differs), each with its lots "
                    "(value, turnover cap and SME-friendly suggestion, SME suitability with the "
                    "reason, procedure) and the legal checks with their article and a "
                    "plain-language message. Thresholds in force on the publication date are "
                    "those of the portal, which the regional coordinator keeps up to date."
                ),
                "parameters": [_LANGUAGE_HEADER],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/LotSplitRequest"},
                            "example": _EXAMPLE_REQUEST,
                        }
                    },
                },
                "responses": {
                    "200": json_response(
                        "The proposals, the recommended one and the thresholds used.",
                        {"$ref": "#/components/schemas/LotSplitResponse"},
                    ),
                    **_ERRORS,
                },
            }
        },
        "/lot-split/assess": {
            "post": {
                "tags": ["lots"],
                "summary": "Check a lot structure arranged by hand",
                "description": (
                    "The same figures and checks as a proposal, for lots given as lists of "
                    "item ids. Every item must be in exactly one lot."
                ),
                "parameters": [_LANGUAGE_HEADER],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/LotSplitAssessRequest"},
                            "example": {
                                **_EXAMPLE_REQUEST,
                                "lots": [["town-hall", "schools"], ["windows", "products"]],
                            },
                        }
                    },
                },
                "responses": {
                    "200": json_response(
                        "The structure's figures and checks.",
                        {"$ref": "#/components/schemas/LotSplitAssessResponse"},
                    ),
                    **_ERRORS,
                },
            }
        },
    }
)
