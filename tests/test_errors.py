import pytest

from portal import create_app
from tests.conftest import make_test_config


@pytest.fixture()
def fragile_app(database_url, tmp_path):
    app = create_app(
        make_test_config(database_url, tmp_path, TESTING=False, ENV_NAME="development")
    )

    def boom():  # a view that fails unexpectedly
        raise RuntimeError("unexpected failure")

    app.add_url_rule("/boom", view_func=boom)
    app.add_url_rule("/api/v1/boom", endpoint="api_boom", view_func=boom)
    return app


def test_unexpected_error_gives_a_translated_500_page(fragile_app):
    client = fragile_app.test_client()
    response = client.get("/boom", headers={"Accept-Language": "nl"})
    assert response.status_code == 500
    assert b'<html lang="nl">' in response.data
    assert b"unexpected failure" not in response.data


def test_unexpected_api_error_is_json(fragile_app):
    response = fragile_app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "internal_error"


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_404_page_in_the_users_language(client, lang):
    response = client.get(f"/no-such-page?lang={lang}")
    assert response.status_code == 404
    assert f'<html lang="{lang}">'.encode() in response.data


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_403_page_for_a_logged_in_user_without_permission(client, logged_in):
    logged_in("buyer")
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert b"permission" in response.data.lower() or b"autoris" in response.data.lower()


@pytest.mark.parametrize(
    "path",
    [
        "/tenders/99999999999999999999",
        "/api/v1/clauses/CLEAN-ENV-001/versions/99999999999999999999",
        "/clauses/drafts/99999999999999999999",
    ],
)
def test_ids_too_large_for_the_database_are_a_plain_404(client, path):
    assert client.get(path).status_code == 404


def test_a_select_value_too_large_for_an_id_is_refused_not_a_500(client, logged_in):
    from portal.forms import parse_id

    assert parse_id("99999999999999999999") is None
    assert parse_id("-3") is None and parse_id("abc") is None and parse_id("") is None
    assert parse_id(" 42 ") == 42
    logged_in("coordinator")
    response = client.post(
        "/tenders/new?lang=en",
        data={"authority": "99999999999999999999", "title": "Nettoyage", "category": "cleaning"},
    )
    assert response.status_code == 200
    assert b"error-summary" in response.data
