"""A bilingual dossier has a Dutch title and subject; the Dutch documents print them."""

from __future__ import annotations

import io

import docx
import pytest

from portal.errors import ValidationError
from portal.tenders import services
from tests.tenders.conftest import dossier_data

TITLE_NL = "Schoonmaak van de scholen en kinderdagverblijven 2027"
SUBJECT_NL = "Dagelijkse schoonmaak van de scholen, zonder chloor."


def _all_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        texts.extend(p.text for p in section.footer.paragraphs)
        texts.extend(p.text for p in section.header.paragraphs)
    texts.append(document.core_properties.title or "")
    return "\n".join(texts)


def test_each_language_file_prints_its_own_title_and_subject(
    db, buyer, library, make_dossier, select_all
):
    dossier = make_dossier(title_nl=TITLE_NL, subject_nl=SUBJECT_NL)
    select_all(dossier)
    assert services.language_warnings(dossier) == []
    documents = {
        d.lang: d for d in services.generate_documents(db, actor=buyer, dossier_id=dossier.id)
    }
    nl = _all_text(documents["nl"].content)
    fr = _all_text(documents["fr"].content)
    assert TITLE_NL in nl and SUBJECT_NL in nl
    assert dossier.title not in nl and "sans" not in nl
    assert dossier.title in fr and TITLE_NL not in fr
    core = docx.Document(io.BytesIO(documents["nl"].content)).core_properties
    assert core.title == TITLE_NL


def test_the_form_requires_the_dutch_title_and_subject_when_bilingual(db, buyer):
    with pytest.raises(ValidationError) as caught:
        services.create_dossier(db, actor=buyer, data=dossier_data(title_nl="", subject_nl=""))
    assert set(caught.value.errors) == {"title_nl", "subject_nl"}
    # French only: no Dutch text needed.
    services.create_dossier(
        db, actor=buyer, data=dossier_data(language="fr", title_nl="", subject_nl="")
    )


def test_a_bilingual_dossier_without_dutch_text_warns_on_the_documents_tab(
    client, db, login, buyer, make_dossier
):
    dossier = make_dossier()  # older callers give no Dutch fields
    assert len(services.language_warnings(dossier)) == 2
    login(buyer)
    page = client.get(f"/tenders/{dossier.id}/documents?lang=nl").get_data(as_text=True)
    assert "tb-language-warnings" in page
    assert "De Nederlandse documenten zouden Franse tekst bevatten" in page


def test_the_edit_form_round_trips_the_dutch_fields(client, db, login, buyer, make_dossier):
    dossier = make_dossier(title_nl=TITLE_NL, subject_nl=SUBJECT_NL)
    login(buyer)
    page = client.get(f"/tenders/{dossier.id}/edit").get_data(as_text=True)
    assert TITLE_NL in page and SUBJECT_NL in page
