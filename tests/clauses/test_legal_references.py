"""Legal references read in the reader's language: the corpus writes articles in English
("art. 53 and 54"); pages, diffs, the API and the documents' data give the connecting words in
French, Dutch or English."""

from __future__ import annotations

import pytest

from portal.clauses import services
from portal.clauses.content import legal_article, legal_reference
from portal.clauses.diff import legal_lines
from tests.clauses.conftest import clause_data


@pytest.mark.parametrize(
    "article,fr,nl,en",
    [
        ("art. 53 and 54", "art. 53 et 54", "art. 53 en 54", "art. 53 and 54"),
        ("art. 44(2), 59(5) and 62", "art. 44(2), 59(5) et 62", "art. 44(2), 59(5) en 62", None),
        ("art. 12 to 12/4", "art. 12 à 12/4", "art. 12 tot 12/4", None),
        ("art. 12/1 and following", "art. 12/1 et suivants", "art. 12/1 en volgende", None),
        (
            "art. 58(4) and Annex XII, Part II (d)",
            "art. 58(4) et annexe XII, partie II (d)",
            "art. 58(4) en bijlage XII, deel II (d)",
            None,
        ),
        (
            "art. 1 (art. 3 and 4 of Directive 2009/33/EC)",
            "art. 1 (art. 3 et 4 de la directive 2009/33/CE)",
            "art. 1 (art. 3 en 4 van Richtlijn 2009/33/EG)",
            None,
        ),
        ("Annex, art. 2 and 3", "annexe, art. 2 et 3", "bijlage, art. 2 en 3", None),
        ("C29, C87 and C98", "C29, C87 et C98", "C29, C87 en C98", None),
        ("art. 67(2)(a)", "art. 67(2)(a)", "art. 67(2)(a)", None),
    ],
)
def test_articles_get_their_connecting_words_in_each_language(article, fr, nl, en):
    assert legal_article(article, "fr") == fr
    assert legal_article(article, "nl") == nl
    assert legal_article(article, "en") == (en or article)


def test_an_article_in_another_shape_is_shown_as_written():
    assert legal_article("art. 53 et 54, voir (note", "nl") == "art. 53 et 54, voir (note"
    assert legal_article("", "fr") == ""


def test_a_legal_basis_line_is_in_the_language_asked_not_the_pages(app):
    basis = {"instrument": "law_2016", "article": "art. 53 and 54"}
    with app.test_request_context("/?lang=fr"):
        assert legal_reference(basis, "nl") == (
            "Wet van 17 juni 2016 inzake overheidsopdrachten, art. 53 en 54"
        )
        assert legal_lines([basis, {"instrument": "dir_2014_24", "article": "art. 42"}], "fr") == (
            "Loi du 17 juin 2016 relative aux marchés publics, art. 53 et 54\n"
            "Directive 2014/24/UE sur la passation des marchés publics, art. 42"
        )


@pytest.fixture()
def cited(load_clauses):  # type: ignore[no-untyped-def]
    load_clauses(
        clause_data(
            legal_basis=[
                {"instrument": "law_2016", "article": "art. 53 and 54"},
                {"instrument": "rd_2013_execution", "article": "art. 12 to 12/4"},
            ]
        )
    )


@pytest.mark.parametrize(
    "lang,expected,english",
    [
        ("fr", "Loi du 17 juin 2016 relative aux marchés publics, art. 53 et 54", "art. 53 and"),
        ("nl", "Wet van 17 juni 2016 inzake overheidsopdrachten, art. 53 en 54", "art. 53 and"),
        ("en", "Belgian Public Procurement Act of 17 June 2016, art. 53 and 54", "art. 53 et"),
    ],
)
def test_the_clause_page_shows_legal_bases_in_the_pages_language(
    client, cited, lang, expected, english
):
    page = client.get(f"/clauses/CLEAN-ENV-901?lang={lang}").data.decode()
    assert f'<li lang="{lang}">{expected}</li>' in page
    assert english not in page
    assert {"fr": "art. 12 à 12/4", "nl": "art. 12 tot 12/4", "en": "art. 12 to 12/4"}[lang] in page


def test_the_api_and_the_document_data_carry_the_localised_references(client, db, cited):
    body = client.get("/api/v1/clauses/CLEAN-ENV-901").get_json()
    reference = body["current"]["legal_basis"][0]["reference"]
    assert reference["nl"].endswith(", art. 53 en 54")
    assert reference["fr"].endswith(", art. 53 et 54")
    assert body["current"]["legal_basis"][0]["article"] == "art. 53 and 54"
    doc = services.version_document(db, services.latest_published(db, "CLEAN-ENV-901"))
    assert doc["legal_basis"][1]["articles"] == {
        "fr": "art. 12 à 12/4",
        "nl": "art. 12 tot 12/4",
        "en": "art. 12 to 12/4",
    }
    assert doc["legal_basis"][0]["lines"]["fr"].startswith("Loi du 17 juin 2016")
