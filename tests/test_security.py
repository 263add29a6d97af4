import pytest

from portal.security import is_safe_next
from tests.conftest import make_test_config


def test_security_headers_on_pages_and_api(client):
    for path in ("/", "/api/v1/categories"):
        headers = client.get(path).headers
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_use_no_external_assets(client):
    body = client.get("/").data.decode()
    assert "http://" not in body.replace("http://clausier.test", "")
    assert "https://" not in body


@pytest.mark.parametrize(
    "target,ok",
    [
        ("/categories?x=1", True),
        ("//evil.example", False),
        ("https://evil.example", False),
        ("/\\evil.example", False),
        ("", False),
        ("javascript:alert(1)", False),
    ],
)
def test_safe_next(target, ok):
    assert is_safe_next(target) is ok


@pytest.fixture()
def csrf_client(app, db, database_url, tmp_path):
    from portal import create_app

    strict = create_app(make_test_config(database_url, tmp_path, WTF_CSRF_ENABLED=True))
    strict.extensions["portal.db"].sessionmaker = app.extensions["portal.db"].sessionmaker
    return strict.test_client(), strict


def test_every_form_post_requires_a_csrf_token(csrf_client, make_user):
    client, strict = csrf_client
    user = make_user("coordinator")
    checked = 0
    for rule in strict.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        url = rule.rule
        for arg in rule.arguments:
            url = (
                url.replace(f"<int:{arg}>", "1")
                .replace(f"<{arg}>", "x")
                .replace(f"<path:{arg}>", "x")
            )
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        response = client.post(url, data={"anything": "1"})
        assert response.status_code == 400, f"{url} accepted a POST without CSRF token"
        assert b"form expired" in response.data.lower() or b"formulaire" in response.data.lower()
        checked += 1
    assert checked >= 5


def test_login_form_works_with_a_csrf_token(csrf_client, make_user):
    client, _ = csrf_client
    user = make_user("buyer")
    page = client.get("/login").data.decode()
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/login", data={"email": user.email, "password": "Test-password-2026", "csrf_token": token}
    )
    assert response.status_code == 302


def test_oversized_request_gets_a_413_page(app, client):
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    response = client.post("/login", data={"email": big, "password": "x"})
    assert response.status_code == 413
    assert b"too large" in response.data or b"trop" in response.data


def test_malformed_form_values_do_not_crash(client, logged_in):
    logged_in("coordinator")
    response = client.post(
        "/admin/users/new",
        data={"role": "emperor", "authority_id": "abc", "themes": ["x"], "email": "bad"},
    )
    assert response.status_code == 200
    assert client.get("/admin/users?page=abc&role=zzz").status_code == 200
    assert client.get("/admin/users/999999").status_code == 404


def test_login_is_rate_limited(database_url, tmp_path):
    from portal import create_app

    limited = create_app(
        make_test_config(
            database_url, tmp_path, RATELIMIT_ENABLED=True, AUTH_RATE_LIMIT="3 per minute"
        )
    )
    client = limited.test_client()
    statuses = [
        client.post("/login", data={"email": "a@b.be", "password": "wrong"}).status_code
        for _ in range(5)
    ]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[-1] == 429
    client.set_cookie("lang", "nl")
    blocked = client.post("/login?lang=nl", data={"email": "a@b.be", "password": "wrong"})
    assert blocked.status_code == 429
    text = blocked.get_data(as_text=True)
    assert "per 1 minute" not in text
    assert "Te veel pogingen" in text


def test_oversized_body_that_is_not_a_form_is_too_large_not_an_expired_form(app, csrf_client):
    client, _ = csrf_client
    body = b"\0" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    response = client.post("/login?lang=en", data=body, content_type="application/octet-stream")
    assert response.status_code == 413
    assert b"too large" in response.data and b"expired" not in response.data
