"""Fixtures of the lots tests: accounts of two authorities, dossiers made by the tender
builder's services, the thresholds loaded from the project's files, and the demo CSV file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from portal.accounts.models import Role, User
from portal.lots import services
from portal.tenders import services as tender_services
from portal.tenders.models import Dossier

DEMO_CSV = Path(__file__).resolve().parents[2] / "portal/lots/examples/ixelles-cleaning-items.csv"
#: A publication date covered by the 2026-2027 thresholds of the project's files.
PUBLICATION = date(2027, 3, 15)


@pytest.fixture()
def thresholds(db: Session) -> dict[str, int]:
    counts = services.sync_thresholds(db)
    db.commit()
    return counts


@pytest.fixture()
def buyer(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.buyer, full_name="Thomas Acheteur")


@pytest.fixture()
def other_buyer(make_user, authority) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.buyer, authority=authority("cpas-schaerbeek"))


@pytest.fixture()
def coordinator(make_user) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.coordinator)


def dossier_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Nettoyage des bâtiments communaux 2027-2030",
        "subject": "Nettoyage des bâtiments, des écoles et des crèches, pendant quatre ans.",
        "category": "cleaning",
        "main_cpv": "90910000-9",
        "additional_cpv": [],
        "estimated_value": "2 500 000,00",
        "contract_type": "services",
        "procedure": "open",
        "language": "both",
        "publication_date": PUBLICATION.isoformat(),
        "reference": "LOTS-TEST-01",
    }
    data.update(overrides)
    return data


@pytest.fixture()
def make_dossier(db: Session, buyer: User) -> Callable[..., Dossier]:
    # The tender builder accepts publication dates within a year of "today": pin it, so that
    # the tests do not depend on the day they run.
    def make(actor: User | None = None, **overrides: Any) -> Dossier:
        dossier = tender_services.create_dossier(
            db, actor=actor or buyer, data=dossier_data(**overrides), today=date(2027, 1, 10)
        )
        db.commit()
        return dossier

    return make


@pytest.fixture()
def demo_csv() -> bytes:
    return DEMO_CSV.read_bytes()
