"""Document wording of the lots section, in the dossier's language (FR, NL, EN).

A tender document is written in the dossier's language whatever the language of the page that
generates it, and in the register of a cahier spécial des charges / bestek. Like the draft
justification of :mod:`portal.lots.rules`, these texts are plain data keyed by the codes of the
pure core, not gettext messages.
"""

from __future__ import annotations

from collections.abc import Sequence

from portal.lots.rules import AwardRule, format_eur

LANGS = ("fr", "nl", "en")

SME_REASONS: dict[str, dict[str, str]] = {
    "micro_enterprise_can_carry": {
        "fr": "Sa valeur annuelle estimée est à la portée d'une micro-entreprise.",
        "nl": "De geraamde jaarlijkse waarde ervan ligt binnen het bereik van een "
        "micro-onderneming.",
        "en": "Its estimated yearly value is within reach of a micro-enterprise.",
    },
    "small_enterprise_can_carry": {
        "fr": "Sa valeur annuelle estimée est à la portée d'une petite entreprise.",
        "nl": "De geraamde jaarlijkse waarde ervan ligt binnen het bereik van een kleine "
        "onderneming.",
        "en": "Its estimated yearly value is within reach of a small enterprise.",
    },
    "exceeds_small_enterprise_capacity": {
        "fr": "Sa valeur annuelle estimée dépasse ce qu'une petite entreprise peut porter.",
        "nl": "De geraamde jaarlijkse waarde ervan overstijgt wat een kleine onderneming kan "
        "dragen.",
        "en": "Its estimated yearly value exceeds what a small enterprise can carry.",
    },
    "exceeds_sme_capacity": {
        "fr": "Sa valeur annuelle estimée dépasse ce qu'une PME peut porter.",
        "nl": "De geraamde jaarlijkse waarde ervan overstijgt wat een kmo kan dragen.",
        "en": "Its estimated yearly value exceeds what an SME can carry.",
    },
    "above_target_lot_size": {
        "fr": "Sa valeur annuelle dépasse la taille de lot visée par le pouvoir adjudicateur.",
        "nl": "De jaarlijkse waarde ervan overschrijdt de door de aanbestedende overheid "
        "beoogde omvang van een perceel.",
        "en": "Its yearly value exceeds the lot size the contracting authority aims for.",
    },
    "single_indivisible_item": {
        "fr": "Il ne comporte qu'un seul poste, qui ne peut être scindé.",
        "nl": "Het omvat één enkele post, die niet kan worden opgesplitst.",
        "en": "It holds a single item, which cannot be split.",
    },
}

_AWARD_RULE = {
    "fr": (
        "Un même soumissionnaire peut se voir attribuer au maximum {max} lots. Lorsqu'il remet "
        "l'offre économiquement la plus avantageuse pour un plus grand nombre de lots, les lots "
        "lui sont attribués dans l'ordre décroissant de leur valeur estimée ; à valeur égale, "
        "priorité est donnée au lot pour lequel l'écart entre son offre et la deuxième "
        "meilleure offre est le plus grand, puis au lot portant le plus petit numéro. Ordre "
        "des lots selon leur valeur estimée : {order}. Chaque lot restant est attribué au "
        "soumissionnaire suivant dans le classement de ce lot."
    ),
    "nl": (
        "Eenzelfde inschrijver kan maximaal {max} percelen gegund krijgen. Dient hij voor meer "
        "percelen de economisch meest voordelige offerte in, dan worden de percelen hem gegund "
        "in dalende volgorde van hun geraamde waarde; bij gelijke waarde krijgt het perceel "
        "voorrang waarvoor het verschil tussen zijn offerte en de op één na beste offerte het "
        "grootst is, en vervolgens het perceel met het laagste nummer. Volgorde van de "
        "percelen volgens hun geraamde waarde: {order}. Elk overblijvend perceel wordt gegund "
        "aan de volgende inschrijver in de rangschikking van dat perceel."
    ),
    "en": (
        "One tenderer may be awarded at most {max} lots. Where it submits the most "
        "economically advantageous tender for more lots, it is awarded the lots in decreasing "
        "order of their estimated value; at equal value, priority goes to the lot where the "
        "gap between its tender and the second-best tender is largest, then to the lot with "
        "the lowest number. Order of the lots by estimated value: {order}. Each remaining lot "
        "is awarded to the next tenderer in the ranking of that lot."
    ),
}

