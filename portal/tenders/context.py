"""Turn a dossier into the plain data of a Word document (:class:`DocumentContext`).

This is the tender builder's side of the context contract of :mod:`portal.documents.context`:
the dossier, its *pinned* clause versions filled in with the buyer's parameter values, the
award weights, the lots section (from the lot-split advisor, when a lot plan is saved), the
buyer's verification checklist and the anti-social-dumping declaration. Everything is built in
one document language (``fr`` or ``nl``; ``en`` for previews), whatever the language of the web
page that asks for it.

Reproducible by construction: the context depends only on the dossier, its pinned versions and
reference data. Even the date printed in the document (``generated_on``) is the day of the
dossier's last change, not the day of generation, so that regenerating an unchanged dossier
gives the same bytes (and the same checksum) as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from portal.clauses import content
from portal.clauses.models import ClauseVersion
from portal.clauses.vocabulary import Placement
from portal.documents import labels
from portal.documents.context import (
    PLACEMENT_ORDER,
    Authority,
    Coordination,
    Cpv,
    DocumentContext,
    Lots,
    anti_dumping_block,
    checklist,
    clause_context,
    group_clauses,
    weights_table,
)
from portal.documents.context import (
    Dossier as DossierRecord,
)
from portal.reference.models import ContractingAuthority, ProcurementCategory
from portal.reference.services import cpv_label
from portal.tenders.models import Dossier, DossierClause

#: Dates in documents are Brussels dates.
BRUSSELS = ZoneInfo("Europe/Brussels")

#: The contractor's declaration against social dumping: the statements the contractor and each
#: subcontractor sign when anti-social-dumping clauses are chosen. They restate, in the first
#: person, the obligations those clauses and Belgian law impose on every contract.
DECLARATION: dict[str, tuple[str, ...]] = {
    "fr": (
        "Je suis en règle avec mes obligations en matière de cotisations de sécurité sociale et "
        "d'impôts, et je n'ai pas de dettes sociales ou fiscales supérieures à 3 000 €.",
        "Je rémunère le personnel affecté au marché au moins selon les barèmes de la commission "
        "paritaire dont relèvent les prestations, et je paie les salaires aux échéances "
        "convenues.",
        "Je n'occupe pas de ressortissants de pays tiers en séjour illégal.",
        "Pour tout travailleur détaché, j'ai fait la déclaration Limosa préalable et j'applique "
        "les conditions belges de travail, de rémunération et d'emploi.",
        "Je ne confie aucune partie du marché à un sous-traitant sans l'accord préalable du "
        "pouvoir adjudicateur, et je communique l'identité de chaque sous-traitant avant le "
        "début de ses prestations.",
        "J'accepte les contrôles sur place du pouvoir adjudicateur et je lui remets, à sa "
        "demande, les fiches de paie, les horaires et les enregistrements de présence du "
        "personnel affecté au marché.",
        "J'impose les mêmes engagements à chacun de mes sous-traitants, qui signent la présente "
        "déclaration avant le début de leurs prestations.",
    ),
    "nl": (
        "Ik ben in orde met mijn verplichtingen inzake socialezekerheidsbijdragen en belastingen "
        "en heb geen sociale of fiscale schulden van meer dan € 3.000.",
        "Ik betaal het personeel van de opdracht minstens volgens de loonschalen van het "
        "paritair comité waaronder de prestaties vallen, en betaal de lonen op de afgesproken "
        "tijdstippen.",
        "Ik stel geen illegaal verblijvende onderdanen van derde landen tewerk.",
        "Voor elke gedetacheerde werknemer heb ik vooraf een Limosa-melding gedaan en pas ik de "
        "Belgische arbeids-, loon- en tewerkstellingsvoorwaarden toe.",
        "Ik vertrouw geen enkel deel van de opdracht toe aan een onderaannemer zonder de "
        "voorafgaande toestemming van de aanbestedende overheid, en ik deel de identiteit van "
        "elke onderaannemer mee vóór hij met zijn prestaties begint.",
        "Ik aanvaard de controles ter plaatse van de aanbestedende overheid en bezorg haar op "
        "verzoek de loonfiches, de uurroosters en de aanwezigheidsregistraties van het "
        "personeel van de opdracht.",
        "Ik leg dezelfde verbintenissen op aan elk van mijn onderaannemers, die deze verklaring "
        "ondertekenen vóór zij met hun prestaties beginnen.",
    ),
    "en": (
        "I am up to date with my social security contributions and taxes, and I have no social "
        "or tax debts above €3,000.",
        "I pay the staff assigned to the contract at least the wage scales of the joint "
        "committee that covers the work, and I pay wages on the agreed dates.",
        "I do not employ third-country nationals staying illegally.",
        "For every posted worker I made the prior Limosa declaration and I apply the Belgian "
        "working, pay and employment conditions.",
        "I entrust no part of the contract to a subcontractor without the contracting "
        "authority's prior consent, and I give the identity of each subcontractor before it "
        "starts work.",
        "I accept on-site checks by the contracting authority and hand over, on request, the "
        "payslips, timetables and attendance records of the staff assigned to the contract.",
        "I impose the same commitments on each of my subcontractors, who sign this declaration "
        "before they start work.",
    ),
}

#: The lots section when no lot plan has been saved yet: an undivided contract whose
#: justification (law of 17 June 2016, art. 58) is still to be written. The documents contract
#: requires a justification for an undivided contract, so the document says plainly that it is
#: missing instead of leaving the section empty.
JUSTIFICATION_MISSING: dict[str, str] = {
    "fr": "[À compléter] Le pouvoir adjudicateur n'a pas encore motivé sa décision de ne pas "
    "diviser le marché en lots (article 58 de la loi du 17 juin 2016 relative aux marchés "
    "publics). Cette motivation doit figurer dans les documents du marché avant leur "
    "publication ; elle se rédige dans l'onglet « Lots » du dossier.",
    "nl": "[Aan te vullen] De aanbestedende overheid heeft haar beslissing om de opdracht niet "
    "in percelen te verdelen nog niet gemotiveerd (artikel 58 van de wet van 17 juni 2016 "
    "inzake overheidsopdrachten). Deze motivering moet vóór de bekendmaking in de "
    "opdrachtdocumenten staan; ze wordt opgesteld in het tabblad 'Percelen' van het dossier.",
    "en": "[To be completed] The contracting authority has not yet stated why the contract is "
    "not divided into lots (Belgian Public Procurement Act of 17 June 2016, art. 58). The "
    "reason must be in the procurement documents before they are published; write it in the "
    "dossier's “Lots” tab.",
}


@dataclass(frozen=True)
class PinnedClause:
    """An included clause of a dossier with its pinned version and that version's file data."""

    selection: DossierClause
    version: ClauseVersion
    #: The version's content in the shape of a clause file (:func:`document_data`).
    data: dict[str, Any]


