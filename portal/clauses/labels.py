"""Labels the rest of the portal shows for the clause library (menu entries), kept here so that
they belong to this package's translation catalog."""

from __future__ import annotations

from portal.i18n import _l

MENU_LABELS = {
    "catalogue": _l("Clauses"),
    "workspace": _l("Helpdesk"),
    "mandatory": _l("Mandatory criteria"),
}
