"""The error summary of the clause form names the clause and the parameter, and links to it."""

from __future__ import annotations

import re
from html import unescape

from portal.tenders import services


def test_a_parameter_error_names_its_clause_and_parameter(
    client, db, login, buyer, library, make_dossier
):
    dossier = make_dossier()
    board = services.clause_board(db, actor=buyer, dossier_id=dossier.id, with_diffs=False)
    item = board.item("CLEAN-ENV-951")
    parameter = next(p for p in item.version.parameters if p["name"] == "share")
    login(buyer)
    response = client.post(
        f"/tenders/{dossier.id}/clauses?lang=fr",
        data={
            "lock_version": str(dossier.lock_version),
            "price_weight": "100",
            "c-CLEAN-ENV-951-version": str(item.version.id),
            "c-CLEAN-ENV-951-include": "1",
            "c-CLEAN-ENV-951-p-share": "150",
        },
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    start = page.index('class="error-summary"')
    summary = page[start : page.index("</div>", start)]
    link = re.search(r'<a href="#c-CLEAN-ENV-951-p-share">(.*?)</a>', summary, re.S)
    assert link, summary
    text = unescape(link.group(1))
    title = item.version.text("title", "fr")
    assert text.startswith(f"CLEAN-ENV-951 – {title}, {parameter['label']['fr']}\u00a0: ")
    assert 'id="c-CLEAN-ENV-951-p-share"' in page