def document_data(version: ClauseVersion) -> dict[str, Any]:
    """The fields of a version that :func:`clause_context` reads, in the clause-file shape.

    Built straight from the row, without the copies and the category and CPV look-ups of
    :func:`portal.clauses.content.version_data` (which gives every field of the file): the
    documents never show a clause's categories, and nothing here changes the data.
    """

    def loc(field: str) -> dict[str, str]:
        return {lang: getattr(version, f"{field}_{lang}") or "" for lang in content.LANGS}

    data: dict[str, Any] = {
        "code": version.code,
        "family": str(version.family),
        "placement": str(version.placement),
        "ambition": str(version.ambition),
        "title": loc("title"),
        "text": loc("text"),
        "parameters": version.parameters or [],
        "verification": version.verification or [],
        "legal_basis": version.legal_basis or [],
    }
    if version.award_weight_suggested is not None:
        data["award"] = {"scoring": loc("award_scoring")}
    return data


def pinned_clauses(session: Session, dossier: Dossier) -> list[PinnedClause]:
    """The dossier's included clauses in document order (placement, position, code)."""
    rows = session.exec(
        select(DossierClause, ClauseVersion)
        .join(ClauseVersion, ClauseVersion.id == DossierClause.version_id)
        .where(DossierClause.dossier_id == dossier.id, DossierClause.is_included.is_(True))
    ).all()
    order = {p: i for i, p in enumerate(PLACEMENT_ORDER)}
    pinned = [PinnedClause(sel, version, document_data(version)) for sel, version in rows]
    pinned.sort(
        key=lambda p: (order[Placement(p.version.placement)], p.selection.position, p.version.code)
    )
    return pinned


def document_date(dossier: Dossier) -> date:
    """The date printed in the documents: the Brussels day of the dossier's last change."""
    return dossier.updated_at.astimezone(BRUSSELS).date()


