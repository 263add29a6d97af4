"""Words of the tender builder used outside its package (kept here so their translations are
in the tender builder's catalog)."""

from __future__ import annotations

from portal.i18n import _l

#: The main menu entry (portal/navigation.py).
MENU_LABEL = _l("Tender builder")