#: The same rule when a tenderer may be awarded one lot only (no "1 lots").
_AWARD_RULE_ONE = {
    "fr": (
        "Un même soumissionnaire ne peut se voir attribuer qu'un seul lot. Lorsqu'il remet "
        "l'offre économiquement la plus avantageuse pour plusieurs lots, il se voit attribuer "
        "le lot de plus grande valeur estimée ; à valeur égale, celui pour lequel l'écart entre "
        "son offre et la deuxième meilleure offre est le plus grand, puis celui qui porte le "
        "plus petit numéro. Ordre des lots selon leur valeur estimée : {order}. Chaque lot "
        "restant est attribué au soumissionnaire suivant dans le classement de ce lot."
    ),
    "nl": (
        "Eenzelfde inschrijver kan slechts één perceel gegund krijgen. Dient hij voor meerdere "
        "percelen de economisch meest voordelige offerte in, dan wordt hem het perceel met de "
        "hoogste geraamde waarde gegund; bij gelijke waarde het perceel waarvoor het verschil "
        "tussen zijn offerte en de op één na beste offerte het grootst is, en vervolgens het "
        "perceel met het laagste nummer. Volgorde van de percelen volgens hun geraamde waarde: "
        "{order}. Elk overblijvend perceel wordt gegund aan de volgende inschrijver in de "
        "rangschikking van dat perceel."
    ),
    "en": (
        "One tenderer may be awarded one lot only. Where it submits the most economically "
        "advantageous tender for several lots, it is awarded the lot of highest estimated "
        "value; at equal value, the lot where the gap between its tender and the second-best "
        "tender is largest, then the lot with the lowest number. Order of the lots by "
        "estimated value: {order}. Each remaining lot is awarded to the next tenderer in the "
        "ranking of that lot."
    ),
}

_COMBINED_BIDS = {
    "fr": (
        "Le pouvoir adjudicateur se réserve le droit d'attribuer ensemble plusieurs lots "
        "({lots}) à un même soumissionnaire. Les soumissionnaires peuvent remettre une offre "
        "combinée pour plusieurs lots ; elle n'est retenue que si elle est plus avantageuse "
        "que la meilleure combinaison d'offres séparées pour les mêmes lots."
    ),
    "nl": (
        "De aanbestedende overheid behoudt zich het recht voor meerdere percelen ({lots}) "
        "samen aan eenzelfde inschrijver te gunnen. Inschrijvers mogen een gecombineerde "
        "offerte voor meerdere percelen indienen; die wordt alleen gekozen als ze voordeliger "
        "is dan de beste combinatie van afzonderlijke offertes voor dezelfde percelen."
    ),
    "en": (
        "The contracting authority reserves the right to award several lots ({lots}) together "
        "to one tenderer. Tenderers may submit a combined tender for several lots; it is "
        "chosen only when it is more advantageous than the best combination of separate "
        "tenders for the same lots."
    ),
}

COORDINATION_TITLE = {
    "fr": "Coordination des lots",
    "nl": "Coördinatie van de percelen",
    "en": "Coordination of the lots",
}

COORDINATION_TASKS: dict[str, dict[str, str]] = {
    "shared_schedule": {
        "fr": "Tenir le planning commun des interventions de tous les lots.",
        "nl": "De gemeenschappelijke planning van de interventies van alle percelen bijhouden.",
        "en": "Keep the shared schedule of the work of all lots.",
    },
    "interfaces_between_lots": {
        "fr": "Organiser les interfaces entre les lots et veiller à leur bonne articulation.",
        "nl": "De raakvlakken tussen de percelen organiseren en over hun goede afstemming waken.",
        "en": "Organise the interfaces between the lots and see that they fit together.",
    },
    "site_coordination": {
        "fr": "Coordonner les interventions sur chantier (sécurité, accès, enchaînement des "
        "travaux).",
        "nl": "De interventies op de bouwplaats coördineren (veiligheid, toegang, volgorde van "
        "de werken).",
        "en": "Coordinate the work on site (safety, access, sequence of the works).",
    },
    "service_coordination": {
        "fr": "Coordonner les prestations exécutées dans les mêmes bâtiments (horaires, accès, "
        "sécurité).",
        "nl": "De prestaties in dezelfde gebouwen coördineren (uurroosters, toegang, veiligheid).",
        "en": "Coordinate the services performed in the same buildings (hours, access, safety).",
    },
    "progress_reporting": {
        "fr": "Faire rapport au pouvoir adjudicateur sur l'avancement et la qualité.",
        "nl": "Aan de aanbestedende overheid rapporteren over de voortgang en de kwaliteit.",
        "en": "Report to the contracting authority on progress and quality.",
    },
}

