"""The tabs of a dossier page, as data: other domains add theirs with one line.

Each tab is a page of its own under ``/tenders/<dossier_id>/...``; the dossier header and the
tab bar come from ``tenders/dossier_base.html``, which a page extends with ``active_tab`` set
to its key. The lot-split advisor adds its tab like this (in its views module)::

    from portal.tenders.tabs import Tab, register_tab
    register_tab(Tab("lots", _l("Lots"), "lots.dossier_lots"), after="clauses")

The endpoint receives ``dossier_id`` as its only URL argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal.i18n import _l


@dataclass(frozen=True)
class Tab:
    key: str
    label: Any
    #: Endpoint of the tab's page; it takes ``dossier_id``.
    endpoint: str


#: The dossier tabs in display order.
DOSSIER_TABS: list[Tab] = [
    Tab("overview", _l("Overview"), "tenders.overview"),
    Tab("clauses", _l("Clauses"), "tenders.clauses"),
    Tab("documents", _l("Documents"), "tenders.documents"),
    Tab("history", _l("History"), "tenders.history"),
]


def register_tab(tab: Tab, *, after: str | None = None) -> None:
    """Add a tab (once: registering the same key again replaces it), after ``after`` if given."""
    for index, existing in enumerate(DOSSIER_TABS):
        if existing.key == tab.key:
            DOSSIER_TABS[index] = tab
            return
    keys = [t.key for t in DOSSIER_TABS]
    position = keys.index(after) + 1 if after in keys else len(DOSSIER_TABS)
    DOSSIER_TABS.insert(position, tab)


def tab_links(dossier_id: int) -> list[dict[str, Any]]:
    """The tab bar of a dossier: key, label and URL of each tab whose blueprint is registered."""
    from flask import url_for
    from werkzeug.routing import BuildError

    links = []
    for tab in DOSSIER_TABS:
        try:
            url = url_for(tab.endpoint, dossier_id=dossier_id)
        except BuildError:
            continue
        links.append({"key": tab.key, "label": tab.label, "url": url})
    return links
