"""Company profile services."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from portal.accounts.permissions import Permission, require
from portal.audit.services import record
from portal.companies.models import Company, CompanySize
from portal.db import utcnow
from portal.errors import NotFound, PermissionDenied, ValidationError
from portal.i18n import _l
from portal.reference.models import ProcurementCategory
from portal.reference.services import MUNICIPALITIES

EDITABLE = (
    "name",
    "size",
    "is_social_economy",
    "description",
    "website",
    "contact_email",
    "phone",
    "municipality",
    "sectors",
)


def get_company(session: Session, company_id: int) -> Company:
    company = session.get(Company, company_id)
    if company is None:
        raise NotFound(_l("There is no such company."))
    return company


def update_company(session: Session, *, actor: Any, company_id: int, **values: Any) -> Company:
    """Update a company profile (its own account holder, or a coordinator).

    :raises PermissionDenied: the actor is not this company's account holder.
    :raises ValidationError: invalid values; nothing is changed then.
    """
    company = get_company(session, company_id)
    if getattr(actor, "role", None) is not None and actor.role.value == "coordinator":
        pass
    else:
        require(actor, Permission.edit_own_company)
        if actor.company_id != company.id:
            raise PermissionDenied(_l("You can only edit your own company."))
    errors: dict[str, list[Any]] = {}
    name = (values.get("name") or "").strip()
    if not name:
        errors["name"] = [_l("Enter the company's name.")]
    try:
        size = CompanySize(values.get("size"))
    except ValueError:
        errors["size"] = [_l("Choose the size of the company.")]
    website = (values.get("website") or "").strip()
    if website and not website.startswith(("https://", "http://")):
        errors["website"] = [_l("Enter a web address starting with https://.")]
    municipality = values.get("municipality") or ""
    if municipality and municipality not in {m.code for m in MUNICIPALITIES}:
        errors["municipality"] = [_l("Choose one of the 19 municipalities.")]
    known = set(session.exec(select(ProcurementCategory.code)))
    sectors = [s for s in values.get("sectors") or [] if s]
    if any(s not in known for s in sectors):
        errors["sectors"] = [_l("Unknown category.")]
    description = (values.get("description") or "").strip()
    if len(description) > 4000:
        errors["description"] = [_l("Use at most %(n)d characters.", n=4000)]
    if errors:
        raise ValidationError(errors)
    new = dict(
        name=name,
        size=size,
        is_social_economy=bool(values.get("is_social_economy")),
        description=description,
        website=website[:300],
        contact_email=(values.get("contact_email") or "").strip()[:254],
        phone=(values.get("phone") or "").strip()[:40],
        municipality=municipality,
        sectors=sectors,
    )
    changes = {}
    for key, value in new.items():
        old = getattr(company, key)
        if old != value:
            changes[key] = [old, value]
            setattr(company, key, value)
    if changes:
        company.updated_at = utcnow()
        record(
            session,
            actor=actor,
            action="company.updated",
            entity_type="company",
            entity_id=company.id,
            data=changes,
        )
    return company