COORDINATION_INTERACTIONS: dict[str, dict[str, str]] = {
    "direct_contract_with_authority": {
        "fr": "Chaque titulaire de lot reste lié par son propre marché au pouvoir adjudicateur, "
        "qui le paie directement.",
        "nl": "Elke perceelhouder blijft door zijn eigen opdracht gebonden aan de aanbestedende "
        "overheid, die hem rechtstreeks betaalt.",
        "en": "Each lot holder keeps its own contract with the contracting authority, which "
        "pays it directly.",
    },
    "coordination_meetings": {
        "fr": "Les titulaires des lots participent aux réunions de coordination.",
        "nl": "De perceelhouders nemen deel aan de coördinatievergaderingen.",
        "en": "The lot holders attend the coordination meetings.",
    },
    "share_schedule_and_interfaces": {
        "fr": "Les titulaires des lots communiquent au coordinateur leur planning et leurs "
        "interfaces avec les autres lots.",
        "nl": "De perceelhouders bezorgen de coördinator hun planning en hun raakvlakken met "
        "de andere percelen.",
        "en": "The lot holders give the coordinator their schedule and their interfaces with "
        "the other lots.",
    },
    "report_incidents_to_coordinator": {
        "fr": "Les titulaires des lots signalent au coordinateur tout incident qui touche un "
        "autre lot.",
        "nl": "De perceelhouders melden de coördinator elk incident dat een ander perceel raakt.",
        "en": "The lot holders report to the coordinator any incident that affects another lot.",
    },
    "coordinator_not_awarded_other_lots": {
        "fr": "Le coordinateur ne donne pas d'ordres aux titulaires des lots et n'est "
        "titulaire d'aucun autre lot, afin de rester neutre ; il signale les écarts au "
        "pouvoir adjudicateur, qui reste seul à diriger chaque marché.",
        "nl": "De coördinator geeft de perceelhouders geen opdrachten en is houder van geen "
        "enkel ander perceel, zodat hij neutraal blijft; hij meldt afwijkingen aan de "
        "aanbestedende overheid, die als enige elke opdracht leidt.",
        "en": "The coordinator gives no orders to the lot holders and holds no other lot, so "
        "that it stays neutral; it reports deviations to the contracting authority, which "
        "alone directs each contract.",
    },
}

_LOT_ITEMS = {
    "fr": "Le lot comprend les postes suivants : {items}.",
    "nl": "Het perceel omvat de volgende posten: {items}.",
    "en": "The lot comprises the following items: {items}.",
}

_LOT_TITLE = {"fr": "Lot {n}", "nl": "Perceel {n}", "en": "Lot {n}"}


def _join(values: Sequence[str], lang: str) -> str:
    words = {"fr": " et ", "nl": " en ", "en": " and "}
    values = [str(v) for v in values]
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + words[lang] + values[-1]


def sme_reason(codes: Sequence[str], lang: str) -> str:
    """Return the reasons of a lot's SME suitability as one document sentence or two."""
    return " ".join(SME_REASONS[code][lang] for code in codes)


def award_rule_text(rule: AwardRule, lang: str) -> str:
    """Write the objective art. 46(2) award rule for the notice and the specifications."""
    order = _join([str(n) for n in rule.precedence], lang)
    if rule.max_lots == 1:
        return _AWARD_RULE_ONE[lang].format(order=order)
    return _AWARD_RULE[lang].format(max=rule.max_lots, order=order)


def combined_bids_text(lot_numbers: Sequence[int], lang: str) -> str:
    """Write the reservation of combined awards (art. 46(3)) for the listed lots."""
    return _COMBINED_BIDS[lang].format(lots=_join([str(n) for n in lot_numbers], lang))


def lot_description(item_descriptions: Sequence[str], lang: str) -> str:
    """Describe a lot by its items, for lots whose description the buyer left empty."""
    return _LOT_ITEMS[lang].format(items="; ".join(item_descriptions))


def default_lot_title(number: int, lang: str) -> str:
    """Return "Lot 3" / "Perceel 3", the title of a lot the buyer did not name."""
    return _LOT_TITLE[lang].format(n=number)


def money(amount: object, lang: str) -> str:
    """Format an amount in euros as a document in ``lang`` writes it."""
    from decimal import Decimal

    return format_eur(Decimal(str(amount)), lang)
