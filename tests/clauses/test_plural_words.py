"""Words that agree with a whole-number parameter: ``{{ name | singular | plural }}``."""

from __future__ import annotations

import re

import pydantic
import pytest

from portal.clauses import content, schema
from portal.clauses.rendering import render_text

PARAMS = [{"name": "refs", "type": "integer", "min": 0, "max": 10, "default": 3}]
TEXTS = {
    "fr": "Au moins {{ refs }} {{ refs | référence | références }}.",
    "nl": "Minstens {{ refs }} {{ refs | referentie | referenties }}.",
    "en": "At least {{ refs }} {{ refs | reference | references }}.",
}


@pytest.mark.parametrize(
    ("lang", "count", "expected"),
    [
        ("fr", 0, "Au moins 0 référence."),  # French: singular for 0 and 1
        ("fr", 1, "Au moins 1 référence."),
        ("fr", 2, "Au moins 2 références."),
        ("nl", 0, "Minstens 0 referenties."),
        ("nl", 1, "Minstens 1 referentie."),
        ("nl", 5, "Minstens 5 referenties."),
        ("en", 1, "At least 1 reference."),
        ("en", 10, "At least 10 references."),
        ("en", None, "At least 3 references."),  # the default
    ],
)
def test_the_word_follows_the_chosen_number_and_the_language(lang, count, expected):
    values = {} if count is None else {"refs": count}
    assert render_text(TEXTS[lang], PARAMS, values, lang) == expected


def test_only_whole_number_parameters_can_be_agreed_with():
    from tests.clauses.conftest import clause_data

    data = clause_data()
    data["text"]["fr"] += " {{ share | point | points }}"  # share is a percentage
    with pytest.raises(pydantic.ValidationError) as refused:
        schema.ClauseFile.model_validate(data)
    assert "a word can only agree with a whole-number parameter, not share" in str(refused.value)
    data["text"]["fr"] = data["text"]["fr"].replace("share | point", "months | point")
    assert schema.ClauseFile.model_validate(data).code == data["code"]


def test_the_search_index_holds_both_forms():
    class Version:
        parameters = PARAMS

        @staticmethod
        def text(field: str, lang: str) -> str:
            return "Titre" if field == "title" else TEXTS[lang]

    _title, text = content.search_text(Version, "fr")
    assert "référence références" in text
    assert "{{" not in text


def test_the_corpus_has_no_bracketed_plurals():
    from pathlib import Path

    import yaml

    corpus = Path(__file__).resolve().parents[2] / "clauses"
    bracketed = re.compile(r"\}\}\s+[\w' ]{0,30}\((?:s|n|en)\)")
    offenders = [
        f"{path.name} {lang}"
        for path in sorted(corpus.glob("*.yaml"))
        for lang, text in yaml.safe_load(path.read_text(encoding="utf-8"))["text"].items()
        if bracketed.search(text)
    ]
    assert offenders == []
