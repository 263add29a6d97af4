"""Fixtures of the clause library tests: valid clause data, small corpora on disk, synced
clauses, and helpdesk accounts with themes."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from portal.accounts.models import Role, User
from portal.clauses import schema, sync

LOC = lambda fr, nl, en: {"fr": fr, "nl": nl, "en": en}  # noqa: E731

BASE: dict[str, Any] = {
    "code": "CLEAN-ENV-901",
    "family": "environmental",
    "placement": "technical_specification",
    "ambition": "base",
    "categories": ["cleaning"],
    "cpv": ["39830000-9"],
    "facilitator": "brussels_environment",
    "title": LOC(
        "Désinfectants biodégradables",
        "Biologisch afbreekbare ontsmettingsmiddelen",
        "Biodegradable disinfectants",
    ),
    "text": LOC(
        "Au moins {{ share }} des désinfectants utilisés sont biodégradables selon {{ labels }}."
        "\n\nLe rapport est remis tous les {{ months }} mois.",
        "Minstens {{ share }} van de gebruikte ontsmettingsmiddelen is biologisch afbreekbaar "
        "volgens {{ labels }}.\n\nHet verslag wordt om de {{ months }} maanden bezorgd.",
        "At least {{ share }} of the disinfectants used are biodegradable under {{ labels }}."
        "\n\nThe report is handed in every {{ months }} months.",
    ),
    "parameters": [
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
                {"value": "eu_ecolabel", "label": LOC("EU Ecolabel", "EU Ecolabel", "EU Ecolabel")},
                {
                    "value": "nordic_swan",
                    "label": LOC("Cygne nordique", "Noordse Zwaan", "Nordic Swan"),
                },
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
    "verification": [
        {
            "evidence": "label",
            "stage": "award",
            "what": LOC(
                "La liste des produits.", "De lijst van de producten.", "The product list."
            ),
            "how": LOC("Vérifier les labels.", "De keurmerken nakijken.", "Check the labels."),
        }
    ],
    "guidance": {
        "when_to_use": LOC("Toujours.", "Altijd.", "Always."),
        "market_readiness": "widespread",
        "market": LOC("Offre large.", "Ruim aanbod.", "Broad supply."),
        "cost_effect": "neutral",
        "cost": LOC("Coût égal.", "Gelijke kostprijs.", "Same cost."),
        "pitfalls": LOC(
            "Ajouter « ou équivalent ».", "Voeg “of gelijkwaardig” toe.", 'Add "or equivalent".'
        ),
        "reviewed_on": "2026-09-01",
    },
    "legal_basis": [{"instrument": "law_2016", "article": "art. 54"}],
    "change_note": LOC("Première version.", "Eerste versie.", "First version."),
}


def clause_data(code: str = "CLEAN-ENV-901", **overrides: Any) -> dict[str, Any]:
    """Valid file-shaped clause data; top-level fields can be overridden."""
    data = copy.deepcopy(BASE)
    data["code"] = code
    family = {
        "ENV": "environmental",
        "SOC": "social",
        "SME": "pro_sme",
        "ASD": "anti_social_dumping",
        "ETH": "ethical",
        "INN": "innovation",
    }[code.split("-")[1]]
    data["family"] = family
    data.update(copy.deepcopy(overrides))
    return data


def award_data(code: str = "CLEAN-ENV-902", **overrides: Any) -> dict[str, Any]:
    data = clause_data(
        code,
        placement="award",
        ambition="advanced",
        title=LOC(
            "Machines de nettoyage silencieuses",
            "Stille schoonmaakmachines",
            "Quiet cleaning machines",
        ),
        text=LOC(
            "Les points sont attribués selon le niveau sonore des autolaveuses.",
            "De punten worden toegekend volgens het geluidsniveau van de schrobmachines.",
            "Points are awarded by the noise level of the scrubber dryers.",
        ),
        parameters=[],
        award={
            "weight": {"min": 5, "max": 15, "suggested": 10},
            "scoring": LOC("Proportionnel.", "Evenredig.", "Proportional."),
        },
    )
    data.update(copy.deepcopy(overrides))
    return data


def write_corpus(directory: Path, *items: dict[str, Any]) -> Path:
    """Write clause files in canonical form; return the folder."""
    directory.mkdir(parents=True, exist_ok=True)
    for item in items:
        clause = schema.ClauseFile.model_validate(item)
        (directory / f"{clause.code}.yaml").write_text(schema.dump(clause), encoding="utf-8")
    return directory


@pytest.fixture()
def corpus_dir(tmp_path: Path) -> Path:
    return tmp_path / "corpus"


@pytest.fixture()
def load_clauses(db: Session, corpus_dir: Path) -> Callable[..., sync.SyncReport]:
    """Write the given clause data to a folder, sync it and commit."""

    def load(*items: dict[str, Any]) -> sync.SyncReport:
        write_corpus(corpus_dir, *items)
        report = sync.sync_directory(db, corpus_dir)
        db.commit()
        return report

    return load


@pytest.fixture()
def library(load_clauses) -> sync.SyncReport:  # type: ignore[no-untyped-def]
    """Three published clauses: two environmental (cleaning), one social (GEN, two categories)."""
    social = clause_data(
        "GEN-SOC-901",
        placement="performance",
        ambition="ambitious",
        categories=["catering", "cleaning"],
        cpv=[],
        facilitator="actiris",
        title=LOC(
            "Insertion de demandeurs d'emploi",
            "Inschakeling van werkzoekenden",
            "Insertion of job seekers",
        ),
        text=LOC(
            "L'adjudicataire forme des stagiaires pendant l'exécution du marché.",
            "De opdrachtnemer leidt stagiairs op tijdens de uitvoering van de opdracht.",
            "The contractor trains interns while performing the contract.",
        ),
        parameters=[],
        legal_basis=[{"instrument": "ord_2014_social", "article": "art. 3"}],
    )
    return load_clauses(clause_data(), award_data(), social)


@pytest.fixture()
def curator(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.curator, full_name="Marc Curator", themes=["environmental"])


@pytest.fixture()
def curator2(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.curator, full_name="Lotte Reviewer", themes=["environmental"])


@pytest.fixture()
def social_curator(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.curator, full_name="Nadia Social", themes=["social"])


@pytest.fixture()
def expert(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.expert, full_name="Jan Expert", themes=["environmental"])


@pytest.fixture()
def buyer(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.buyer, full_name="Thomas Buyer")


@pytest.fixture()
def coordinator(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.coordinator, full_name="Sophie Coordinator")


@pytest.fixture()
def switch_to(client, login):  # type: ignore[no-untyped-def]
    """Log the test client out, then in as another user."""

    def do(user: User) -> None:
        client.post("/logout")
        login(user)

    return do


def editor_payload(data: dict[str, Any], lock_version: int | None = None) -> dict[str, Any]:
    """What a browser posts from the clause editor filled with ``data``."""
    from portal.clauses.forms import data_to_form, flatten_form

    payload = flatten_form(data_to_form(data))
    if lock_version is not None:
        payload["lock_version"] = str(lock_version)
    return payload
