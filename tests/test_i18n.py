from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale

from portal.i18n import format_money, format_number
from portal.i18n_tools import check


def test_every_ui_string_is_translated_in_french_and_dutch():
    problems = check()
    assert problems == [], "\n".join(problems[:40])


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_html_lang_follows_the_chosen_language(client, lang):
    response = client.get(f"/?lang={lang}")
    assert f'<html lang="{lang}">'.encode() in response.data
    assert response.headers["Content-Language"] == lang


def test_language_switch_remembers_the_choice(client):
    response = client.get("/language/nl?next=/categories")
    assert response.status_code == 302
    assert response.headers["Location"] == "/categories"
    page = client.get("/categories")
    assert b'<html lang="nl">' in page.data
    assert b"Schoonmaakdiensten" in page.data


def test_language_switch_refuses_external_next(client):
    response = client.get("/language/fr?next=//evil.example/x")
    assert response.headers["Location"] == "/"


def test_unknown_language_code_gets_a_clear_page(client):
    response = client.get("/language/klingon")
    assert response.status_code == 404
    response = client.get("/?lang=xx")
    assert response.status_code == 200
    assert b"xx" in response.data


def test_accept_language_picks_dutch(client):
    response = client.get("/", headers={"Accept-Language": "nl-BE,nl;q=0.9"})
    assert b'<html lang="nl">' in response.data


def test_default_language_is_french(client):
    response = client.get("/", headers={"Accept-Language": "de"})
    assert b'<html lang="fr">' in response.data


@pytest.mark.parametrize(
    "lang,money,number",
    [
        ("fr", "1\u202f234,50\xa0€", "1\u202f234,5"),
        ("nl", "€\xa01.234,50", "1.234,5"),
        ("en", "€1,234.50", "1,234.5"),
    ],
)
def test_amounts_and_numbers_follow_the_locale(app, lang, money, number):
    with app.test_request_context(), force_locale(lang):
        assert format_money(Decimal("1234.50")) == money
        assert format_number(Decimal("1234.5")) == number


def test_dates_follow_the_locale(app):
    from flask_babel import format_date

    with app.test_request_context():
        with force_locale("fr"):
            assert format_date(date(2026, 3, 5), "long") == "5 mars 2026"
        with force_locale("nl"):
            assert format_date(date(2026, 3, 5), "long") == "5 maart 2026"


def test_extraction_covers_the_shared_layout():
    from portal.i18n_tools import catalog_dirs, extract

    core = extract(catalog_dirs()[0])
    for msgid in ("Skip to main content", "Home", "Please correct the following", "Log out"):
        assert msgid in core, msgid


@pytest.mark.parametrize(
    "lang,text", [("fr", "Aller au contenu principal"), ("nl", "Naar de hoofdinhoud")]
)
def test_layout_is_translated(client, lang, text):
    assert text.encode() in client.get(f"/?lang={lang}").data


@pytest.mark.parametrize(("lang", "separator"), [("fr", "\u00a0: "), ("nl", ": "), ("en", ": ")])
def test_label_and_value_are_separated_as_each_language_writes_it(client, lang, separator):
    # French typography puts a no-break space before the colon; the error summary shows it.
    page = client.post(f"/login?lang={lang}", data={"email": "", "password": ""})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"</a>{separator}" in text
