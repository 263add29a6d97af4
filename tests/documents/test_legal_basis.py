"""Legal bases in the Word documents are written in the document's language."""

from __future__ import annotations

import copy

import pytest

from portal.documents.context import clause_context
from portal.documents.example import CLAUSES
from tests.documents.helpers import body_text, open_docx, rendered


def _with_articles(*articles: str) -> dict:
    data = copy.deepcopy(next(c for c in CLAUSES if len(c["legal_basis"]) >= 2))
    data["legal_basis"] = [{"instrument": "law_2016", "article": a} for a in articles]
    return data


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", "Loi du 17 juin 2016 relative aux marchés publics, art. 402 et 403"),
        ("nl", "Wet van 17 juni 2016 inzake overheidsopdrachten, art. 402 en 403"),
    ],
)
def test_article_references_use_the_connecting_words_of_the_language(lang, expected):
    clause = clause_context(_with_articles("art. 402 and 403"), {}, version=1, lang=lang)
    assert clause.legal_basis == (expected,)
    assert " and " not in clause.legal_basis[0]


@pytest.mark.parametrize(("lang", "sep", "wrong"), [("fr", " ; ", None), ("nl", "; ", " ; ")])
def test_several_legal_bases_are_separated_as_the_language_writes(lang, sep, wrong):
    lines = [
        line
        for line in body_text(open_docx(rendered("complete", lang))).splitlines()
        if line.startswith(("Base légale", "Rechtsgrond"))
    ]
    several = [line for line in lines if "art." in line and line.count("art.") >= 2]
    assert several, "the example has clauses with two legal bases"
    for line in several:
        assert sep in line
        if wrong:
            assert wrong not in line
