"""The public help page for template authors and its downloads."""

from __future__ import annotations

import pytest

from portal.accounts.models import Role
from portal.documents import ALL_TEMPLATES, context_variables
from portal.documents.example import example_context
from tests.documents.helpers import leftovers, open_docx, styled

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_help_page_documents_every_variable_and_filter(client, lang: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/help/word-templates/?lang={lang}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for variable in context_variables():
        assert f"<code>{variable.path.rsplit('.', 1)[-1].removesuffix('[]')}</code>" in html
    for name in ("money", "number", "percent", "date"):
        assert f"<code>{name}</code>" in html
    assert "{%p for c in clauses.award %}" in html
    assert "1\u202f234,50\u00a0€" in html and "€\u00a01.234,50" in html


def test_help_page_explains_variables_in_the_users_language(client) -> None:  # type: ignore[no-untyped-def]
    french = client.get("/help/word-templates/?lang=fr").get_data(as_text=True)
    dutch = client.get("/help/word-templates/?lang=nl").get_data(as_text=True)
    assert "Titre du marché." in french
    assert "Titel van de opdracht." in dutch


@pytest.mark.parametrize("lang", ["fr", "nl"])
@pytest.mark.parametrize("section", ALL_TEMPLATES, ids=lambda s: s.key)
def test_templates_can_be_downloaded(client, section, lang: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/help/word-templates/templates/{lang}/{section.key}.docx")
    assert response.status_code == 200
    assert response.mimetype == DOCX
    assert "attachment" in response.headers["Content-Disposition"]
    doc = open_docx(response.data)
    assert styled(doc, "Title") == ["{{ dossier.title }}"]


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_example_output_is_the_rendered_example(client, lang: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/help/word-templates/examples/{lang}.docx")
    assert response.status_code == 200 and response.mimetype == DOCX
    assert leftovers(response.data) == {}
    doc = open_docx(response.data)
    assert styled(doc, "Title") == [example_context(lang).dossier.title]


@pytest.mark.parametrize(
    "url",
    [
        "/help/word-templates/templates/de/complete.docx",
        "/help/word-templates/templates/fr/nothing.docx",
        "/help/word-templates/examples/en.docx",
    ],
)
def test_unknown_downloads_are_not_found(client, url: str) -> None:  # type: ignore[no-untyped-def]
    assert client.get(url).status_code == 404


def test_the_menu_shows_the_help_to_those_who_manage_templates(client, logged_in) -> None:  # type: ignore[no-untyped-def]
    logged_in(Role.authority_manager)
    html = client.get("/help/word-templates/?lang=en").get_data(as_text=True)
    assert 'href="/help/word-templates/" aria-current="page"' in html


def test_the_menu_hides_the_help_from_buyers(client, logged_in) -> None:  # type: ignore[no-untyped-def]
    logged_in(Role.buyer)
    html = client.get("/?lang=en").get_data(as_text=True)
    assert 'href="/help/word-templates/"' not in html