def fallback_lots(dossier: Dossier, lang: str, *, ratio: Decimal | None = None) -> Lots:
    """The lots section when no lot plan is saved: not divided, justification still missing.

    Without a plan the duration is unknown, so the value stands for the yearly value: the
    required turnover is the turnover clause's multiple of it, else the value itself.
    """
    value = Decimal(dossier.estimated_value)
    required = value if ratio is None else min(2 * value, ratio * value)
    return Lots(
        divided=False,
        lots=(),
        total_value=value,
        max_lots_per_tenderer=None,
        max_lots_awarded=None,
        award_rule="",
        combined_bids=False,
        combined_bids_text="",
        coordination=Coordination(),
        justification=(JUSTIFICATION_MISSING[lang],),
        # Directive 2014/24/EU art. 58(3): at most twice the contract value. Without the
        # duration (the lot plan knows it) the yearly figures cannot be refined; the SME-friendly
        # suggestion is the value itself.
        contract_turnover_max=2 * value,
        contract_turnover_sme=value,
        contract_turnover_cap=2 * value,
        contract_turnover_required=required.quantize(Decimal(1), rounding=ROUND_DOWN),
    )


#: The parameter of the turnover selection criterion (GEN-SME-001 and any clause like it): the
#: minimum yearly turnover as a multiple of the lot's yearly value. When the buyer chooses such a
#: clause, the lots section takes its requirement from it, so the two never disagree.
TURNOVER_RATIO_PARAMETER = "turnover_ratio"


def turnover_ratio(pinned: Sequence[PinnedClause]) -> Decimal | None:
    """The turnover multiple of the chosen turnover clause (its value or default), if any."""
    for item in pinned:
        for parameter in item.data.get("parameters") or []:
            if parameter.get("name") != TURNOVER_RATIO_PARAMETER:
                continue
            value = (item.selection.parameter_values or {}).get(
                TURNOVER_RATIO_PARAMETER, parameter.get("default")
            )
            if value is not None:
                return Decimal(str(value))
    return None


def lots_for(
    session: Session, dossier: Dossier, lang: str, *, ratio: Decimal | None = None
) -> Lots:
    """The lots section from the lot-split advisor, or :func:`fallback_lots`."""
    try:
        # Imported here: the lots package is built on top of the tender builder, not under it.
        from portal.lots.services import lots_section  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        return fallback_lots(dossier, lang, ratio=ratio)
    section = lots_section(session, dossier, lang, turnover_ratio=ratio)
    return section if section is not None else fallback_lots(dossier, lang, ratio=ratio)


def build_context(
    session: Session,
    dossier: Dossier,
    lang: str,
    *,
    pinned: Sequence[PinnedClause] | None = None,
) -> DocumentContext:
    """Build the document context of a dossier in one document language.

    ``pinned`` may be passed when the caller already loaded the clauses (generation of several
    files in one request).

    :raises ValidationError: a stored parameter value no longer fits its version (cannot
        happen through the services, which check every value they store).
    :raises ContextError: the weights do not total 100, or other data breaks the contract
        (the services refuse generation before this can happen).
    """
    if pinned is None:
        pinned = pinned_clauses(session, dossier)
    authority = session.get(ContractingAuthority, dossier.authority_id)
    category = session.get(ProcurementCategory, dossier.category_id)
    clauses = [
        clause_context(
            item.data,
            item.selection.parameter_values or {},
            version=item.version.number or 1,
            lang=lang,
            weight=item.selection.weight if item.version.placement == Placement.award else None,
        )
        for item in pinned
    ]
    groups = group_clauses(clauses)
    names = {"fr": authority.name_fr, "nl": authority.name_nl, "en": authority.name_en}
    record = DossierRecord(
        title=dossier.title_in(lang),
        reference=dossier.reference or "",
        subject=dossier.subject_in(lang),
        category=getattr(category, f"name_{lang}") or category.name_fr,
        contract_type=dossier.contract_type.value,
        contract_type_label=labels.label("contract_type", dossier.contract_type.value, lang),
        procedure=dossier.procedure.value,
        procedure_label=labels.label("procedure", dossier.procedure.value, lang),
        estimated_value=Decimal(dossier.estimated_value),
        main_cpv=Cpv(code=dossier.main_cpv, label=cpv_label(dossier.main_cpv, lang)),
        additional_cpv=tuple(
            Cpv(code=code, label=cpv_label(code, lang)) for code in dossier.additional_cpv or []
        ),
        publication_date=dossier.publication_date,
    )
    return DocumentContext(
        lang=lang,
        generated_on=document_date(dossier),
        authority=Authority(
            name=names.get(lang) or authority.name_fr,
            name_fr=authority.name_fr,
            name_nl=authority.name_nl,
        ),
        dossier=record,
        clauses=groups,
        weights=weights_table(dossier.price_weight, groups.award),
        lots=lots_for(session, dossier, lang, ratio=turnover_ratio(pinned)),
        checklist=checklist(groups),
        anti_dumping=anti_dumping_block(groups, DECLARATION[lang]),
    )
