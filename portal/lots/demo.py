"""Demo data of the lot-split advisor: the thresholds, and the Ixelles cleaning dossier's lots.

The Commune d'Ixelles' cleaning dossier (``IXL-2027-CLEAN-01``, created by the tender
builder's demo loader) receives its 40 items by importing ``examples/ixelles-cleaning-items.csv``
(French headers, decimal commas: the file buyers can download to try the import), its lot
options (four years, target lot size EUR 250,000 a year, at most three lots per tenderer) and a
saved lot plan of seven lots: the buyer started from the advisor's "by trade" proposal and
rearranged it by kind of building, so that cleaning firms of every size find lots they can
carry; the documents generated from the dossier show these lots.

Idempotent: a dossier that already has items is left alone.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from portal.accounts.models import User
from portal.lots import services
from portal.lots.advisor import Strategy
from portal.reference.services import get_authority
from portal.tenders.models import Dossier

EXAMPLES = Path(__file__).resolve().parent / "examples"
DEMO_CSV = EXAMPLES / "ixelles-cleaning-items.csv"
REFERENCE = "IXL-2027-CLEAN-01"
AUTHORITY = "commune-ixelles"
BUYER = "buyer.ixelles@demo.clausier.brussels"

OPTIONS = {
    "divide": "y",
    "target_lot_size": "250000",
    "duration_months": "48",
    "max_lots_awarded": "3",
}

#: The saved plan: rows of the CSV file (1 = first item) per lot, with titles in FR and NL.
PLAN: tuple[tuple[tuple[int, ...], dict[str, str]], ...] = (
    (
        (1, 2, 16, 17, 26),
        {
            "fr": "Bâtiments administratifs : Hôtel communal et Centre administratif",
            "nl": "Administratieve gebouwen: gemeentehuis en administratief centrum",
        },
    ),
    (
        (3, 4, 5, 6, 7, 18, 19, 20, 25),
        {"fr": "Écoles communales", "nl": "Gemeentescholen"},
    ),
    (
        (8, 9, 10, 11, 14, 15, 21, 22, 24),
        {
            "fr": "Crèches, bibliothèques, musée et dépôt communal",
            "nl": "Kinderdagverblijven, bibliotheken, museum en gemeentelijke stelplaats",
        },
    ),
    (
        (12, 13, 23, 27),
        {"fr": "Salle omnisports et piscine", "nl": "Omnisportzaal en zwembad"},
    ),
    (
        (28, 29, 30),
        {
            "fr": "Interventions spécialisées : désinfection, graffitis, nettoyage à la demande",
            "nl": "Gespecialiseerde interventies: ontsmetting, graffiti, schoonmaak op aanvraag",
        },
    ),
    (
        (31, 32, 33, 34),
        {
            "fr": "Produits et matériel d'entretien",
            "nl": "Schoonmaakproducten en -materiaal",
        },
    ),
    (
        (35, 36, 37, 38, 39, 40),
        {"fr": "Fournitures d'hygiène", "nl": "Hygiënebenodigdheden"},
    ),
)


def demo_csv() -> bytes:
    """The demo import file, as shipped."""
    return DEMO_CSV.read_bytes()


def load(session: Session) -> int:
    """Give the Ixelles cleaning dossier its items, options and lot plan; return rows created."""
    created = services.sync_thresholds(session)["created"]
    buyer = session.exec(select(User).where(User.email == BUYER)).first()
    authority = get_authority(session, AUTHORITY)
    dossier = session.exec(
        select(Dossier).where(Dossier.authority_id == authority.id, Dossier.reference == REFERENCE)
    ).first()
    if buyer is None or dossier is None or services.count_items(session, dossier):
        return created
    items = services.import_items(
        session,
        actor=buyer,
        dossier_id=dossier.id,
        filename=DEMO_CSV.name,
        content=demo_csv(),
        mode="append",
        lang="fr",
    )
    services.save_options(session, actor=buyer, dossier_id=dossier.id, data=OPTIONS, lang="fr")
    keys = [services.item_key(item) for item in items]
    langs = dossier.language.langs
    draft = services.Draft(
        strategy=Strategy.manual,
        lots=[
            services.DraftLot(
                number=number,
                items=[keys[row - 1] for row in rows],
                title={lang: titles.get(lang, titles["fr"]) for lang in langs},
            )
            for number, (rows, titles) in enumerate(PLAN, start=1)
        ],
    )
    services.save_plan(session, actor=buyer, dossier_id=dossier.id, draft=draft)
    return created + len(items) + 1 + 1 + len(PLAN)
