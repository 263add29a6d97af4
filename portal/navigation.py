"""The main menu. Domains add entries to MENU; each shows only to those allowed to use it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, request, url_for
from flask_login import current_user

from portal.accounts.permissions import AUTHENTICATED, PUBLIC, Permission, can
from portal.clauses.labels import MENU_LABELS as CLAUSE_LABELS
from portal.documents.views import MENU_LABEL as DOCUMENT_LABEL
from portal.i18n import _l
from portal.lots.labels import MENU_LABELS as LOTS_LABELS
from portal.tenders.labels import MENU_LABEL as TENDER_LABEL


@dataclass(frozen=True)
class MenuEntry:
    endpoint: str
    label: Any
    policy: str | Permission = PUBLIC
    #: URL prefix that marks the entry as the current section.
    section: str = ""


MENU: list[MenuEntry] = [
    MenuEntry("clauses.catalogue", CLAUSE_LABELS["catalogue"], PUBLIC, "/clauses"),
    MenuEntry("reference.categories", _l("Categories"), PUBLIC, "/categories"),
    MenuEntry("reference.cpv", _l("CPV codes"), PUBLIC, "/cpv"),
    MenuEntry("lots.help_page", LOTS_LABELS["help"], PUBLIC, "/lots"),
    MenuEntry("companies.profile", _l("My company"), Permission.edit_own_company, "/company"),
    MenuEntry("tenders.index", TENDER_LABEL, Permission.manage_dossiers, "/tenders"),
    MenuEntry(
        "clauses.workspace",
        CLAUSE_LABELS["workspace"],
        Permission.use_helpdesk_workspace,
        "/helpdesk/clauses",
    ),
    MenuEntry(
        "clauses.mandatory",
        CLAUSE_LABELS["mandatory"],
        Permission.mark_mandatory,
        "/helpdesk/mandatory",
    ),
    MenuEntry(
        "documents.help_page",
        DOCUMENT_LABEL,
        Permission.manage_templates,
        "/help/word-templates",
    ),
    MenuEntry(
        "lots.thresholds",
        LOTS_LABELS["thresholds"],
        Permission.manage_reference_data,
        "/admin/thresholds",
    ),
    MenuEntry("admin.users", _l("Accounts"), Permission.manage_users, "/admin/users"),
    MenuEntry("admin.audit", _l("Audit trail"), Permission.view_audit, "/admin/audit"),
]


def _visible(entry: MenuEntry) -> bool:
    if entry.policy == PUBLIC:
        return True
    if entry.policy == AUTHENTICATED:
        return bool(current_user.is_authenticated)
    return can(current_user, entry.policy)  # type: ignore[arg-type]


def main_menu() -> list[dict[str, Any]]:
    items = []
    for entry in MENU:
        if not _visible(entry):
            continue
        items.append(
            {
                "url": url_for(entry.endpoint),
                "label": entry.label,
                "active": bool(entry.section) and request.path.startswith(entry.section),
            }
        )
    return items


def combine_attrs(attrs: dict[str, Any], described: list[str], errors: list[Any]) -> dict:
    """Add aria-describedby / aria-invalid to a field's render attributes."""
    result = dict(attrs or {})
    if described:
        result["aria-describedby"] = " ".join(described)
    if errors:
        result["aria-invalid"] = "true"
    return result


def init_app(app: Flask) -> None:
    app.jinja_env.globals["main_menu"] = main_menu
    app.jinja_env.filters["combine_attrs"] = combine_attrs
