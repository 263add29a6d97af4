"""The Lots tab over HTTP, end to end: import 40 items from CSV, compare three proposals, pick
one, edit it (move, split, merge, rename), save it, and find the lots in the generated Word
section. Also the item form, the import report, not dividing, the OCDS download and who may see
what."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from sqlmodel import select

from portal.accounts.models import Role
from portal.audit.models import AuditEvent
from portal.lots import services
from portal.lots.models import LotOptions, LotPlan, PlanLot
from portal.lots.ocds import validate_package
from portal.tenders.models import GeneratedDocument

OPTIONS = {
    "divide": "y",
    "target_lot_size": "250 000",
    "duration_months": "48",
    "max_lots_awarded": "3",
}


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def editor_fields(html: str) -> dict[str, str]:
    """The editor form's current values: each item's lot, the titles, the hidden fields."""
    values: dict[str, str] = {}
    for name, body in re.findall(r'<select name="(item-\d+)"[^>]*>(.*?)</select>', html, re.S):
        values[name] = re.search(r'<option value="(\w+)" selected', body).group(1)
    for name, value in re.findall(r'name="(title-\d+-\w+)" value="([^"]*)"', html):
        values[name] = value
    for name in ("strategy", "signature"):
        values[name] = re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
    return values


def import_demo(client, dossier, demo_csv):  # type: ignore[no-untyped-def]
    return client.post(
        f"/tenders/{dossier.id}/lots/import?lang=en",
        data={"file": (io.BytesIO(demo_csv), "ixelles.csv"), "mode": "append"},
        content_type="multipart/form-data",
    )


def test_done_when_import_compare_pick_edit_save_and_generate(
    client, db, login, buyer, make_dossier, demo_csv, thresholds
):
    dossier = make_dossier()
    login(buyer)
    tab = client.get(f"/tenders/{dossier.id}/lots?lang=en")
    assert tab.status_code == 200
    assert b'aria-current="page">Lots</a>' in tab.data

    # 1. Import the 40 items from CSV.
    response = import_demo(client, dossier, demo_csv)
    assert response.status_code == 302, response.data[:2000]
    assert services.count_items(db, dossier) == 40
    response = client.post(f"/tenders/{dossier.id}/lots/options?lang=en", data=OPTIONS)
    assert response.status_code == 302

    # 2. Compare three proposals, side by side, each with its chart and checks.
    page = client.get(f"/tenders/{dossier.id}/lots/proposals?lang=en").get_data(as_text=True)
    assert page.count('class="card lots-proposal') == 3
    assert page.count('<svg class="lots-chart"') == 3
    for label in ("By trade", "By place", "By size"):
        assert label in page
    assert "Legal basis: Dir. 2014/24/EU art. 5(10)" in page
    assert "Minimum turnover required for lot 1" in page

    # 3. Pick the trade proposal.
    html = client.get(f"/tenders/{dossier.id}/lots/editor?strategy=trade&lang=en").get_data(
        as_text=True
    )
    form = editor_fields(html)
    lots_before = sorted({v for k, v in form.items() if k.startswith("item-")}, key=int)
    assert len(lots_before) == 6

    # 4. Edit: merge lot 4 into lot 1, move one item into a new lot, rename lot 1.
    items = services.list_items(db, dossier)
    moved = next(i for i in items if i.cpv == "90690000-0")  # graffiti removal
    form["merge-4"] = "1"
    form[f"item-{moved.id}"] = "new"
    form["title-1-fr"] = "Sacs et distributeurs"
    form["title-1-nl"] = "Zakken en dispensers"
    checked = client.post(
        f"/tenders/{dossier.id}/lots/editor?lang=en", data={**form, "action": "check"}
    )
    assert checked.status_code == 200
    after = editor_fields(checked.get_data(as_text=True))
    assert after[f"item-{moved.id}"] == "6"  # 6 lots: one merged away, one new
    assert len({v for k, v in after.items() if k.startswith("item-")}) == 6
    assert after["title-1-fr"] == "Sacs et distributeurs"

    # 5. Save.
    saved = client.post(
        f"/tenders/{dossier.id}/lots/editor?lang=en", data={**after, "action": "save"}
    )
    assert saved.status_code == 302
    plan = db.exec(select(LotPlan).where(LotPlan.dossier_id == dossier.id)).one()
    assert plan.strategy == "manual" and plan.is_divided
    lots = db.exec(select(PlanLot).where(PlanLot.plan_id == plan.id).order_by(PlanLot.number))
    titles = [lot.title["fr"] for lot in lots]
    assert titles[0] == "Sacs et distributeurs" and len(titles) == 6
    assert (
        db.exec(select(AuditEvent).where(AuditEvent.action == "lots.plan.saved")).first()
        is not None
    )

    # 6. Generate the lots section of the Word document and find the lots in it.
    response = client.post(
        f"/tenders/{dossier.id}/documents?lang=en",
        data={"kind": "lots", "lang": "fr", "template": ""},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    generated = db.exec(
        select(GeneratedDocument).where(GeneratedDocument.dossier_id == dossier.id)
    ).one()
    text = docx_text(client.get(f"/tenders/{dossier.id}/documents/{generated.id}").data)
    assert "Sacs et distributeurs" in text
    for title in titles[1:]:
        assert title in text
    assert "Un même soumissionnaire peut se voir attribuer au maximum 3 lots" in text
    assert "Accessible aux PME" in text


def test_live_checks_endpoint_returns_the_new_editor_and_checks(
    client, db, login, buyer, make_dossier, demo_csv
):
    dossier = make_dossier()
    login(buyer)
    import_demo(client, dossier, demo_csv)
    form = editor_fields(
        client.get(f"/tenders/{dossier.id}/lots/editor?strategy=trade&lang=nl").get_data(
            as_text=True
        )
    )
    first = next(k for k in form if k.startswith("item-"))
    form[first] = "new"
    response = client.post(
        f"/tenders/{dossier.id}/lots/assess?lang=nl",
        data=form,
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    data = response.get_json()
    assert data["summary"].startswith("Controles bijgewerkt")
    assert any(lot["item_ids"] == [first.removeprefix("item-")] for lot in data["lots"])
    assert {c["code"] for c in data["checks"]} >= {"aggregate_eu_threshold", "turnover_cap"}
    assert 'id="lot-1-title"' in data["html"] and "Perceel" in data["html"]


def test_live_merge_tells_where_the_lots_went(client, db, login, buyer, make_dossier, demo_csv):
    dossier = make_dossier()
    login(buyer)
    import_demo(client, dossier, demo_csv)
    form = editor_fields(
        client.get(f"/tenders/{dossier.id}/lots/editor?strategy=trade").get_data(as_text=True)
    )
    form["merge-2"] = "5"
    data = client.post(
        f"/tenders/{dossier.id}/lots/assess", data=form, headers={"Accept": "application/json"}
    ).get_json()
    assert len(data["lots"]) == 5
    # Lot 2 went into lot 5, which is now lot 4 (lots 3-6 move up by one).
    assert data["renumbered"] == {"1": 1, "2": 4, "3": 2, "4": 3, "5": 4, "6": 5}


def test_not_dividing_needs_the_reasons_in_each_language(
    client, db, login, buyer, make_dossier, demo_csv
):
    dossier = make_dossier()
    login(buyer)
    import_demo(client, dossier, demo_csv)
    client.post(f"/tenders/{dossier.id}/lots/options", data={**OPTIONS, "divide": ""})
    page = client.get(f"/tenders/{dossier.id}/lots/proposals?lang=en").get_data(as_text=True)
    assert page.count('class="card lots-proposal') == 1
    assert "article 58 de la loi du 17 juin 2016" in page
    html = client.get(f"/tenders/{dossier.id}/lots/editor?strategy=single_lot&lang=en")
    form = editor_fields(html.get_data(as_text=True))
    refused = client.post(
        f"/tenders/{dossier.id}/lots/editor?lang=en",
        data={**form, "justification-fr": "Trop court", "justification-nl": "", "action": "save"},
    )
    assert refused.status_code == 400
    assert b"Write the main reasons for not dividing" in refused.data
    fr = "Les prestations forment un tout : un seul prestataire garantit la continuité."
    nl = "De prestaties vormen een geheel: één dienstverlener waarborgt de continuïteit."
    saved = client.post(
        f"/tenders/{dossier.id}/lots/editor?lang=en",
        data={**form, "justification-fr": fr, "justification-nl": nl, "action": "save"},
    )
    assert saved.status_code == 302
    section = services.lots_section(db, dossier, "nl")
    assert not section.divided and section.justification == (nl,)


def test_item_form_reads_decimal_commas_and_reports_errors(client, db, login, buyer, make_dossier):
    dossier = make_dossier()
    login(buyer)
    bad = client.post(
        f"/tenders/{dossier.id}/lots/items/new?lang=fr",
        data={"description": "", "cpv": "12", "value": "-3", "unit": "m²", "municipality": ""},
    )
    assert bad.status_code == 400
    page = bad.get_data(as_text=True)
    assert "Ce champ est obligatoire." in page
    assert "Indiquez un nombre supérieur à zéro." in page
    ok = client.post(
        f"/tenders/{dossier.id}/lots/items/new?lang=fr",
        data={
            "description": "Vitres de la piscine",
            "cpv": "90911300",
            "value": "12 500,50",
            "quantity": "4",
            "unit": "passages",
            "municipality": "ixelles",
            "site": "Piscine",
            "period_start": "2027-01-01",
            "period_end": "31/12/2028",
        },
    )
    assert ok.status_code == 302
    item = services.list_items(db, dossier)[0]
    assert (item.cpv, str(item.value), item.municipality) == ("90911300-9", "12500.50", "ixelles")
    edit = client.post(
        f"/tenders/{dossier.id}/lots/items/{item.id}?lang=fr",
        data={"description": "Vitres", "cpv": "90911300-9", "value": "13000", "unit": "passages"},
    )
    assert edit.status_code == 302
    db.refresh(item)
    assert item.value == 13000 and item.period_start is None
    assert client.post(f"/tenders/{dossier.id}/lots/items/{item.id}/delete").status_code == 302
    assert services.count_items(db, dossier) == 0


def test_import_report_lists_rows_and_imports_nothing(client, db, login, buyer, make_dossier):
    dossier = make_dossier()
    login(buyer)
    content = "Omschrijving;CPV-code;Waarde excl. btw\nRamen;90911300-9;1000\n;99999999-9;-1\n"
    response = client.post(
        f"/tenders/{dossier.id}/lots/import?lang=nl",
        data={"file": (io.BytesIO(content.encode()), "posten.csv"), "mode": "append"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Het bestand werd niet geïmporteerd" in page
    assert "Dit veld is verplicht." in page
    assert "‘99999999-9’ is geen code uit de CPV-nomenclatuur 2008" in page
    assert page.count('<td class="num">3</td>') == 3  # row 3: description, CPV, value
    assert services.count_items(db, dossier) == 0


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("items.csv", bytes(range(256)) * 8, "This is not a CSV text file"),
        ("items.xlsx", bytes(range(256)) * 8, "This is not a readable Excel workbook"),
        ("items.csv", b"", "The file is empty."),
        ("items.xlsx", b"PK\x03\x04garbage", "This is not a readable Excel workbook"),
    ],
)
def test_unreadable_uploads_get_a_message_not_a_500(
    client, login, buyer, make_dossier, name, content, message
):
    dossier = make_dossier()
    login(buyer)
    response = client.post(
        f"/tenders/{dossier.id}/lots/import?lang=en",
        data={"file": (io.BytesIO(content), name), "mode": "append"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert message.encode() in response.data


def test_upload_over_the_size_limit(client, app, login, buyer, make_dossier, monkeypatch):
    monkeypatch.setitem(app.config, "ITEM_IMPORT_MAX_BYTES", 1000)
    dossier = make_dossier()
    login(buyer)
    response = client.post(
        f"/tenders/{dossier.id}/lots/import?lang=en",
        data={"file": (io.BytesIO(b"x" * 5000), "items.csv"), "mode": "append"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert b"The file is too large" in response.data


def test_options_are_checked_and_saved(client, db, login, buyer, make_dossier):
    dossier = make_dossier()
    login(buyer)
    bad = client.post(
        f"/tenders/{dossier.id}/lots/options?lang=en",
        data={"max_lots_bid": "1", "max_lots_awarded": "2", "target_lot_size": "abc"},
    )
    assert bad.status_code == 400
    assert b"cannot be lower than the maximum of lots awarded" in bad.data
    good = client.post(
        f"/tenders/{dossier.id}/lots/options?lang=en",
        data={**OPTIONS, "coordination_lot": "y", "coordination_value": "40.000,00"},
    )
    assert good.status_code == 302
    options = db.exec(select(LotOptions).where(LotOptions.dossier_id == dossier.id)).one()
    assert (options.max_lots_awarded, options.coordination_value) == (3, 40000)


def test_proposals_without_items_send_back_with_a_message(client, login, buyer, make_dossier):
    dossier = make_dossier()
    login(buyer)
    response = client.get(f"/tenders/{dossier.id}/lots/proposals?lang=en")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Add at least one item before asking for lot proposals." in page


def test_ocds_download_is_valid_against_the_schema(
    client, db, login, buyer, make_dossier, demo_csv
):
    dossier = make_dossier()
    login(buyer)
    import_demo(client, dossier, demo_csv)
    form = editor_fields(
        client.get(f"/tenders/{dossier.id}/lots/editor?strategy=trade").get_data(as_text=True)
    )
    client.post(f"/tenders/{dossier.id}/lots/editor", data={**form, "action": "save"})
    response = client.get(f"/tenders/{dossier.id}/lots/ocds.json")
    assert response.status_code == 200
    assert "LOTS-TEST-01_lots_ocds.json" in response.headers["Content-Disposition"]
    package = response.get_json()
    assert validate_package(package) == []
    tender = package["releases"][0]["tender"]
    assert len(tender["lots"]) == 6
    assert {item["relatedLot"] for item in tender["items"]} == {lot["id"] for lot in tender["lots"]}


def test_ocds_without_a_plan_sends_back(client, login, buyer, make_dossier):
    dossier = make_dossier()
    login(buyer)
    response = client.get(f"/tenders/{dossier.id}/lots/ocds.json")
    assert response.status_code == 302


# ------------------------------------------------------------------------------------------------
# Who may see what


def dossier_urls(dossier_id: int, item_id: int) -> list[tuple[str, str]]:
    base = f"/tenders/{dossier_id}/lots"
    return [
        ("GET", base),
        ("GET", base + "/proposals"),
        ("GET", base + "/editor"),
        ("POST", base + "/assess"),
        ("POST", base + "/options"),
        ("GET", base + "/items/new"),
        ("GET", base + f"/items/{item_id}"),
        ("POST", base + f"/items/{item_id}/delete"),
        ("GET", base + "/import"),
        ("GET", base + "/ocds.json"),
    ]


def test_another_authoritys_dossier_is_not_found(
    client, db, login, buyer, other_buyer, make_dossier, demo_csv
):
    dossier = make_dossier()
    services.import_items(
        db,
        actor=buyer,
        dossier_id=dossier.id,
        filename="x.csv",
        content=demo_csv,
        mode="append",
        lang="fr",
    )
    db.commit()
    item = services.list_items(db, dossier)[0]
    login(other_buyer)
    for method, url in dossier_urls(dossier.id, item.id):
        assert client.open(url, method=method).status_code == 404, url
    assert services.count_items(db, dossier) == 40


@pytest.mark.parametrize("role", [Role.company, Role.curator, Role.expert])
def test_roles_without_dossiers_are_refused(client, make_user, login, make_dossier, role):
    dossier = make_dossier()
    login(make_user(role))
    for method, url in dossier_urls(dossier.id, 1):
        assert client.open(url, method=method).status_code == 403, url


def test_the_coordinator_sees_every_dossier(client, login, coordinator, make_dossier):
    dossier = make_dossier()
    login(coordinator)
    assert client.get(f"/tenders/{dossier.id}/lots").status_code == 200


def test_visitors_are_sent_to_the_login_page(client, make_dossier):
    dossier = make_dossier()
    response = client.get(f"/tenders/{dossier.id}/lots")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "lang,text", [("fr", "Diviser ou motiver"), ("nl", "Verdelen of motiveren")]
)
def test_public_help_page_in_french_and_dutch(client, lang, text):
    response = client.get(f"/lots/help?lang={lang}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert text in page
    assert "216" in page  # the sub-central EU threshold in force


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_example_files_download(client, lang, fmt):
    response = client.get(f"/lots/examples/items-{lang}.{fmt}")
    assert response.status_code == 200
    assert f"clausier-items-example-{lang}.{fmt}" in response.headers["Content-Disposition"]


def test_unknown_example_file(client):
    assert client.get("/lots/examples/items-de.csv").status_code == 404


def test_large_editors_use_a_number_field_per_item(
    client, db, login, buyer, make_dossier, demo_csv, monkeypatch
):
    from portal.lots import presenters

    monkeypatch.setattr(presenters, "COMPACT_OPTIONS", 10)
    dossier = make_dossier()
    login(buyer)
    import_demo(client, dossier, demo_csv)
    html = client.get(f"/tenders/{dossier.id}/lots/editor?strategy=trade&lang=en").get_data(
        as_text=True
    )
    assert '<select name="item-' not in html
    numbers = dict(re.findall(r'<input type="number" name="(item-\d+)"[^>]*value="(\d+)"', html))
    assert len(numbers) == 40
    assert "7 makes a new lot" in html
    form = {**numbers, "strategy": "trade", "action": "check"}
    moved = next(k for k, v in numbers.items() if v == "6")
    form[moved] = "7"
    page = client.post(f"/tenders/{dossier.id}/lots/editor?lang=en", data=form)
    assert page.status_code == 200
    after = dict(
        re.findall(
            r'<input type="number" name="(item-\d+)"[^>]*value="(\d+)"', page.get_data(as_text=True)
        )
    )
    assert after[moved] == "7" and len(set(after.values())) == 7


def test_one_item_and_one_lot_are_singular(client, db, login, buyer, make_dossier):
    dossier = make_dossier()
    login(buyer)
    client.post(
        f"/tenders/{dossier.id}/lots/items/new?lang=en",
        data={
            "description": "Window cleaning",
            "cpv": "90911300",
            "value": "12500.50",
            "quantity": "1",
            "unit": "year",
            "municipality": "ixelles",
        },
    )
    assert services.count_items(db, dossier) == 1
    page = client.get(f"/tenders/{dossier.id}/lots/proposals?lang=en").get_data(as_text=True)
    assert re.search(r"\d proposals? for 1 item\.", page), page[:3000]
    assert "1 items" not in page and "1 lots" not in page
    assert "Value of the lot of proposal 1" in page
    form = editor_fields(
        client.get(f"/tenders/{dossier.id}/lots/editor?lang=nl").get_data(as_text=True)
    )
    data = client.post(
        f"/tenders/{dossier.id}/lots/assess?lang=nl",
        data=form,
        headers={"Accept": "application/json"},
    ).get_json()
    assert data["summary"].startswith("Controles bijgewerkt: 1 perceel,")
