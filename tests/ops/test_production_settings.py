"""CLIENTFOLIO_ENV=production refuses to start on a missing SECRET_KEY, a wildcard
ALLOWED_HOSTS or DEBUG on, saying which and how to fix it; development (``make run``,
the tests) is unaffected. The settings module is executed afresh with each environment
(``clientfolio check --deploy`` with production settings: tests/core/test_deploy.py and
deploy/e2e.sh)."""

import runpy
import secrets
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

import clientfolio

SETTINGS = Path(clientfolio.__file__).parent / "settings.py"


@pytest.fixture
def production(monkeypatch, tmp_path):
    for name in ("DATABASE_URL", "SENTRY_DSN", "EMAIL_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLIENTFOLIO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CLIENTFOLIO_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(50))
    monkeypatch.setenv("ALLOWED_HOSTS", "pm.example.com")
    monkeypatch.setenv("DEBUG", "false")
    return monkeypatch


def load() -> dict:
    return runpy.run_path(str(SETTINGS))


def test_complete_production_settings_load(production):
    settings = load()

    assert settings["CLIENTFOLIO_ENV"] == "production"
    assert settings["ALLOWED_HOSTS"] == ["pm.example.com"]
    assert settings["DEBUG"] is False


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY is not set or shorter than 50 characters"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY is not set or shorter than 50"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS must name the site's host names"),
        ({"ALLOWED_HOSTS": "pm.example.com,.*"}, "without wildcards (got pm.example"),
        ({"DEBUG": "true"}, "DEBUG is on: set DEBUG=false"),
    ],
)
def test_unsafe_production_settings_are_refused_clearly(production, change, message):
    for name, value in change.items():
        if value is None:
            production.delenv(name)
        else:
            production.setenv(name, value)

    with pytest.raises(ImproperlyConfigured) as refused:
        load()

    assert "Production settings (CLIENTFOLIO_ENV=production) refused" in str(
        refused.value
    )
    assert message in str(refused.value)


def test_all_problems_are_named_at_once(production):
    production.delenv("SECRET_KEY")
    production.setenv("ALLOWED_HOSTS", "*")
    production.setenv("DEBUG", "true")

    with pytest.raises(ImproperlyConfigured) as refused:
        load()

    for problem in (
        "SECRET_KEY is not set",
        "without wildcards (got *)",
        "DEBUG is on",
    ):
        assert problem in str(refused.value)


def test_development_keeps_its_defaults(production):
    # given what `make run` has: no key, DEBUG on, and no CLIENTFOLIO_ENV
    production.delenv("CLIENTFOLIO_ENV")
    production.delenv("SECRET_KEY")
    production.setenv("DEBUG", "true")

    settings = load()

    # then the key is generated into the data folder, as before
    assert settings["DEBUG"] is True
    assert len(settings["SECRET_KEY"]) >= 50


def test_a_misspelt_environment_is_refused(production):
    production.setenv("CLIENTFOLIO_ENV", "prodution")

    with pytest.raises(ImproperlyConfigured, match="use production or development"):
        load()


@pytest.mark.parametrize(
    ("behind_proxy", "ssl_header", "hops"),
    [("true", ("HTTP_X_FORWARDED_PROTO", "https"), 1), ("false", None, 0)],
)
def test_forwarded_headers_are_trusted_only_behind_the_proxy(
    production, behind_proxy, ssl_header, hops
):
    production.setenv("BEHIND_PROXY", behind_proxy)

    settings = load()

    # X-Forwarded-Proto makes request.is_secure() only with BEHIND_PROXY, and the
    # client's address is read from X-Forwarded-For only then (core.logins).
    assert settings["SECURE_PROXY_SSL_HEADER"] == ssl_header
    assert settings["PROXY_COUNT"] == hops
