"""Tender builder services: dossiers, clause selection with pinned versions, upgrades,
generation of Word documents and authorities' own templates.

Services are plain functions over a session, as everywhere in Clausier: they check permissions
themselves, write an audit row for every change (``entity_type="dossier"`` for everything about
one dossier, so that its history is one query), flush but never commit.

Who sees what:

- buyers and authority managers (``Permission.manage_dossiers``) see and change only their own
  authority's dossiers; another authority's dossier is a :class:`~portal.errors.NotFound`, as if
  it did not exist, so that nothing leaks (not even that the id is taken);
- the coordinator sees every dossier;
- authority managers (``Permission.manage_templates``) upload their authority's templates; the
  authority's buyers choose among the active ones when they generate.

Pinned versions: a dossier's clause selection stores the exact clause version it uses. A newer
published version never replaces it by itself; :func:`upgrade_clause` does it on the buyer's
request, keeps the parameter values the new version still accepts and reports the others.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from portal.accounts.models import Role, User
from portal.accounts.permissions import Permission, require
from portal.audit.services import events_for, record
from portal.clauses import services as clauses
from portal.clauses.diff import FieldDiff
from portal.clauses.models import PUBLIC_STATUSES, ClauseVersion, VersionStatus
from portal.clauses.vocabulary import ParamType, Placement
from portal.db import utcnow
from portal.documents import (
    builtin,
    checksum,
    convert_to_pdf,
    render_document,
    validate_template,
)
from portal.documents.render import TEMPLATE_FIELD
from portal.errors import Conflict, NotFound, PermissionDenied, ValidationError
from portal.i18n import _l, format_money
from portal.lots.rules import ContractType
from portal.pagination import Page, paginate
from portal.reference import services as reference
from portal.reference.models import ContractingAuthority, ProcurementCategory
from portal.tenders.context import BRUSSELS, PinnedClause, build_context, pinned_clauses
from portal.tenders.models import (
    AuthorityTemplate,
    DocumentLanguage,
    Dossier,
    DossierClause,
    GeneratedDocument,
    IntendedProcedure,
)

MAX_TITLE = 300
MAX_SUBJECT = 5000
MAX_REFERENCE = 60
MAX_ADDITIONAL_CPV = 30
#: Estimated values are stored as NUMERIC(14, 2).
MAX_VALUE = Decimal("999999999999.99")
#: A removal justification must say something (a few words at least).
MIN_JUSTIFICATION = 15
MAX_JUSTIFICATION = 4000
MAX_TEMPLATE_NAME = 120
#: A planned publication date lies within these bounds of today (when it is set or changed).
PUBLICATION_PAST = timedelta(days=366)
PUBLICATION_FUTURE = timedelta(days=5 * 366)
#: The built-in template's name in the history (not translated: it is stored).
BUILTIN_TEMPLATE_NAME = "Clausier"
#: Placements shown together on the clause page, in tender order.
PLACEMENT_GROUPS: tuple[tuple[str, tuple[Placement, ...]], ...] = (
    ("procedure", (Placement.procedure,)),
    ("selection", (Placement.exclusion, Placement.selection)),
    ("technical_specification", (Placement.technical_specification,)),
    ("award", (Placement.award,)),
    ("performance", (Placement.performance,)),
)
PLACEMENT_GROUP_TITLES = {
    "procedure": _l("Procedure and lots"),
    "selection": _l("Exclusion and selection"),
    "technical_specification": _l("Technical specifications"),
    "award": _l("Award criteria"),
    "performance": _l("Contract performance clauses"),
}


def brussels_today() -> date:
    """Today in Brussels (mandatory criteria and dates are Brussels dates)."""
    return utcnow().astimezone(BRUSSELS).date()


# ------------------------------------------------------------------------------------------------
# Who may see what


def is_coordinator(actor: Any) -> bool:
    return getattr(actor, "role", None) == Role.coordinator


def _actor_authority(actor: Any) -> int | None:
    """The authority whose dossiers the actor sees; None for the coordinator (all of them).

    :raises PermissionDenied: an authority role without an authority (a broken account).
    """
    if is_coordinator(actor):
        return None
    authority_id = getattr(actor, "authority_id", None)
    if authority_id is None:
        raise PermissionDenied(_l("Your account is not linked to a contracting authority."))
    return authority_id


def get_dossier(session: Session, *, actor: Any, dossier_id: int) -> Dossier:
    """Return a dossier the actor may see.

    :raises PermissionDenied: the actor may not manage dossiers.
    :raises NotFound: no such dossier, or it belongs to another authority.
    """
    require(actor, Permission.manage_dossiers)
    scope = _actor_authority(actor)
    dossier = session.get(Dossier, dossier_id)
    if dossier is None or (scope is not None and dossier.authority_id != scope):
        raise NotFound(_l("This dossier does not exist or belongs to another authority."))
    return dossier


@dataclass
class DossierRow:
    """One line of the dossier list."""

    dossier: Dossier
    authority: ContractingAuthority
    category: ProcurementCategory
    last_document: GeneratedDocument | None
    #: ``never``, ``current`` (the last document reflects the dossier) or ``outdated``.
    generation: str


def list_dossiers(
    session: Session, *, actor: Any, page: Any = 1, size: int = 25, query: str = ""
) -> Page:
    """The dossiers the actor sees, most recently changed first, with their generation status.

    :raises PermissionDenied: the actor may not manage dossiers.
    """
    require(actor, Permission.manage_dossiers)
    scope = _actor_authority(actor)
    stmt = select(Dossier).order_by(sa.desc(Dossier.updated_at), sa.desc(Dossier.id))
    if scope is not None:
        stmt = stmt.where(Dossier.authority_id == scope)
    text = (query or "").strip()[:100]
    if text:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped.lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(Dossier.title).like(pattern, escape="\\"),
                sa.func.lower(sa.func.coalesce(Dossier.reference, "")).like(pattern, escape="\\"),
            )
        )
    result = paginate(session, stmt, page, size)
    dossiers: list[Dossier] = result.items
    ids = [d.id for d in dossiers]
    last: dict[int, GeneratedDocument] = {}
    if ids:
        newest = (
            select(sa.func.max(GeneratedDocument.id))
            .where(GeneratedDocument.dossier_id.in_(ids))
            .group_by(GeneratedDocument.dossier_id)
        )
        for doc in session.exec(
            select(GeneratedDocument)
            .options(defer(GeneratedDocument.content))
            .where(GeneratedDocument.id.in_(newest))
        ):
            last[doc.dossier_id] = doc
    authorities = rows_by_id(session, ContractingAuthority, {d.authority_id for d in dossiers})
    categories = rows_by_id(session, ProcurementCategory, {d.category_id for d in dossiers})
    result.items = [
        DossierRow(
            dossier=d,
            authority=authorities[d.authority_id],
            category=categories[d.category_id],
            last_document=last.get(d.id),
            generation=generation_status(d, last.get(d.id)),
        )
        for d in dossiers
    ]
    return result


def rows_by_id(session: Session, model: Any, ids: Iterable[int | None]) -> dict[int, Any]:
    """Rows of ``model`` by id, in one query (list pages)."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    return {row.id: row for row in session.exec(select(model).where(model.id.in_(wanted)))}


def generation_status(dossier: Dossier, document: GeneratedDocument | None) -> str:
    """``never``, ``current`` (the document reflects the dossier as it is) or ``outdated``."""
    if document is None:
        return "never"
    return "current" if document.dossier_revision == dossier.lock_version else "outdated"


# ------------------------------------------------------------------------------------------------
# Creating and editing dossiers

