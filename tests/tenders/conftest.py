"""Fixtures of the tender builder tests: a small clause library of our own (synced from files,
as in production), accounts of two authorities, and factories for dossiers and selections.

The clauses use codes in the 95x range so that they never meet the real corpus. Their texts
carry the characters that break careless Word generation: ``&``, ``<``, quotes, accents, €.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from portal.accounts.models import Role, User
from portal.clauses import schema, sync
from portal.clauses import services as clause_services
from portal.tenders import services
from portal.tenders.models import Dossier

LOC = lambda fr, nl, en: {"fr": fr, "nl": nl, "en": en}  # noqa: E731

VERIFY = [
    {
        "evidence": "label",
        "stage": "award",
        "what": LOC("La liste des produits.", "De lijst van de producten.", "The product list."),
        "how": LOC("Vérifier les labels.", "De keurmerken nakijken.", "Check the labels."),
    },
    {
        "evidence": "inspection",
        "stage": "execution",
        "what": LOC("Les locaux techniques.", "De technische lokalen.", "The technical rooms."),
        "how": LOC("Visite inopinée.", "Onaangekondigd bezoek.", "Unannounced visit."),
    },
]
GUIDANCE = {
    "when_to_use": LOC("Toujours.", "Altijd.", "Always."),
    "market_readiness": "widespread",
    "market": LOC("Offre large.", "Ruim aanbod.", "Broad supply."),
    "cost_effect": "neutral",
    "cost": LOC("Coût égal.", "Gelijke kostprijs.", "Same cost."),
    "pitfalls": LOC(
        "Ajouter « ou équivalent ».", "Voeg 'of gelijkwaardig' toe.", "Add 'or equal'."
    ),
    "reviewed_on": "2026-09-01",
}
FIRST = LOC("Première version.", "Eerste versie.", "First version.")


def _clause(code: str, family: str, placement: str, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": code,
        "family": family,
        "placement": placement,
        "ambition": "base",
        "categories": ["cleaning"],
        "facilitator": {
            "environmental": "brussels_environment",
            "social": "actiris",
            "anti_social_dumping": "observatory",
            "pro_sme": "bee",
        }[family],
        "verification": copy.deepcopy(VERIFY),
        "guidance": copy.deepcopy(GUIDANCE),
        "legal_basis": [{"instrument": "law_2016", "article": "art. 54"}],
        "change_note": FIRST,
    }
    data.update(copy.deepcopy(fields))
    return data


#: The mandatory base criterion of cleaning in these tests, with three parameter types.
ECOLABEL = _clause(
    "CLEAN-ENV-951",
    "environmental",
    "technical_specification",
    cpv=["39830000-9"],
    title=LOC(
        "Produits « verts » & écolabellisés",
        "'Groene' producten & met keurmerk",
        "“Green” & ecolabelled products",
    ),
    text=LOC(
        "Au moins {{ share }} des produits portent {{ labels }}. Un produit à < 5 € l'unité "
        "reste soumis à l'exigence.\n\nLe rapport est remis tous les {{ months }} mois.",
        "Minstens {{ share }} van de producten draagt {{ labels }}. Een product van < € 5 per "
        "stuk valt ook onder de eis.\n\nHet verslag wordt om de {{ months }} maanden bezorgd.",
        "At least {{ share }} of the products carry {{ labels }}. A product at < €5 a unit "
        "is still covered.\n\nThe report is handed in every {{ months }} months.",
    ),
    parameters=[
        {
            "name": "share",
            "type": "percentage",
            "label": LOC("Part minimale", "Minimaal aandeel", "Minimum share"),
            "min": 50,
            "max": 100,
            "default": 80,
        },
        {
            "name": "labels",
            "type": "multichoice",
            "label": LOC("Labels", "Keurmerken", "Labels"),
            "options": [
                {
                    "value": "eu_ecolabel",
                    "label": LOC("l'EU Ecolabel", "EU Ecolabel", "EU Ecolabel"),
                },
                {
                    "value": "nordic_swan",
                    "label": LOC("le Cygne nordique", "de Noordse Zwaan", "Swan"),
                },
                {"value": "blauer_engel", "label": LOC("l'Ange bleu", "de Blauwe Engel", "Angel")},
            ],
            "conjunction": "or",
            "default": ["eu_ecolabel", "nordic_swan"],
        },
        {
            "name": "months",
            "type": "integer",
            "label": LOC("Périodicité", "Periodiciteit", "Frequency"),
            "unit": LOC("mois", "maanden", "months"),
            "min": 1,
            "max": 12,
            "default": 6,
        },
    ],
)

#: An award criterion (suggested weight 10, between 5 and 20).
CHEMICALS = _clause(
    "CLEAN-ENV-952",
    "environmental",
    "award",
    ambition="ambitious",
    title=LOC("Réduction des produits chimiques", "Minder chemicaliën", "Fewer chemicals"),
    text=LOC(
        "Le soumissionnaire s'engage sur une quantité annuelle maximale, avec une tolérance "
        "de {{ tolerance }}.",
        "De inschrijver verbindt zich tot een jaarlijkse maximale hoeveelheid, met een "
        "tolerantie van {{ tolerance }}.",
        "The tenderer commits to a maximum yearly quantity, with a tolerance of {{ tolerance }}.",
    ),
    parameters=[
        {
            "name": "tolerance",
            "type": "percentage",
            "label": LOC("Tolérance", "Tolerantie", "Tolerance"),
            "min": 0,
            "max": 25,
            "default": 10,
        }
    ],
    award={
        "weight": {"min": 5, "max": 20, "suggested": 10},
        "scoring": LOC("Proportionnel à la quantité.", "Evenredig.", "Proportional."),
    },
)

#: A second award criterion, without parameters.
QUIET = _clause(
    "CLEAN-ENV-957",
    "environmental",
    "award",
    ambition="advanced",
    title=LOC("Machines silencieuses", "Stille machines", "Quiet machines"),
    text=LOC(
        "Les points sont attribués selon le niveau sonore des autolaveuses.",
        "De punten worden toegekend volgens het geluidsniveau van de schrobmachines.",
        "Points are awarded by the noise level of the scrubber dryers.",
    ),
    award={
        "weight": {"min": 5, "max": 15, "suggested": 5},
        "scoring": LOC("Selon les décibels.", "Volgens de decibels.", "By decibels."),
    },
)

#: A contract performance clause with money, choice and text parameters.
INSERTION = _clause(
    "CLEAN-SOC-953",
    "social",
    "performance",
    ambition="advanced",
    title=LOC("Insertion de demandeurs d'emploi", "Inschakeling van werkzoekenden", "Insertion"),
    text=LOC(
        "L'adjudicataire engage {{ persons }} demandeurs d'emploi ({{ scheme }}), sous peine "
        "d'une pénalité de {{ penalty }} par mois. Contact : {{ contact }}.",
        "De opdrachtnemer neemt {{ persons }} werkzoekenden in dienst ({{ scheme }}), op straffe "
        "van een boete van {{ penalty }} per maand. Contact: {{ contact }}.",
        "The contractor hires {{ persons }} job seekers ({{ scheme }}), or pays a penalty of "
        "{{ penalty }} a month. Contact: {{ contact }}.",
    ),
    parameters=[
        {
            "name": "persons",
            "type": "integer",
            "label": LOC("Personnes", "Personen", "Persons"),
            "min": 1,
            "max": 20,
            "default": 1,
        },
        {
            "name": "scheme",
            "type": "choice",
            "label": LOC("Dispositif", "Regeling", "Scheme"),
            "options": [
                {"value": "actiris", "label": LOC("via Actiris", "via Actiris", "via Actiris")},
                {"value": "cpas", "label": LOC("via le CPAS", "via het OCMW", "via the CPAS")},
            ],
            "default": "actiris",
        },
        {
            "name": "penalty",
            "type": "money",
            "label": LOC("Pénalité", "Boete", "Penalty"),
            "min": 100,
            "max": 2000,
            "default": 500,
        },
        {
            "name": "contact",
            "type": "text",
            "label": LOC("Contact", "Contact", "Contact"),
            "max_length": 80,
            "default": LOC("le service GRH", "de dienst HR", "the HR department"),
        },
    ],
)

#: An anti-social-dumping performance clause (brings in the declaration annex).
REGISTER = _clause(
    "CLEAN-ASD-954",
    "anti_social_dumping",
    "performance",
    title=LOC("Registre de présence", "Aanwezigheidsregister", "Attendance register"),
    text=LOC(
        "L'adjudicataire tient un registre de présence électronique.",
        "De opdrachtnemer houdt een elektronisch aanwezigheidsregister bij.",
        "The contractor keeps an electronic attendance register.",
    ),
)

#: A selection criterion.
REFERENCES = _clause(
    "CLEAN-SME-955",
    "pro_sme",
    "selection",
    title=LOC("Références proportionnées", "Evenredige referenties", "Proportionate references"),
    text=LOC(
        "Le soumissionnaire présente {{ refs }} références.",
        "De inschrijver legt {{ refs }} referenties voor.",
        "The tenderer gives {{ refs }} references.",
    ),
    parameters=[
        {
            "name": "refs",
            "type": "integer",
            "label": LOC("Références", "Referenties", "References"),
            "min": 1,
            "max": 3,
            "default": 2,
        }
    ],
)

#: An exclusion ground.
EXCLUSION = _clause(
    "CLEAN-SOC-956",
    "social",
    "exclusion",
    title=LOC("Manquements graves", "Ernstige tekortkomingen", "Serious breaches"),
    text=LOC(
        "Est exclu le soumissionnaire condamné pour travail non déclaré.",
        "Wordt uitgesloten: de inschrijver die veroordeeld is voor zwartwerk.",
        "A tenderer convicted of undeclared work is excluded.",
    ),
)

#: A provision of the procedure (section 4 of the documents, with the lots).
LOTS = _clause(
    "CLEAN-SME-958",
    "pro_sme",
    "procedure",
    title=LOC("Lots par bâtiment & visite", "Percelen per gebouw & bezoek", "Lots per building"),
    text=LOC(
        "Le marché est divisé en lots « par bâtiment » ; un soumissionnaire obtient au plus "
        "{{ max_lots }} lots.",
        "De opdracht is verdeeld in percelen 'per gebouw'; een inschrijver krijgt hoogstens "
        "{{ max_lots }} percelen.",
        "The contract is divided into lots “per building”; a tenderer wins {{ max_lots }} lots "
        "at most.",
    ),
    parameters=[
        {
            "name": "max_lots",
            "type": "integer",
            "label": LOC("Lots par soumissionnaire", "Percelen per inschrijver", "Lots each"),
            "min": 1,
            "max": 10,
            "default": 2,
        }
    ],
)

LIBRARY = [ECOLABEL, CHEMICALS, QUIET, INSERTION, REGISTER, REFERENCES, EXCLUSION, LOTS]
ALL_CODES = [c["code"] for c in LIBRARY]


def version_two(data: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """The clause data of a next version (a new change note is required by sync)."""
    new = copy.deepcopy(data)
    new.update(copy.deepcopy(fields))
    new["change_note"] = LOC("Deuxième version.", "Tweede versie.", "Second version.")
    return new


def write_corpus(directory: Path, *items: dict[str, Any]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for item in items:
        clause = schema.ClauseFile.model_validate(item)
        (directory / f"{clause.code}.yaml").write_text(schema.dump(clause), encoding="utf-8")


@pytest.fixture()
def publish(db: Session, tmp_path: Path) -> Callable[..., None]:
    """Publish clause data as the library does (a new version for an existing code)."""

    def do(*items: dict[str, Any]) -> None:
        folder = tmp_path / f"corpus-{len(list(tmp_path.iterdir()))}"
        write_corpus(folder, *items)
        sync.sync_directory(db, folder)
        db.commit()

    return do


@pytest.fixture()
def coordinator(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.coordinator, full_name="Sophie Coordination")


@pytest.fixture()
def library(db: Session, publish, coordinator) -> list[str]:  # type: ignore[no-untyped-def]
    """The test clauses, published, with CLEAN-ENV-951 mandatory for cleaning since 2026."""
    publish(*LIBRARY)
    clause_services.mark_mandatory(
        db,
        actor=coordinator,
        code=ECOLABEL["code"],
        category="cleaning",
        applies_from=date(2026, 1, 1),
    )
    db.commit()
    return ALL_CODES


@pytest.fixture()
def buyer(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.buyer, full_name="Thomas Acheteur")


@pytest.fixture()
def manager(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.authority_manager, full_name="Isabelle Gestionnaire")


@pytest.fixture()
def other_buyer(make_user, authority) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.buyer, full_name="Youssef Autre", authority=authority("cpas-schaerbeek"))


def dossier_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Nettoyage des écoles & crèches « Les Petits <Loups> » – 2027",
        "subject": 'Nettoyage quotidien des écoles, "sans" chlore ; budget > 100 000 €.',
        "category": "cleaning",
        "main_cpv": "90910000-9",
        "additional_cpv": ["90919200-4", "39830000-9"],
        "estimated_value": "480 000,00",
        "contract_type": "services",
        "procedure": "open",
        "language": "both",
        "publication_date": (services.brussels_today() + timedelta(days=60)).isoformat(),
        "reference": "TEST-CLEAN-01",
    }
    data.update(overrides)
    return data


@pytest.fixture()
def make_dossier(db: Session, buyer: User) -> Callable[..., Dossier]:
    def make(actor: User | None = None, **overrides: Any) -> Dossier:
        dossier = services.create_dossier(db, actor=actor or buyer, data=dossier_data(**overrides))
        db.commit()
        return dossier

    return make


def choice(db: Session, code: str, include: bool = True, **kwargs: Any) -> services.ClauseChoice:
    version = clause_services.latest_published(db, code)
    return services.ClauseChoice(version_id=version.id, include=include, **kwargs)


@pytest.fixture()
def select_all(db: Session, buyer: User) -> Callable[..., services.SelectionResult]:
    """Include every test clause with parameters, award weights 15 + 10, price 75."""

    def do(dossier: Dossier, actor: User | None = None, **changes: Any) -> Any:
        db.refresh(dossier)
        choices = {
            "CLEAN-ENV-951": choice(
                db,
                "CLEAN-ENV-951",
                values={"share": "85", "labels": ["eu_ecolabel"], "months": "3"},
            ),
            "CLEAN-ENV-952": choice(db, "CLEAN-ENV-952", values={"tolerance": "5"}, weight="15"),
            "CLEAN-ENV-957": choice(db, "CLEAN-ENV-957", weight="10"),
            "CLEAN-SOC-953": choice(
                db,
                "CLEAN-SOC-953",
                values={"persons": "3", "scheme": "cpas", "penalty": "750", "contact": ""},
            ),
            "CLEAN-ASD-954": choice(db, "CLEAN-ASD-954"),
            "CLEAN-SME-955": choice(db, "CLEAN-SME-955", values={"refs": "1"}),
            "CLEAN-SOC-956": choice(db, "CLEAN-SOC-956"),
            "CLEAN-SME-958": choice(db, "CLEAN-SME-958", values={"max_lots": "3"}),
        }
        choices.update(changes.pop("choices", {}))
        result = services.save_selection(
            db,
            actor=actor or buyer,
            dossier_id=dossier.id,
            lock_version=dossier.lock_version,
            price_weight=changes.pop("price_weight", "75"),
            choices=choices,
        )
        db.commit()
        return result

    return do


def document_xml(data: bytes) -> str:
    """The main part of a .docx, as text."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")
