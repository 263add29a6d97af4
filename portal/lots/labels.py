"""Menu labels of the lots pages (a light module: the main menu imports it at start-up)."""

from __future__ import annotations

from portal.i18n import _l

MENU_LABELS = {
    "help": _l("Lots for SMEs"),
    "thresholds": _l("Thresholds"),
}
