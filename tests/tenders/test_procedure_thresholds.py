"""The intended procedure is checked against the estimated value (thresholds of portal.lots)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from portal.errors import ValidationError
from portal.tenders import services
from portal.tenders.models import Dossier
from tests.tenders.conftest import dossier_data


def test_an_accepted_invoice_above_its_ceiling_is_refused_on_the_procedure_field(db, buyer):
    data = dossier_data(estimated_value="950000.50", procedure="accepted_invoice")
    with pytest.raises(ValidationError) as caught:
        services.create_dossier(db, actor=buyer, data=data)
    messages = [str(m) for m in caught.value.errors["procedure"]]
    assert len(messages) == 1 and "art. 92" in messages[0]


def test_an_accepted_invoice_below_its_ceiling_is_accepted_without_warning(db, buyer):
    dossier = services.create_dossier(
        db, actor=buyer, data=dossier_data(estimated_value="29 000", procedure="accepted_invoice")
    )
    assert services.procedure_warnings(db, dossier) == []


def test_the_create_form_refuses_it_in_french_with_the_ceiling(client, db, login, buyer, library):
    login(buyer)
    data = dossier_data(estimated_value="950000.50", procedure="accepted_invoice")
    data["additional_cpv-0"] = data.pop("additional_cpv")[0]
    response = client.post("/tenders/new?lang=fr", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "facture acceptée" in page.lower()
    assert "30\u202f000,00\u00a0€" in page or "30 000,00" in page or "30.000,00" in page
    assert db.exec(select(Dossier)).first() is None


def test_a_negotiated_procedure_above_its_ceiling_warns_on_overview_and_documents(
    client, db, login, buyer, make_dossier
):
    dossier = make_dossier(estimated_value="950 000,50", procedure="negotiated_without_publication")
    warnings = [str(w) for w in services.procedure_warnings(db, dossier)]
    assert len(warnings) == 1 and "art. 42" in warnings[0]
    login(buyer)
    for path in (f"/tenders/{dossier.id}?lang=nl", f"/tenders/{dossier.id}/documents?lang=nl"):
        page = client.get(path).get_data(as_text=True)
        assert "tb-procedure-warnings" in page
        assert "onderhandelingsprocedure zonder voorafgaande bekendmaking" in page.lower()


def test_an_open_procedure_never_warns(db, make_dossier):
    assert services.procedure_warnings(db, make_dossier(estimated_value="950 000")) == []
