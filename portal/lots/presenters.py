"""Turn the advisor's proposals into what the lots pages show, in the visitor's language.

Views call these helpers and hand plain dicts to the templates: lots with their items and
figures, checks in words (:func:`portal.lots.messages.check_text`), SME reasons, procedures,
the coordination lot, and the geometry of the server-rendered SVG bar chart of lot values.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from portal.i18n import _, format_money
from portal.lots import messages
from portal.lots.advisor import Lot, Proposal, Strategy
from portal.lots.models import LotItem
from portal.lots.services import Draft, Workspace, default_title, item_key, municipality_name
from portal.reference.services import cpv_label

#: Geometry of the bar chart (SVG user units; the chart scales to its box).
CHART_WIDTH = 340
CHART_LABEL = 76
CHART_ROW = 26
CHART_BAR = 16
CHART_TEXT_ROOM = 96
CHART_PAD = 6
#: Above this many lot options in the editor ((items + lots) x lots), the lot of each item and
#: the lot to merge into are number fields instead of lists.
COMPACT_OPTIONS = 6000


def place_text(item: LotItem, lang: str) -> str:
    town = municipality_name(item.municipality, lang)
    if item.site and town:
        return f"{item.site} ({town})"
    return item.site or town or ""


def check_list(proposal: Proposal) -> tuple[list[Any], dict[int, list[Any]]]:
    """The checks in words: those on the whole structure, and those of each lot."""
    structure: list[Any] = []
    per_lot: dict[int, list[Any]] = {}
    for check in proposal.checks:
        text = messages.check_text(check)
        if check.lot is None:
            structure.append(text)
        else:
            per_lot.setdefault(check.lot, []).append(text)
    return structure, per_lot


def worst_status(texts: Sequence[Any]) -> str:
    order = ["ok", "info", "warning", "violation"]
    return max((t.status for t in texts), key=order.index, default="ok")


def lot_view(
    lot: Lot,
    space: Workspace,
    strategy: Strategy,
    lang: str,
    checks: Sequence[Any] = (),
    title: str = "",
) -> dict[str, Any]:
    by_key = space.by_key
    items = [by_key[key] for key in lot.item_ids]
    items.sort(key=lambda i: (i.position, i.id or 0))
    return {
        "number": lot.number,
        "title": title or default_title(items, lot.cpv, strategy, lang),
        "items": [
            {
                "key": item_key(item),
                "item": item,
                "place": place_text(item, lang),
                "cpv_label": cpv_label(item.cpv, lang),
            }
            for item in items
        ],
        "value": lot.value,
        "yearly_value": lot.yearly_value,
        "cpv": lot.cpv,
        "cpv_label": cpv_label(lot.cpv, lang),
        "turnover_cap": lot.turnover_cap,
        "turnover_max": lot.turnover_max,
        "turnover_sme": lot.turnover_sme,
        "sme_suitable": lot.is_sme_suitable,
        "sme_size": str(messages.SIZE_LABELS[lot.sme_size]),
        "sme_reasons": messages.sme_reason_text(lot.sme_reasons),
        "procedure": str(messages.PROCEDURE_LABELS[lot.procedure]),
        "procedure_article": messages.article_text(messages.PROCEDURE_ARTICLES[lot.procedure]),
        "procedure_basis": str(messages.BASIS_LABELS[lot.procedure_basis]),
        "procedure_value": lot.procedure_value,
        "checks": list(checks),
        "status": worst_status(checks),
    }


def coordination_view(proposal: Proposal) -> dict[str, Any] | None:
    coordination = proposal.coordination
    if coordination is None:
        return None
    return {
        "number": coordination.number,
        "coordinates": coordination.coordinates,
        "value": coordination.value,
        "procedure": str(messages.PROCEDURE_LABELS[coordination.procedure]),
        "tasks": [str(messages.COORDINATION_TASKS[t]) for t in coordination.tasks],
        "interactions": [
            str(messages.COORDINATION_INTERACTIONS[i]) for i in coordination.interactions
        ],
    }


def bar_chart(lots: Sequence[dict[str, Any]], scale: Decimal, chart_id: str) -> dict[str, Any]:
    """Horizontal bars of lot values on a common scale (so that proposals compare)."""
    area = CHART_WIDTH - CHART_LABEL - CHART_TEXT_ROOM
    bars = []
    for row, lot in enumerate(lots):
        width = float(lot["value"] / scale * area) if scale > 0 else 0.0
        y = CHART_PAD + row * CHART_ROW
        bars.append(
            {
                "label": _("Lot %(number)s", number=lot["number"]),
                "value_text": format_money(lot["value"], digits=False),
                "y": y,
                "text_y": y + CHART_BAR - 3,
                "width": round(max(width, 1.5), 2),
                "text_x": round(CHART_LABEL + max(width, 1.5) + 4, 2),
                "css": "lots-bar-sme" if lot["sme_suitable"] else "lots-bar-large",
            }
        )
    return {
        "id": chart_id,
        "width": CHART_WIDTH,
        "height": CHART_PAD * 2 + len(lots) * CHART_ROW,
        "label_x": CHART_LABEL - 6,
        "bar_x": CHART_LABEL,
        "bar_height": CHART_BAR,
        "bars": bars,
    }


def proposal_view(
    proposal: Proposal,
    index: int,
    space: Workspace,
    lang: str,
    *,
    recommended: bool = False,
) -> dict[str, Any]:
    structure, per_lot = check_list(proposal)
    lots = [
        lot_view(lot, space, proposal.strategy, lang, per_lot.get(lot.number, ()))
        for lot in proposal.lots
    ]
    return {
        "index": index,
        "strategy": proposal.strategy.value,
        "label": str(messages.STRATEGY_LABELS[proposal.strategy]),
        "also_from": [str(messages.STRATEGY_LABELS[s]) for s in proposal.also_from],
        "recommended": recommended,
        "score": proposal.score,
        "is_exact": proposal.is_exact,
        "aggregate": proposal.aggregate,
        "explanation": messages.explanation_text(
            proposal.explanation.code, proposal.explanation.params
        ),
        "lots": lots,
        "sme_lots": sum(1 for lot in proposal.lots if lot.is_sme_suitable),
        "coordination": coordination_view(proposal),
        "checks": structure,
        "status": worst_status([*structure, *(c for cs in per_lot.values() for c in cs)]),
        "justification": proposal.justification,
    }


def chart_scale(proposals: Sequence[dict[str, Any]]) -> Decimal:
    return max(
        (lot["value"] for p in proposals for lot in p["lots"]),
        default=Decimal(0),
    )


def editor_view(
    draft: Draft, proposal: Proposal, space: Workspace, lang: str, langs: Sequence[str]
) -> dict[str, Any]:
    """The lots being edited, with the figures and checks of the structure as it stands."""
    structure, per_lot = check_list(proposal)
    lots = []
    for draft_lot, lot in zip(draft.lots, proposal.lots, strict=True):
        view = lot_view(lot, space, draft.strategy, lang, per_lot.get(lot.number, ()))
        view["titles"] = {code: draft_lot.title.get(code, "") for code in langs}
        view["descriptions"] = {code: draft_lot.description.get(code, "") for code in langs}
        view["suggested"] = {
            code: default_title([i["item"] for i in view["items"]], lot.cpv, draft.strategy, code)
            for code in langs
        }
        lots.append(view)
    justification = dict(draft.justification)
    if len(draft.lots) == 1 and proposal.justification is not None:
        for code in langs:
            if not justification.get(code):
                justification[code] = proposal.justification.text(code)
    numbers = [lot["number"] for lot in lots]
    items = sum(len(lot["items"]) for lot in lots)
    compact = (items + len(numbers)) * (len(numbers) + 1) > COMPACT_OPTIONS
    return {
        "strategy": draft.strategy.value,
        "strategy_label": str(messages.STRATEGY_LABELS[draft.strategy]),
        "lots": lots,
        "numbers": numbers,
        # Large dossiers get a number field per item instead of a list of every lot (a page of
        # 1,000 items and 60 lots would otherwise carry 60,000 options).
        "compact": compact,
        "new_number": len(numbers) + 1,
        "options": {}
        if compact
        else {n: [(m, _("Lot %(n)s", n=m), m == n) for m in numbers] for n in numbers},
        "checks": structure,
        "status": worst_status([*structure, *(c for cs in per_lot.values() for c in cs)]),
        "aggregate": proposal.aggregate,
        "coordination": coordination_view(proposal),
        "divided": len(draft.lots) >= 2,
        "justification": justification,
        "explanation": messages.explanation_text(
            proposal.explanation.code, proposal.explanation.params
        ),
        "counts": {
            status: sum(
                1
                for c in [*structure, *(c for cs in per_lot.values() for c in cs)]
                if c.status == status
            )
            for status in ("warning", "violation")
        },
    }