#: Fields of a dossier as the services receive them, and how the audit trail names them.
DOSSIER_FIELDS = (
    "title",
    "subject",
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


def parse_amount(raw: Any) -> Decimal:
    """Read an amount typed by a person: ``1 234 567,50``, ``1.234.567,50`` or ``1234567.5``.

    :raises ValueError: not an amount.
    """
    if isinstance(raw, Decimal | int):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(str(raw))
    text = str(raw or "").strip()
    for junk in ("\u00a0", "\u202f", " ", "€", "EUR", "eur"):
        text = text.replace(junk, "")
    if "," in text and "." in text:
        # The last separator is the decimal one: 1.234,50 (Belgian) or 1,234.50 (English).
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        text = text.replace(",", ".")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(raw) from None
    if not value.is_finite():
        raise ValueError(raw)
    return value


def split_cpv_list(raw: Any) -> list[str]:
    """Split additional CPV codes given as a list or as text (commas, semicolons, new lines)."""
    if raw is None:
        return []
    items = raw if isinstance(raw, list | tuple) else re.split(r"[,;\n\r]+", str(raw))
    result = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        # "90910000-9 Cleaning services" (a datalist suggestion): keep the code only.
        match = re.match(r"^(\d{8}(?:-\d)?)(?:\s|$)", text)
        result.append(match.group(1) if match else text)
    return result


def _clean_dossier_data(
    session: Session,
    data: Mapping[str, Any],
    *,
    authority_id: int,
    current: Dossier | None,
    today: date,
) -> dict[str, Any]:
    """Check the dossier fields; return them converted.

    :raises ValidationError: messages per field.
    """
    errors: dict[str, list[Any]] = {}
    clean: dict[str, Any] = {}

    def err(name: str, message: Any) -> None:
        errors.setdefault(name, []).append(message)

    title = " ".join(str(data.get("title") or "").split())
    if not title:
        err("title", _l("Give the dossier a title."))
    elif len(title) > MAX_TITLE:
        err("title", _l("Use at most %(n)d characters.", n=MAX_TITLE))
    clean["title"] = title

    subject = str(data.get("subject") or "").strip().replace("\r\n", "\n")
    if len(subject) > MAX_SUBJECT:
        err("subject", _l("Use at most %(n)d characters.", n=MAX_SUBJECT))
    clean["subject"] = subject

    # The Dutch title and subject of a bilingual dossier. A caller that does not give them
    # (older API or CLI data) keeps the stored ones; the documents tab then warns.
    dutch_given = "title_nl" in data or "subject_nl" in data
    title_nl = " ".join(str(data.get("title_nl") or "").split())
    if len(title_nl) > MAX_TITLE:
        err("title_nl", _l("Use at most %(n)d characters.", n=MAX_TITLE))
    subject_nl = str(data.get("subject_nl") or "").strip().replace("\r\n", "\n")
    if len(subject_nl) > MAX_SUBJECT:
        err("subject_nl", _l("Use at most %(n)d characters.", n=MAX_SUBJECT))
    if dutch_given:
        clean["title_nl"] = title_nl
        clean["subject_nl"] = subject_nl
    elif current is None:
        clean["title_nl"] = ""
        clean["subject_nl"] = ""

    category_code = str(data.get("category") or "").strip()
    category = None
    if not category_code:
        err("category", _l("Choose a procurement category."))
    else:
        try:
            category = reference.get_category(session, category_code[:40])
        except NotFound:
            err("category", _l("Choose one of the procurement categories."))
    clean["category_id"] = category.id if category else None

    main_raw = str(data.get("main_cpv") or "").strip()
    main = None
    if not main_raw:
        err("main_cpv", _l("Enter the main CPV code."))
    else:
        try:
            main = reference.validate_cpv(split_cpv_list(main_raw)[0], field="main_cpv")
        except ValidationError as exc:
            for message in exc.errors.get("main_cpv", []):
                err("main_cpv", message)
    clean["main_cpv"] = main

    additional: list[str] = []
    for raw in split_cpv_list(data.get("additional_cpv")):
        try:
            code = reference.validate_cpv(raw, field="additional_cpv")
        except ValidationError as exc:
            for message in exc.errors.get("additional_cpv", []):
                err("additional_cpv", message)
            continue
        if code != main and code not in additional:
            additional.append(code)
    if len(additional) > MAX_ADDITIONAL_CPV:
        err("additional_cpv", _l("Give at most %(n)d additional CPV codes.", n=MAX_ADDITIONAL_CPV))
    clean["additional_cpv"] = additional

    value = None
    raw_value = data.get("estimated_value")
    if raw_value is None or str(raw_value).strip() == "":
        err("estimated_value", _l("Enter the estimated value excluding VAT."))
    else:
        try:
            value = parse_amount(raw_value)
        except ValueError:
            err("estimated_value", _l("Enter an amount in euro, such as 250000 or 250 000,00."))
        else:
            if value <= 0:
                err("estimated_value", _l("The estimated value must be more than zero."))
            elif value > MAX_VALUE:
                err("estimated_value", _l("This amount is too large."))
            elif value != value.quantize(Decimal("0.01")):
                err("estimated_value", _l("Give the amount in euro and cents at most."))
    clean["estimated_value"] = value

    for name, enum_cls, message in (
        ("contract_type", ContractType, _l("Choose works, supplies or services.")),
        ("procedure", IntendedProcedure, _l("Choose one of the procedures.")),
        ("language", DocumentLanguage, _l("Choose French, Dutch or both.")),
    ):
        raw = str(data.get(name) or "").strip()
        try:
            clean[name] = enum_cls(raw)
        except ValueError:
            err(name, message)
            clean[name] = None

    if dutch_given and clean.get("language") is DocumentLanguage.both:
        if not title_nl:
            err(
                "title_nl",
                _l("The documents are in French and Dutch: give the title in Dutch too."),
            )
        if subject and not subject_nl:
            err(
                "subject_nl",
                _l("The documents are in French and Dutch: give the subject in Dutch too."),
            )

    if clean.get("contract_type") == ContractType.works and main and not main.startswith("45"):
        err(
            "main_cpv",
            _l("A works contract has its main CPV code in division 45 (construction work)."),
        )

    when = data.get("publication_date")
    if isinstance(when, str):
        text = when.strip()
        try:
            when = date.fromisoformat(text) if text else None
        except ValueError:
            err("publication_date", _l("Enter a date such as 2027-03-15."))
            when = None
    if when is not None and not isinstance(when, date):
        err("publication_date", _l("Enter a date such as 2027-03-15."))
        when = None
    changed_date = current is None or when != current.publication_date
    if when is not None and changed_date:
        if when < today - PUBLICATION_PAST:
            err("publication_date", _l("The planned publication date is more than a year ago."))
        elif when > today + PUBLICATION_FUTURE:
            err(
                "publication_date",
                _l("The planned publication date is more than five years ahead."),
            )
    clean["publication_date"] = when

    ref = " ".join(str(data.get("reference") or "").split()) or None
    if ref and len(ref) > MAX_REFERENCE:
        err("reference", _l("Use at most %(n)d characters.", n=MAX_REFERENCE))
    elif ref:
        clash = session.exec(
            select(Dossier.id).where(
                Dossier.authority_id == authority_id,
                Dossier.reference == ref,
                Dossier.id != (current.id if current else -1),
            )
        ).first()
        if clash is not None:
            err("reference", _l("Another dossier of this authority already uses this reference."))
    clean["reference"] = ref

    if (
        clean.get("procedure") is IntendedProcedure.accepted_invoice
        and clean.get("contract_type") is not None
        and value
        and "estimated_value" not in errors
    ):
        limits = procedure_thresholds(session, authority_id, clean["contract_type"], when or today)
        if limits is not None and value >= limits.accepted_invoice.amount:
            err(
                "procedure",
                _l(
                    "An accepted invoice is only allowed for contracts below %(ceiling)s "
                    "excluding VAT (law of 17 June 2016, art. 92); this one is estimated at "
                    "%(value)s. Choose another procedure.",
                    ceiling=format_money(limits.accepted_invoice.amount),
                    value=format_money(value),
                ),
            )

    if errors:
        raise ValidationError(errors)
    return clean


def procedure_thresholds(
    session: Session, authority_id: int, contract_type: Any, on_date: date
) -> Any:
    """The thresholds of :mod:`portal.lots.rules` in force for the authority, or ``None``."""
    from portal.lots.rules import NoThresholdInForce, ThresholdDataError, thresholds_in_force
    from portal.lots.services import current_thresholds  # the lots domain owns the figures
    from portal.reference.models import AuthorityKind

    authority = session.get(ContractingAuthority, authority_id)
    if authority is None or contract_type is None:
        return None
    try:
        return thresholds_in_force(
            current_thresholds(session),
            on_date,
            contract_type=ContractType(contract_type),
            authority_kind=AuthorityKind(authority.kind),
        )
    except (NoThresholdInForce, ThresholdDataError, ValueError):
        return None


def procedure_warnings(session: Session, dossier: Dossier) -> list[Any]:
    """Where the intended procedure does not fit the dossier's estimated value (not blocking).

    The figures are the thresholds data of :mod:`portal.lots.rules`, on the planned publication
    date (else today).
    """
    value = Decimal(dossier.estimated_value or 0)
    limits = procedure_thresholds(
        session,
        dossier.authority_id,
        dossier.contract_type,
        dossier.publication_date or brussels_today(),
    )
    if limits is None or not value:
        return []
    procedure = IntendedProcedure(dossier.procedure)
    shown = format_money(value)
    found: list[Any] = []
    if procedure is IntendedProcedure.accepted_invoice and value >= limits.accepted_invoice.amount:
        found.append(
            _l(
                "The procedure is an accepted invoice, which is only allowed below %(ceiling)s "
                "excluding VAT (law of 17 June 2016, art. 92), but the estimated value is "
                "%(value)s. Choose another procedure in the dossier.",
                ceiling=format_money(limits.accepted_invoice.amount),
                value=shown,
            )
        )
    elif (
        procedure is IntendedProcedure.negotiated_without_publication
        and value >= limits.negotiated.amount
    ):
        found.append(
            _l(
                "The procedure is a negotiated procedure without prior publication, which its "
                "value only justifies below %(ceiling)s excluding VAT (law of 17 June 2016, art. "
                "42 §1 1° a) ii), but the estimated value is %(value)s. Check that another "
                "ground of art. 42 applies, or choose another procedure.",
                ceiling=format_money(limits.negotiated.amount),
                value=shown,
            )
        )
    elif procedure is IntendedProcedure.negotiated_with_publication and value >= limits.eu.amount:
        found.append(
            _l(
                "The procedure is a negotiated procedure with prior publication, which is only "
                "allowed below the EU threshold of %(ceiling)s excluding VAT (law of 17 June "
                "2016, art. 41), but the estimated value is %(value)s. Choose another procedure.",
                ceiling=format_money(limits.eu.amount),
                value=shown,
            )
        )
    return found


def language_warnings(dossier: Dossier) -> list[Any]:
    """Where the Dutch documents of a bilingual dossier would print French text (not blocking)."""
    if dossier.language != DocumentLanguage.both:
        return []
    found: list[Any] = []
    if not dossier.title_nl or dossier.title_nl == dossier.title:
        found.append(
            _l(
                "The Dutch title of the dossier is missing or the same as the French one: the "
                "Dutch documents would print “%(title)s”. Give the Dutch title in the dossier.",
                title=dossier.title,
            )
        )
    if dossier.subject and (not dossier.subject_nl or dossier.subject_nl == dossier.subject):
        found.append(
            _l(
                "The Dutch subject of the dossier is missing or the same as the French one. "
                "Give the Dutch subject in the dossier."
            )
        )
    return found


def _audit_value(name: str, value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return value


def create_dossier(
    session: Session,
    *,
    actor: Any,
    data: Mapping[str, Any],
    authority_id: int | None = None,
    today: date | None = None,
) -> Dossier:
    """Create a dossier for the actor's authority and pre-select its mandatory base criteria.

    The coordinator, who belongs to no authority, names the authority with ``authority_id``.

    :raises PermissionDenied: the actor may not manage dossiers.
    :raises ValidationError: messages per field.
    """
    require(actor, Permission.manage_dossiers)
    today = today or brussels_today()
    scope = _actor_authority(actor)
    if scope is None:
        if authority_id is None or session.get(ContractingAuthority, authority_id) is None:
            raise ValidationError.single("authority", _l("Choose the contracting authority."))
        scope = authority_id
    clean = _clean_dossier_data(session, data, authority_id=scope, current=None, today=today)
    now = utcnow()
    dossier = Dossier(
        authority_id=scope,
        created_by_id=getattr(actor, "id", None),
        updated_by_id=getattr(actor, "id", None),
        created_at=now,
        updated_at=now,
        **clean,
    )
    session.add(dossier)
    session.flush()
    record(
        session,
        actor=actor,
        action="dossier.created",
        entity_type="dossier",
        entity_id=dossier.id,
        data={
            "changes": {
                name: [None, _audit_value(name, value)]
                for name, value in clean.items()
                if value not in (None, "", [])
            }
        },
    )
    preselect_mandatory(session, actor=actor, dossier=dossier, today=today)
    return dossier


def update_dossier(
    session: Session,
    *,
    actor: Any,
    dossier_id: int,
    data: Mapping[str, Any],
    lock_version: int,
    today: date | None = None,
) -> Dossier:
    """Change a dossier's fields; newly mandatory criteria are pre-selected.

    :raises PermissionDenied: the actor may not manage dossiers.
    :raises NotFound: no such dossier for this actor.
    :raises Conflict: someone changed the dossier since ``lock_version``.
    :raises ValidationError: messages per field.
    """
    today = today or brussels_today()
    dossier = get_dossier(session, actor=actor, dossier_id=dossier_id)
    _check_lock(dossier, lock_version)
    clean = _clean_dossier_data(
        session, data, authority_id=dossier.authority_id, current=dossier, today=today
    )
    changes = {}
    for name, value in clean.items():
        old = getattr(dossier, name)
        if isinstance(old, Decimal) and value is not None:
            same = Decimal(old) == Decimal(value)
        else:
            same = old == value
        if not same:
            changes[name] = [_audit_value(name, old), _audit_value(name, value)]
            setattr(dossier, name, value)
    if changes:
        touch_dossier(dossier, actor)
        session.flush()
        record(
            session,
            actor=actor,
            action="dossier.updated",
            entity_type="dossier",
            entity_id=dossier.id,
            data={"changes": changes},
        )
        if {"category_id", "publication_date"} & changes.keys():
            preselect_mandatory(session, actor=actor, dossier=dossier, today=today)
    return dossier


def _check_lock(dossier: Dossier, lock_version: Any) -> None:
    try:
        given = int(lock_version)
    except (TypeError, ValueError):
        given = -1
    if given != dossier.lock_version:
        raise Conflict(
            _l(
                "Someone changed this dossier while you were editing it. Reload the page; "
                "your changes were not saved."
            )
        )


def touch_dossier(dossier: Dossier, actor: Any) -> None:
    """Mark the dossier as changed by ``actor`` (documents made before it become outdated)."""
    dossier.updated_at = utcnow()
    dossier.updated_by_id = getattr(actor, "id", None)


# ------------------------------------------------------------------------------------------------
# Mandatory base criteria


def mandatory_day(dossier: Dossier, today: date | None = None) -> date:
    """The day that decides which criteria are mandatory: publication date, else today."""
    return dossier.publication_date or today or brussels_today()


def _category_code(session: Session, dossier: Dossier) -> str:
    category = session.get(ProcurementCategory, dossier.category_id)
    return category.code


def mandatory_for(session: Session, dossier: Dossier, today: date | None = None) -> list[Any]:
    return clauses.mandatory_versions(
        session, category=_category_code(session, dossier), on=mandatory_day(dossier, today)
    )


def _selections(session: Session, dossier: Dossier) -> dict[str, DossierClause]:
    rows = session.exec(select(DossierClause).where(DossierClause.dossier_id == dossier.id))
    return {row.clause_code: row for row in rows}


def _next_position(selections: Mapping[str, DossierClause]) -> int:
    return max((row.position for row in selections.values()), default=0) + 1


def preselect_mandatory(
    session: Session, *, actor: Any, dossier: Dossier, today: date | None = None
) -> list[DossierClause]:
    """Add the mandatory base criteria the dossier does not hold yet, included, with defaults.

    A criterion the buyer already removed (with a justification) stays removed.
    """
    selections = _selections(session, dossier)
    added = []
    for version in mandatory_for(session, dossier, today):
        row = selections.get(version.code)
        if row is not None:
            if not row.is_mandatory:
                row.is_mandatory = True
            continue
        row = DossierClause(
            dossier_id=dossier.id,
            clause_code=version.code,
            version_id=version.id,
            is_included=True,
            is_mandatory=True,
            parameter_values={},
            weight=version.award_weight_suggested if version.placement == Placement.award else None,
            position=_next_position(selections),
        )
        session.add(row)
        selections[version.code] = row
        added.append(row)
        record(
            session,
            actor=actor,
            action="dossier.clause.added",
            entity_type="dossier",
            entity_id=dossier.id,
            data={
                "code": version.code,
                "version": version.number,
                "mandatory": True,
                "weight": row.weight,
            },
        )
    if added:
        session.flush()
    return added


# ------------------------------------------------------------------------------------------------
# The clause board: proposals, selection, notices


@dataclass
class Upgrade:
    """A newer published version of a pinned clause."""

    current: ClauseVersion
    latest: ClauseVersion
    #: Changed fields only, in display order.
    diffs: list[FieldDiff]


@dataclass
class BoardItem:
    """One clause on the clause page."""

    code: str
    #: The version shown: the pinned one when selected, else the one that would be pinned.
    version: ClauseVersion
    selection: DossierClause | None
    is_mandatory: bool
    #: Shown as chosen: the selection says so, or it is a mandatory criterion not yet decided.
    is_included: bool
    #: True when the clause is no longer proposed for the dossier (category or CPV changed).
    is_extra: bool = False
    #: A newer published version, if any.
    upgrade: Upgrade | None = None
    #: True when the clause was retired from the library after it was pinned.
    is_retired: bool = False

    @property
    def values(self) -> dict[str, Any]:
        return dict(self.selection.parameter_values or {}) if self.selection else {}

    @property
    def weight(self) -> int | None:
        if self.selection is not None and self.selection.weight is not None:
            return self.selection.weight
        return self.version.award_weight_suggested

    @property
    def is_award(self) -> bool:
        return self.version.placement == Placement.award

    @property
    def undecided(self) -> bool:
        """A mandatory criterion that the buyer has neither accepted nor removed yet."""
        return self.is_mandatory and self.selection is None


@dataclass
class Board:
    dossier: Dossier
    groups: list[tuple[str, list[BoardItem]]]
    price_weight: int
    mandatory_day: date

    @property
    def items(self) -> list[BoardItem]:
        return [item for _, items in self.groups for item in items]

    def item(self, code: str) -> BoardItem | None:
        return next((i for i in self.items if i.code == code), None)

    @property
    def included(self) -> list[BoardItem]:
        return [i for i in self.items if i.selection is not None and i.selection.is_included]

    @property
    def award_weights(self) -> list[tuple[BoardItem, int]]:
        return [(i, i.selection.weight or 0) for i in self.included if i.is_award]

    @property
    def weights_total(self) -> int:
        return self.price_weight + sum(w for _, w in self.award_weights)

    @property
    def upgrades(self) -> list[BoardItem]:
        return [i for i in self.items if i.selection is not None and i.upgrade is not None]

    @property
    def undecided(self) -> list[BoardItem]:
        return [i for i in self.items if i.undecided]


def _latest_by_code(session: Session, codes: Iterable[str]) -> dict[str, ClauseVersion]:
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    rows = session.exec(
        select(ClauseVersion).where(
            ClauseVersion.code.in_(wanted), ClauseVersion.status == VersionStatus.published
        )
    )
    return {v.code: v for v in rows}


def _retired_codes(session: Session, codes: Iterable[str]) -> set[str]:
    wanted = sorted(set(codes))
    if not wanted:
        return set()
    rows = session.exec(
        select(ClauseVersion.code).where(
            ClauseVersion.code.in_(wanted), ClauseVersion.status == VersionStatus.retired
        )
    )
    return set(rows)


def changed_diffs(session: Session, old: ClauseVersion, new: ClauseVersion) -> list[FieldDiff]:
    """The fields that differ between two versions (every language), in display order."""
    return [d for d in clauses.diff_versions(session, old, new) if d.changed]


def clause_board(
    session: Session,
    *,
    actor: Any,
    dossier_id: int,
    today: date | None = None,
    with_diffs: bool = True,
) -> Board:
    """The clause page of a dossier: proposals grouped by placement, with the selection.

    :raises PermissionDenied: the actor may not manage dossiers.
    :raises NotFound: no such dossier for this actor.
    """
    dossier = get_dossier(session, actor=actor, dossier_id=dossier_id)
    return build_board(session, dossier, today=today, with_diffs=with_diffs)


def build_board(
    session: Session, dossier: Dossier, *, today: date | None = None, with_diffs: bool = True
) -> Board:
    """The clause board of a dossier already checked with :func:`get_dossier`."""
    category = _category_code(session, dossier)
    cpv_codes = [dossier.main_cpv, *(dossier.additional_cpv or [])]
    proposed = clauses.proposed_versions(session, category=category, cpv_codes=cpv_codes)
    day = mandatory_day(dossier, today)
    mandatory = {v.code: v for v in clauses.mandatory_versions(session, category=category, on=day)}
    selections = _selections(session, dossier)
    pinned_versions = rows_by_id(
        session, ClauseVersion, {s.version_id for s in selections.values()}
    )

    shown: dict[str, tuple[ClauseVersion, bool]] = {}
    for versions in proposed.values():
        for v in versions:
            shown[v.code] = (v, False)
    for code, v in mandatory.items():
        shown.setdefault(code, (v, False))
    for code, row in selections.items():
        proposed_here = code in shown
        shown[code] = (pinned_versions[row.version_id], not proposed_here)

    latest = _latest_by_code(session, selections.keys())
    retired = _retired_codes(session, selections.keys()) - latest.keys()
    items: list[BoardItem] = []
    for code, (version, extra) in shown.items():
        row = selections.get(code)
        upgrade = None
        newest = latest.get(code)
        if row is not None and newest is not None and (newest.number or 0) > (version.number or 0):
            diffs = changed_diffs(session, version, newest) if with_diffs else []
            upgrade = Upgrade(current=version, latest=newest, diffs=diffs)
        is_mandatory = code in mandatory
        items.append(
            BoardItem(
                code=code,
                version=version,
                selection=row,
                is_mandatory=is_mandatory,
                is_included=row.is_included if row is not None else is_mandatory,
                is_extra=extra and not is_mandatory,
                upgrade=upgrade,
                is_retired=row is not None and code in retired,
            )
        )
    groups: list[tuple[str, list[BoardItem]]] = []
    for key, placements in PLACEMENT_GROUPS:
        members = [i for i in items if i.version.placement in placements]
        members.sort(
            key=lambda i: (
                not i.is_mandatory,
                placements.index(i.version.placement),
                i.version.ambition.rank,
                i.code,
            )
        )
        groups.append((key, members))
    return Board(
        dossier=dossier, groups=groups, price_weight=dossier.price_weight, mandatory_day=day
    )


# ------------------------------------------------------------------------------------------------
# Saving the selection


@dataclass
class ClauseChoice:
    """What the clause form says about one clause."""

    #: The version id the page showed (pinned for new selections).
    version_id: int | None
    include: bool
    #: Raw parameter values (form strings, lists for several options).
    values: dict[str, Any] = field(default_factory=dict)
    weight: Any = None
    justification: str = ""


@dataclass
class SelectionResult:
    dossier: Dossier
    changed: int
    weights_total: int

    @property
    def weights_ok(self) -> bool:
        return self.weights_total == 100


def field_name(code: str, part: str) -> str:
    """The form field of one clause: ``c-CLEAN-ENV-001-weight``, ``c-CLEAN-ENV-001-p-share``."""
    return f"c-{code}-{part}"


def _parse_weight(raw: Any) -> int | None:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(raw) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ValueError(raw)
    return int(number)


def _stored_values(version: ClauseVersion, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Check raw values and return those to store.

    Values left empty are not stored (the version's default applies), and a text equal to one
    of its defaults is not stored either, so that each document language keeps its own default
    text.

    :raises ValidationError: messages per parameter name.
    """
    checked = clauses.parameter_values(version, raw)
    stored: dict[str, Any] = {}
    for p in version.parameters or []:
        name = p["name"]
        given = raw.get(name)
        if given is None or given == "" or given == []:
            continue
        value = checked[name]
        defaults = p.get("default")
        is_text = p["type"] == ParamType.text and isinstance(defaults, dict)
        if is_text and value in defaults.values():
            continue
        stored[name] = value
    return stored


def save_selection(
    session: Session,
    *,
    actor: Any,
    dossier_id: int,
    lock_version: Any,
    price_weight: Any,
    choices: Mapping[str, ClauseChoice],
    today: date | None = None,
) -> SelectionResult:
    """Save the clause form: included clauses, parameter values, weights, removals.

    Every clause of the form is checked, and nothing is saved unless all of them are valid.
    Weights that do not total 100 are saved (the buyer may be halfway), but generation is
    refused until they do (:func:`generation_problems`).

    :raises PermissionDenied: the actor may not manage dossiers.
    :raises NotFound: no such dossier for this actor.
    :raises Conflict: someone changed the dossier since ``lock_version``.
    :raises ValidationError: messages per form field (``c-<code>-p-<name>``, ``c-<code>-weight``,
        ``c-<code>-justification``, ``price_weight``).
    """
    dossier = get_dossier(session, actor=actor, dossier_id=dossier_id)
    _check_lock(dossier, lock_version)
    board = build_board(session, dossier, today=today, with_diffs=False)
    errors: dict[str, list[Any]] = {}

    def err(name: str, message: Any) -> None:
        errors.setdefault(name, []).append(message)

    try:
        price = _parse_weight(price_weight)
    except ValueError:
        price = None
        err("price_weight", _l("Enter a whole number between 0 and 100."))
    else:
        if price is None:
            err("price_weight", _l("Enter the weight of the price (0 to 100)."))
        elif not 0 <= price <= 100:
            err("price_weight", _l("Enter a whole number between 0 and 100."))

    planned: list[tuple[BoardItem, ClauseVersion, ClauseChoice, dict[str, Any], int | None]] = []
    for code, choice in choices.items():
        item = board.item(code)
        if item is None:
            err("", _l("Clause %(code)s cannot be chosen for this dossier.", code=code[:20]))
            continue
        version = item.version
        if item.selection is None and choice.version_id not in (None, version.id):
            # The page showed another version than the one that would now be pinned: a newer
            # version came out meanwhile. Pin what the buyer read, if it is still public.
            other = session.get(ClauseVersion, choice.version_id)
            if (
                other is None
                or other.code != code
                or other.status not in PUBLIC_STATUSES
                or other.status == VersionStatus.retired
            ):
                err("", _l("Clause %(code)s changed meanwhile. Reload the page.", code=code))
                continue
            version = other
        if choice.include:
            try:
                values = _stored_values(version, choice.values)
            except ValidationError as exc:
                for name, messages in exc.errors.items():
                    for message in messages:
                        err(field_name(code, f"p-{name}"), message)
                continue
            weight = None
            if version.placement == Placement.award:
                try:
                    weight = _parse_weight(choice.weight)
                except ValueError:
                    err(field_name(code, "weight"), _l("Enter a whole number between 1 and 100."))
                    continue
                if weight is None:
                    err(field_name(code, "weight"), _l("Give this award criterion a weight."))
                    continue
                if not 1 <= weight <= 100:
                    err(field_name(code, "weight"), _l("Enter a whole number between 1 and 100."))
                    continue
            planned.append((item, version, choice, values, weight))
        else:
            justification = " ".join((choice.justification or "").split())
            if item.is_mandatory:
                if len(justification) < MIN_JUSTIFICATION:
                    err(
                        field_name(code, "justification"),
                        _l(
                            "This is a mandatory base criterion: explain in a sentence or two "
                            "why this dossier does without it."
                        ),
                    )
                    continue
                if len(justification) > MAX_JUSTIFICATION:
                    err(
                        field_name(code, "justification"),
                        _l("Use at most %(n)d characters.", n=MAX_JUSTIFICATION),
                    )
                    continue
            planned.append((item, version, choice, {}, None))
    if errors:
        raise ValidationError(errors)

    changed = 0
    positions = {i.code: i.selection for i in board.items if i.selection is not None}
    next_position = _next_position(positions)
    for item, version, choice, values, weight in planned:
        row = item.selection
        if choice.include:
            if row is None:
                row = DossierClause(
                    dossier_id=dossier.id,
                    clause_code=item.code,
                    version_id=version.id,
                    is_included=True,
                    is_mandatory=item.is_mandatory,
                    parameter_values=values,
                    weight=weight,
                    position=next_position,
                )
                next_position += 1
                session.add(row)
                changed += 1
                record(
                    session,
                    actor=actor,
                    action="dossier.clause.added",
                    entity_type="dossier",
                    entity_id=dossier.id,
                    data={
                        "code": item.code,
                        "version": version.number,
                        "mandatory": item.is_mandatory,
                        "values": values,
                        "weight": weight,
                    },
                )
                continue
            diff: dict[str, list[Any]] = {}
            if not row.is_included:
                diff["included"] = [False, True]
                row.is_included = True
                row.removal_justification = ""
            if (row.parameter_values or {}) != values:
                diff["values"] = [row.parameter_values or {}, values]
                row.parameter_values = values
            if row.weight != weight:
                diff["weight"] = [row.weight, weight]
                row.weight = weight
            if row.is_mandatory != item.is_mandatory:
                row.is_mandatory = item.is_mandatory
            if diff:
                row.updated_at = utcnow()
                changed += 1
                record(
                    session,
                    actor=actor,
                    action="dossier.clause.included"
                    if "included" in diff
                    else "dossier.clause.changed",
                    entity_type="dossier",
                    entity_id=dossier.id,
                    data={"code": item.code, "version": version.number, "changes": diff},
                )
        else:
            justification = " ".join((choice.justification or "").split())
            if row is None:
                if not item.is_mandatory:
                    continue  # an optional clause that was never chosen: nothing to record
                row = DossierClause(
                    dossier_id=dossier.id,
                    clause_code=item.code,
                    version_id=version.id,
                    is_included=False,
                    is_mandatory=True,
                    parameter_values={},
                    weight=None,
                    removal_justification=justification,
                    position=next_position,
                )
                next_position += 1
                session.add(row)
            elif row.is_included or (
                item.is_mandatory and row.removal_justification != justification
            ):
                row.is_included = False
                row.removal_justification = justification if item.is_mandatory else ""
                row.updated_at = utcnow()
            else:
                continue
            changed += 1
            record(
                session,
                actor=actor,
                action="dossier.clause.removed",
                entity_type="dossier",
                entity_id=dossier.id,
                data={
                    "code": item.code,
                    "version": version.number,
                    "mandatory": item.is_mandatory,
                    "justification": justification if item.is_mandatory else "",
                },
            )
    if price is not None and price != dossier.price_weight:
        record(
            session,
            actor=actor,
            action="dossier.updated",
            entity_type="dossier",
            entity_id=dossier.id,
            data={"changes": {"price_weight": [dossier.price_weight, price]}},
        )
        dossier.price_weight = price
        changed += 1
    if changed:
        touch_dossier(dossier, actor)
    session.flush()
    total = dossier.price_weight + sum(
        row.weight or 0
        for row, version in session.exec(
            select(DossierClause, ClauseVersion)
            .join(ClauseVersion, ClauseVersion.id == DossierClause.version_id)
            .where(
                DossierClause.dossier_id == dossier.id,
                DossierClause.is_included.is_(True),
                ClauseVersion.placement == Placement.award,
            )
        )
    )
    return SelectionResult(dossier=dossier, changed=changed, weights_total=total)


# ------------------------------------------------------------------------------------------------
# Upgrading a pinned clause


@dataclass
class DroppedValue:
    name: str
    value: Any
    reason: Any


@dataclass
class UpgradeReport:
    code: str
    old_number: int
    new_number: int
    kept: list[str]
    dropped: list[DroppedValue]
    #: What happened to the weight, if anything (a message), else None.
    weight_note: Any = None


def upgrade_clause(
    session: Session, *, actor: Any, dossier_id: int, code: str, lock_version: Any = None
) -> UpgradeReport:
    """Pin the newest published version of a clause; keep the values it still accepts.

    :raises PermissionDenied: the actor may not manage dossiers.
    :raises NotFound: no such dossier for this actor, or the clause is not in its selection.
    :raises Conflict: someone changed the dossier since ``lock_version`` (when given).
    :raises ValidationError: there is no newer version to upgrade to.
    """
    dossier = get_dossier(session, actor=actor, dossier_id=dossier_id)
    if lock_version is not None:
        _check_lock(dossier, lock_version)
    code = (code or "").upper()[:20]
    row = _selections(session, dossier).get(code)
    if row is None:
        raise NotFound(_l("Clause %(code)s is not in this dossier.", code=code))
    current = session.get(ClauseVersion, row.version_id)
    latest = clauses.latest_published(session, code)
    if latest is None or (latest.number or 0) <= (current.number or 0):
        raise ValidationError.single(
            "", _l("Clause %(code)s has no newer version to upgrade to.", code=code)
        )
    params = {p["name"]: p for p in latest.parameters or []}
    kept: list[str] = []
    dropped: list[DroppedValue] = []
    values: dict[str, Any] = {}
    for name, value in (row.parameter_values or {}).items():
        if name not in params:
            dropped.append(
                DroppedValue(name, value, _l("The new version no longer has this parameter."))
            )
            continue
        try:
            values.update(_stored_values(latest, {name: value}))
        except ValidationError as exc:
            dropped.append(DroppedValue(name, value, exc.errors.get(name, [""])[0]))
            continue
        kept.append(name)
    weight = row.weight
    note = None
    if latest.placement == Placement.award:
        if current.placement != Placement.award or weight is None:
            weight = latest.award_weight_suggested
            note = _l("It is now an award criterion, with the suggested weight %(w)s.", w=weight)
        elif latest.award_weight_min is not None and not (
            latest.award_weight_min <= weight <= (latest.award_weight_max or 100)
        ):
            note = _l(
                "Your weight %(w)s is outside the range the new version suggests "
                "(%(min)s to %(max)s); check it.",
                w=weight,
                min=latest.award_weight_min,
                max=latest.award_weight_max,
            )
    elif weight is not None:
        weight = None
        note = _l("It is no longer an award criterion: its weight was removed.")
    record(
        session,
        actor=actor,
        action="dossier.clause.upgraded",
        entity_type="dossier",
        entity_id=dossier.id,
        data={
            "code": code,
            "changes": {
                "version": [current.number, latest.number],
                **(
                    {"values": [row.parameter_values or {}, values]}
                    if values != (row.parameter_values or {})
                    else {}
                ),
                **({"weight": [row.weight, weight]} if weight != row.weight else {}),
            },
            "dropped": [{"name": d.name, "value": d.value} for d in dropped],
        },
    )
    row.version_id = latest.id
    row.parameter_values = values
    row.weight = weight
    row.updated_at = utcnow()
    touch_dossier(dossier, actor)
    session.flush()
    return UpgradeReport(
        code=code,
        old_number=current.number or 0,
        new_number=latest.number or 0,
        kept=kept,
        dropped=dropped,
        weight_note=note,
    )


def upgrade_preview(
    session: Session, *, actor: Any, dossier_id: int, code: str
) -> tuple[Dossier, BoardItem]:
    """The dossier and the board item of one clause, with its upgrade and diff (if any).

    :raises NotFound: no such dossier for this actor, or the clause is not in its selection.
    """
    dossier = get_dossier(session, actor=actor, dossier_id=dossier_id)
    code = (code or "").upper()[:20]
    row = _selections(session, dossier).get(code)
    if row is None:
        raise NotFound(_l("Clause %(code)s is not in this dossier.", code=code))
    version = session.get(ClauseVersion, row.version_id)
    latest = clauses.latest_published(session, code)
    upgrade = None
    if latest is not None and (latest.number or 0) > (version.number or 0):
        upgrade = Upgrade(version, latest, changed_diffs(session, version, latest))
    retired = latest is None and code in _retired_codes(session, [code])
    item = BoardItem(
        code=code,
        version=version,
        selection=row,
        is_mandatory=row.is_mandatory,
        is_included=row.is_included,
        upgrade=upgrade,
        is_retired=retired,
    )
    return dossier, item


# ------------------------------------------------------------------------------------------------
# Generation


def generation_problems(session: Session, dossier: Dossier, today: date | None = None) -> list[Any]:
    """What prevents generating documents for the dossier (empty when it is ready)."""
    board = build_board(session, dossier, today=today, with_diffs=False)
    return board_problems(board) + lot_problems(session, dossier)


def lot_problems(session: Session, dossier: Dossier) -> list[Any]:
    """What is wrong with the dossier's saved lot plan (see :mod:`portal.lots.services`)."""
    from portal.lots.services import lot_plan_problems  # the lots domain builds on dossiers

    return list(lot_plan_problems(session, dossier))


def lot_warnings(session: Session, dossier: Dossier) -> list[Any]:
    """Where the chosen clauses or the dossier contradict the saved lot plan (not blocking)."""
    from portal.lots.services import lot_consistency_warnings  # the lots domain builds on dossiers

    return list(lot_consistency_warnings(session, dossier))


def board_problems(board: Board) -> list[Any]:
    """What prevents generation, from an already built board."""
    problems: list[Any] = []
    total = board.weights_total
    if total != 100:
        problems.append(
            _l(
                "The award weights total %(total)s, not 100: price %(price)s plus the "
                "sustainability criteria. Adjust them on the clauses page.",
                total=total,
                price=board.price_weight,
            )
        )
    for item in board.undecided:
        problems.append(
            _l(
                "Mandatory base criterion %(code)s is not yet accepted, or removed with a "
                "justification.",
                code=item.code,
            )
        )
    return problems


def document_kinds() -> list[tuple[str, Any]]:
    """The documents that can be generated: the complete one first, then each section."""
    return [(s.key, s.label) for s in (builtin.COMPLETE, *builtin.SECTIONS)]


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")[:60] or "dossier"


def document_filename(dossier: Dossier, kind: str, lang: str) -> str:
    base = _slug(dossier.reference or f"dossier-{dossier.id}")
    return f"{base}_{kind.replace('_', '-')}_{lang}.docx"


class GeneratedDocuments(list[GeneratedDocument]):
    """The documents of one generation, one per language; ``unchanged`` holds the ids of those
    that were already stored (the same file from the same input) and were not stored again."""

    def __init__(self, documents: Iterable[GeneratedDocument] = (), unchanged: Iterable[int] = ()):
        super().__init__(documents)
        self.unchanged: set[int] = set(unchanged)

    def is_unchanged(self, document: GeneratedDocument) -> bool:
        return document.id in self.unchanged


def _same_document(
    session: Session,
    dossier: Dossier,
    *,
    kind: str,
    lang: str,
    template: AuthorityTemplate | None,
    rendered: Any,
    clause_versions: list[dict[str, Any]],
) -> GeneratedDocument | None:
    """The stored document made from exactly the same input, if any: same dossier revision,
    section, language, template and clause versions, and the same bytes (checksum)."""
    template_id = template.id if template else None
    stmt = (
        select(GeneratedDocument)
        .options(defer(GeneratedDocument.content))
        .where(
            GeneratedDocument.dossier_id == dossier.id,
            GeneratedDocument.kind == kind,
            GeneratedDocument.lang == lang,
            GeneratedDocument.sha256 == rendered.sha256,
            GeneratedDocument.template_sha256 == rendered.template_sha256,
            GeneratedDocument.dossier_revision == dossier.lock_version,
            GeneratedDocument.template_id.is_(None)
            if template_id is None
            else GeneratedDocument.template_id == template_id,
        )
        .order_by(GeneratedDocument.id)
    )
    for document in session.exec(stmt):
        if list(document.clause_versions or []) == clause_versions:
            return document
    return None


def generate_documents(
    session: Session,
    *,
    actor: Any,
    dossier_id: int,
    kind: str = "complete",
    langs: Sequence[str] | None = None,
    template_id: int | None = None,
    today: date | None = None,
) -> GeneratedDocuments:
    """Generate and store a dossier's document (complete or one section), one file per language.

    ``langs`` defaults to the dossier's document languages. A file identical to one already
    stored from the same input (see :func:`_same_document`) is not stored twice: the stored
    document is returned, and its id is in the result's ``unchanged``.

    :raises PermissionDenied: the actor may not manage dossiers.
    :raises NotFound: no such dossier for this actor.
    :raises ValidationError: the dossier is not ready (weights, undecided mandatory criteria;
        field ``""``), an unknown section (``kind``), language (``lang``) or template
        (``template``), or the template cannot render the dossier (``template``).
    """
    dossier = get_dossier(session, actor=actor, dossier_id=dossier_id)
    if kind not in builtin.BY_KEY:
        raise ValidationError.single("kind", _l("Choose the complete document or a section."))
    langs = tuple(langs or dossier.language.langs)
    if (
        not langs
        or any(lang not in ("fr", "nl") for lang in langs)
        or len(set(langs)) != len(langs)
    ):
        raise ValidationError.single("lang", _l("Choose French, Dutch or both."))
    problems = generation_problems(session, dossier, today)
    if problems:
        raise ValidationError({"": problems})
    pinned = pinned_clauses(session, dossier)
    if kind == "anti_dumping_declaration" and not any(
        p.version.family == "anti_social_dumping" for p in pinned
    ):
        raise ValidationError.single(
            "kind",
            _l("No anti-social-dumping clause is chosen, so there is no declaration to annex."),
        )
    template = None
    if template_id is not None:
        template = session.get(AuthorityTemplate, template_id)
        if (
            template is None
            or template.authority_id != dossier.authority_id
            or not template.is_active
            or template.kind != kind
        ):
            raise ValidationError.single(
                "template", _l("Choose one of your authority's active templates for this document.")
            )
    documents = GeneratedDocuments()
    versions = _clause_versions(pinned)
    for lang in langs:
        source = template.content if template else builtin.template_path(kind, lang).read_bytes()
        context = build_context(session, dossier, lang, pinned=pinned)
        rendered = render_document(source, context, lang=lang)
        same = _same_document(
            session,
            dossier,
            kind=kind,
            lang=lang,
            template=template,
            rendered=rendered,
            clause_versions=versions,
        )
        if same is not None:
            documents.append(same)
            documents.unchanged.add(same.id)
            continue
        document = GeneratedDocument(
            dossier_id=dossier.id,
            kind=kind,
            lang=lang,
            template_id=template.id if template else None,
            template_name=template.name if template else BUILTIN_TEMPLATE_NAME,
            template_version=template.version if template else None,
            template_sha256=rendered.template_sha256,
            clause_versions=versions,
            dossier_revision=dossier.lock_version,
            filename=document_filename(dossier, kind, lang),
            content=rendered.data,
            size=len(rendered.data),
            sha256=rendered.sha256,
            created_by_id=getattr(actor, "id", None),
            created_at=utcnow(),
        )
        session.add(document)
        session.flush()
        record(
            session,
            actor=actor,
            action="dossier.document.generated",
            entity_type="dossier",
            entity_id=dossier.id,
            data={
                "document": document.id,
                "kind": kind,
                "lang": lang,
                "template": document.template_name,
                "template_version": document.template_version,
                "sha256": document.sha256,
            },
        )
        documents.append(document)
    return documents


def _clause_versions(pinned: Sequence[PinnedClause]) -> list[dict[str, Any]]:
    return [
        {"code": p.version.code, "number": p.version.number, "version_id": p.version.id}
        for p in pinned
    ]


def list_documents(session: Session, dossier: Dossier) -> list[GeneratedDocument]:
    """The dossier's generated documents, newest first (without their bytes)."""
    return list(
        session.exec(
            select(GeneratedDocument)
            .options(defer(GeneratedDocument.content))
            .where(GeneratedDocument.dossier_id == dossier.id)
            .order_by(sa.desc(GeneratedDocument.id))
        )
    )


def get_document(
    session: Session, *, actor: Any, dossier_id: int, document_id: int
) -> GeneratedDocument:
    """A generated document of a dossier the actor may see.

    :raises NotFound: no such document in this dossier, or the dossier is not the actor's.
    """
    dossier = get_dossier(session, actor=actor, dossier_id=dossier_id)
    document = session.get(GeneratedDocument, document_id)
    if document is None or document.dossier_id != dossier.id:
        raise NotFound(_l("This document does not exist."))
    return document


def document_pdf(
    session: Session, *, actor: Any, dossier_id: int, document_id: int, libreoffice: str | None
) -> tuple[GeneratedDocument, bytes]:
    """Convert a stored document to PDF (not stored: made on demand).

    :raises NotFound: see :func:`get_document`.
    :raises PdfConversionError: LibreOffice is missing or failed.
    """
    document = get_document(session, actor=actor, dossier_id=dossier_id, document_id=document_id)
    return document, convert_to_pdf(document.content, libreoffice=libreoffice)


# ------------------------------------------------------------------------------------------------
# History


@dataclass
class HistoryEntry:
    occurred_at: Any
    actor: User | None
    action: str
    data: dict[str, Any]


def dossier_history(session: Session, *, actor: Any, dossier_id: int) -> list[HistoryEntry]:
    """Who changed what in the dossier and when, newest first.

    :raises NotFound: no such dossier for this actor.
    """
    dossier = get_dossier(session, actor=actor, dossier_id=dossier_id)
    events = events_for(session, "dossier", dossier.id)
    users = rows_by_id(session, User, {e.actor_id for e in events if e.actor_id})
    return [
        HistoryEntry(e.occurred_at, users.get(e.actor_id), e.action, dict(e.data or {}))
        for e in events
    ]


# ------------------------------------------------------------------------------------------------
# Authorities' own templates


def _template_scope(actor: Any) -> int | None:
    require(actor, Permission.manage_templates)
    return _actor_authority(actor)


def list_templates(
    session: Session, *, actor: Any, authority_id: int | None = None
) -> list[AuthorityTemplate]:
    """The actor's authority's templates (every version, newest first), without their bytes.

    The coordinator sees every authority's templates, or one authority's with ``authority_id``.

    :raises PermissionDenied: the actor may not manage templates.
    """
    scope = _template_scope(actor)
    stmt = (
        select(AuthorityTemplate)
        .options(defer(AuthorityTemplate.content))
        .order_by(
            AuthorityTemplate.authority_id,
            AuthorityTemplate.name,
            sa.desc(AuthorityTemplate.version),
        )
    )
    if scope is not None:
        stmt = stmt.where(AuthorityTemplate.authority_id == scope)
    elif authority_id is not None:
        stmt = stmt.where(AuthorityTemplate.authority_id == authority_id)
    return list(session.exec(stmt))


def get_template(session: Session, *, actor: Any, template_id: int) -> AuthorityTemplate:
    """:raises NotFound: no such template, or it belongs to another authority."""
    scope = _template_scope(actor)
    template = session.get(AuthorityTemplate, template_id)
    if template is None or (scope is not None and template.authority_id != scope):
        raise NotFound(_l("This template does not exist or belongs to another authority."))
    return template


def templates_for_dossier(
    session: Session, dossier: Dossier, kind: str | None = None
) -> list[AuthorityTemplate]:
    """The active templates buyers of the dossier's authority may choose (without bytes)."""
    stmt = (
        select(AuthorityTemplate)
        .options(defer(AuthorityTemplate.content))
        .where(
            AuthorityTemplate.authority_id == dossier.authority_id,
            AuthorityTemplate.is_active.is_(True),
        )
        .order_by(AuthorityTemplate.name, sa.desc(AuthorityTemplate.version))
    )
    if kind is not None:
        stmt = stmt.where(AuthorityTemplate.kind == kind)
    return list(session.exec(stmt))


def upload_template(
    session: Session,
    *,
    actor: Any,
    name: str,
    kind: str,
    filename: str,
    data: bytes,
    max_bytes: int,
    authority_id: int | None = None,
) -> AuthorityTemplate:
    """Validate an uploaded Word template and store it as the name's next version.

    Nothing is stored when the file is rejected. The new version is active; older versions of
    the same name are deactivated (buyers see one version per name).

    :raises PermissionDenied: the actor may not manage templates.
    :raises ValidationError: messages on ``name``, ``kind``, ``file`` (what the validator
        found, naming the tag that caused each error).
    """
    scope = _template_scope(actor)
    if scope is None:
        if authority_id is None or session.get(ContractingAuthority, authority_id) is None:
            raise ValidationError.single("authority", _l("Choose the contracting authority."))
        scope = authority_id
    errors: dict[str, list[Any]] = {}
    clean_name = " ".join((name or "").split())
    if not clean_name:
        errors.setdefault("name", []).append(_l("Give the template a name."))
    elif len(clean_name) > MAX_TEMPLATE_NAME:
        errors.setdefault("name", []).append(
            _l("Use at most %(n)d characters.", n=MAX_TEMPLATE_NAME)
        )
    if kind not in builtin.BY_KEY:
        errors.setdefault("kind", []).append(_l("Choose the complete document or a section."))
    if errors:
        raise ValidationError(errors)
    try:
        report = validate_template(bytes(data), filename or "", max_bytes=max_bytes)
    except ValidationError as exc:
        # The validator reports on the template; the upload form calls that field "file".
        raise ValidationError(
            {("file" if key == TEMPLATE_FIELD else key): msgs for key, msgs in exc.errors.items()}
        ) from None
    previous = list(
        session.exec(
            select(AuthorityTemplate)
            .options(defer(AuthorityTemplate.content))
            .where(AuthorityTemplate.authority_id == scope, AuthorityTemplate.name == clean_name)
        )
    )
    version = max((t.version for t in previous), default=0) + 1
    for old in previous:
        old.is_active = False
    template = AuthorityTemplate(
        authority_id=scope,
        name=clean_name,
        version=version,
        kind=kind,
        filename=report.filename[:255],
        content=bytes(data),
        size=len(data),
        sha256=checksum(bytes(data)),
        report=_report_data(report),
        is_active=True,
        uploaded_by_id=getattr(actor, "id", None),
        uploaded_at=utcnow(),
    )
    session.add(template)
    session.flush()
    record(
        session,
        actor=actor,
        action="authority_template.uploaded",
        entity_type="authority_template",
        entity_id=template.id,
        data={
            "authority": scope,
            "name": clean_name,
            "version": version,
            "kind": kind,
            "sha256": template.sha256,
        },
    )
    return template


def _report_data(report: Any) -> dict[str, Any]:
    # Plain data only: the validator's warnings are messages in the uploader's language, so the
    # page derives them again from the figures (no tags at all is the only warning today).
    return {
        "filename": report.filename,
        "size": report.size,
        "tag_count": report.tag_count,
        "variables": list(report.variables),
        "sections": list(report.sections),
    }


def set_template_active(
    session: Session, *, actor: Any, template_id: int, active: bool
) -> AuthorityTemplate:
    """Offer a template version to buyers, or stop offering it.

    :raises NotFound: no such template for this actor.
    """
    template = get_template(session, actor=actor, template_id=template_id)
    if template.is_active == bool(active):
        return template
    if active:
        # Buyers see one version per name: offering this one withdraws the others.
        for other in session.exec(
            select(AuthorityTemplate)
            .options(defer(AuthorityTemplate.content))
            .where(
                AuthorityTemplate.authority_id == template.authority_id,
                AuthorityTemplate.name == template.name,
                AuthorityTemplate.id != template.id,
                AuthorityTemplate.is_active.is_(True),
            )
        ):
            other.is_active = False
    template.is_active = bool(active)
    session.flush()
    record(
        session,
        actor=actor,
        action="authority_template.activated" if active else "authority_template.deactivated",
        entity_type="authority_template",
        entity_id=template.id,
        data={"name": template.name, "version": template.version},
    )
    return template
