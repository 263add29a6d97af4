"""The dossier's chosen lots as Open Contracting Data (OCDS 1.1.5 with the lots extension).

:func:`release_package` builds a release package holding one *planning* release: the tender as
it is planned (status ``planned``), its items with their CPV classification and ``relatedLot``,
its lots with their estimated values, ``tender.lotDetails`` (the most lots one supplier may bid
for and be awarded, with the objective award rule as ``awardCriteriaDetails``) and, when the
buyer allows combined bids, a lot group with ``optionToCombine``.

``lot.suitability.sme`` follows the OCDS *suitability* extension, which is not shipped with the
project's copy of the schemas (``portal/data/ocds``): the package declares it in its
``extensions``, and validation against the 1.1.5 schema plus the lots extension accepts it as an
additional field (OCDS allows additional fields). :func:`validate_package` validates a package
offline against those local schemas.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from portal.lots.rules import ContractType

OCDS_DIR = Path(__file__).resolve().parent.parent / "data" / "ocds"
SCHEMA_BASE = "https://standard.open-contracting.org/schema/1__1__5/"
LOTS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/"
    "v1.1.5/extension.json"
)
SUITABILITY_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_suitability_extension/"
    "master/extension.json"
)
#: Prefix of OCDS identifiers until the publisher registers its own with the Open Contracting
#: Partnership (set ``OCDS_OCID_PREFIX`` in the configuration).
DEFAULT_OCID_PREFIX = "ocds-clausier"

_CATEGORY = {
    ContractType.works: "works",
    ContractType.supplies: "goods",
    ContractType.services: "services",
}


def _number(value: Decimal) -> int | float:
    """An OCDS number: JSON has no decimals, so whole amounts stay integers."""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _value(amount: Decimal) -> dict[str, Any]:
    return {"amount": _number(amount), "currency": "EUR"}


@dataclass(frozen=True)
class OcdsItem:
    id: str
    description: str
    cpv: str
    cpv_label: str
    quantity: Decimal
    unit: str
    lot: int | None


@dataclass(frozen=True)
class OcdsLot:
    number: int
    title: str
    description: str
    value: Decimal
    sme_suitable: bool | None


@dataclass(frozen=True)
class OcdsTender:
    """What the release says about the tender, as plain data."""

    ocid_prefix: str
    dossier_id: int
    revision: int
    reference: str
    title: str
    description: str
    language: str
    contract_type: ContractType
    buyer_id: str
    buyer_name: str
    items: Sequence[OcdsItem]
    lots: Sequence[OcdsLot]
    total_value: Decimal
    max_lots_bid: int | None = None
    max_lots_awarded: int | None = None
    award_rule: str = ""
    combined_lots: Sequence[int] = ()


def lot_id(number: int) -> str:
    return f"lot-{number}"


def release_package(tender: OcdsTender, *, now: datetime, uri: str) -> dict[str, Any]:
    """Build the release package of a dossier's planned tender and its lots."""
    stamp = now.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    ocid = f"{tender.ocid_prefix}-{tender.dossier_id}"
    items = []
    for item in tender.items:
        entry: dict[str, Any] = {
            "id": item.id,
            "description": item.description,
            "classification": {
                "scheme": "CPV",
                "id": item.cpv[:8],
                "description": item.cpv_label,
            },
            "quantity": _number(item.quantity),
            "unit": {"name": item.unit},
        }
        if item.lot is not None:
            entry["relatedLot"] = lot_id(item.lot)
        items.append(entry)
    body: dict[str, Any] = {
        "id": tender.reference or str(tender.dossier_id),
        "title": tender.title,
        "status": "planned",
        "mainProcurementCategory": _CATEGORY[tender.contract_type],
        "value": _value(tender.total_value),
        "items": items,
    }
    if tender.description:
        body["description"] = tender.description
    if tender.lots:
        lots = []
        for lot in tender.lots:
            entry = {
                "id": lot_id(lot.number),
                "title": lot.title,
                "description": lot.description,
                "status": "planned",
                "value": _value(lot.value),
            }
            if lot.sme_suitable is not None:
                entry["suitability"] = {"sme": lot.sme_suitable}
            lots.append(entry)
        body["lots"] = lots
        details: dict[str, Any] = {}
        if tender.max_lots_bid:
            details["maximumLotsBidPerSupplier"] = tender.max_lots_bid
        if tender.max_lots_awarded:
            details["maximumLotsAwardedPerSupplier"] = tender.max_lots_awarded
        if tender.award_rule:
            details["awardCriteriaDetails"] = tender.award_rule
        if details:
            body["lotDetails"] = details
        if tender.combined_lots:
            body["lotGroups"] = [
                {
                    "id": "combined",
                    "relatedLots": [lot_id(n) for n in tender.combined_lots],
                    "optionToCombine": True,
                }
            ]
    release = {
        "ocid": ocid,
        "id": f"{ocid}-lots-{tender.revision}",
        "date": stamp,
        "tag": ["planning"],
        "initiationType": "tender",
        "language": tender.language,
        "parties": [
            {
                "id": tender.buyer_id,
                "name": tender.buyer_name,
                "roles": ["buyer", "procuringEntity"],
            }
        ],
        "buyer": {"id": tender.buyer_id, "name": tender.buyer_name},
        "tender": body,
    }
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": stamp,
        "publisher": {"name": "Clausier"},
        "extensions": [LOTS_EXTENSION, SUITABILITY_EXTENSION],
        "releases": [release],
    }


# ------------------------------------------------------------------------------------------------
# Offline validation against the project's copy of the schemas


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply a JSON Merge Patch (RFC 7386), the way OCDS extensions patch the schema."""
    if not isinstance(patch, Mapping):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


@lru_cache(maxsize=1)
def _schemas() -> tuple[dict[str, Any], dict[str, Any]]:
    def read(path: Path) -> dict[str, Any]:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)

    release = read(OCDS_DIR / "standard-1.1.5" / "release-schema.json")
    lots = read(OCDS_DIR / "ocds_lots_extension" / "v1.1.5" / "release-schema.json")
    package = read(OCDS_DIR / "standard-1.1.5" / "release-package-schema.json")
    return merge_patch(release, lots), package


def validate_package(package: Mapping[str, Any]) -> list[str]:
    """Validate a release package offline; return the problems (empty when valid)."""
    from jsonschema import Draft4Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    release, package_schema = _schemas()
    registry = Registry().with_resources(
        [
            (SCHEMA_BASE + "release-schema.json", Resource(release, specification=DRAFT4)),
            (
                SCHEMA_BASE + "release-package-schema.json",
                Resource(package_schema, specification=DRAFT4),
            ),
        ]
    )
    validator = Draft4Validator(package_schema, registry=registry, format_checker=FormatChecker())
    problems = []
    for error in sorted(validator.iter_errors(package), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path)
        problems.append(f"{where}: {error.message}")
    return problems
