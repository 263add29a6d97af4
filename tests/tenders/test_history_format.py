"""The dossier history shows amounts and dates as the reader's locale writes them."""

from __future__ import annotations

from html import unescape

import pytest

from portal.tenders import services
from tests.tenders.conftest import dossier_data


@pytest.mark.parametrize(
    ("lang", "amount", "day", "label"),
    [
        ("fr", "950\u202f000,50\u00a0€", "1 mars 2027", "Montant estimé\u00a0: "),
        ("nl", "€\u00a0950.000,50", "1 maart 2027", "Geraamde waarde: "),
        ("en", "€950,000.50", "March 1, 2027", "Estimated value: "),
    ],
)
def test_amounts_and_dates_are_formatted_per_locale(
    client, db, login, buyer, make_dossier, lang, amount, day, label
):
    dossier = make_dossier(publication_date="")
    services.update_dossier(
        db,
        actor=buyer,
        dossier_id=dossier.id,
        data=dossier_data(estimated_value="950000,50", publication_date="2027-03-01"),
        lock_version=dossier.lock_version,
    )
    db.commit()
    login(buyer)
    page = unescape(client.get(f"/tenders/{dossier.id}/history?lang={lang}").get_data(as_text=True))
    assert "950000.50" not in page and "2027-03-01" not in page
    assert amount in page
    assert day in page
    assert label in page.replace("<strong>", "").replace("</strong>", "")
