import pytest

from portal import create_app
from portal.config import INSECURE_DEFAULT_SECRET_KEY, ConfigurationError


def test_production_refuses_the_default_secret_key(tmp_path):
    with pytest.raises(ConfigurationError, match="default secret key"):
        create_app({"ENV_NAME": "production", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_production_refuses_a_short_secret_key(tmp_path):
    with pytest.raises(ConfigurationError, match="at least 32"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": "short", "DATABASE_URL": "sqlite://"})


def test_production_turns_on_secure_cookies(tmp_path):
    app = create_app(
        {"ENV_NAME": "production", "SECRET_KEY": "x" * 40, "DATABASE_URL": "sqlite://"}
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["HSTS_ENABLED"] is True


def test_environment_variables_override_defaults(monkeypatch):
    monkeypatch.setenv("PORTAL_DATABASE_URL", "sqlite:///from-env.db")
    monkeypatch.setenv("PORTAL_MAX_CONTENT_LENGTH", "1234")
    monkeypatch.setenv("PORTAL_RATELIMIT_ENABLED", "false")
    app = create_app()
    assert app.config["DATABASE_URL"] == "sqlite:///from-env.db"
    assert app.config["MAX_CONTENT_LENGTH"] == 1234
    assert app.config["RATELIMIT_ENABLED"] is False
    assert app.config["SECRET_KEY"] == INSECURE_DEFAULT_SECRET_KEY


def test_unknown_environment_name_is_refused():
    with pytest.raises(ConfigurationError, match="ENV_NAME"):
        create_app({"ENV_NAME": "staging", "DATABASE_URL": "sqlite://"})


def test_default_database_is_sqlite_in_instance_folder(monkeypatch):
    monkeypatch.delenv("PORTAL_DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["DATABASE_URL"].startswith("sqlite:///")
    assert app.config["DATABASE_URL"].endswith("instance/clausier.sqlite3")
