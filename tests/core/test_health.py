"""/health/: the database and the file storage answer, for monitors that do not sign in."""

import logging

import pytest
from django.core.files.storage import default_storage
from django.test import Client as BrowserClient
from django.urls import reverse

pytestmark = pytest.mark.django_db

HEALTH = reverse("core:health")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_healthy_server_answers_ok_without_signing_in(settings):
    # when a monitor asks, not signed in
    response = BrowserClient().get(HEALTH)

    # then both checks are ok, nothing is cached and no test file is left behind
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "storage": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert not list((settings.MEDIA_ROOT / "health").glob("*"))


def test_a_storage_that_cannot_be_written_is_503_and_logged(monkeypatch, caplog):
    # given a file storage that refuses writes
    def refuse(*args, **kwargs):
        raise PermissionError("read-only file system: /srv/secret/media")

    monkeypatch.setattr(default_storage, "save", refuse)

    # when the monitor asks
    with caplog.at_level(logging.ERROR, logger="clientfolio.core.views"):
        response = BrowserClient().get(HEALTH)

    # then it names what failed, and the cause goes only to the log
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "storage": "error"}
    assert "/srv/secret" not in response.content.decode()
    assert "Health check: the storage does not answer" in caplog.text
    assert "read-only file system" in caplog.text


def test_a_database_that_does_not_answer_is_503(monkeypatch):
    from clientfolio.core import views

    def broken():
        raise OSError("connection refused")

    monkeypatch.setattr(views, "_database_answers", broken)

    response = BrowserClient().get(HEALTH)

    assert response.status_code == 503
    assert response.json() == {"database": "error", "storage": "ok"}


def test_health_only_reads(staff):
    response = BrowserClient().post(HEALTH)

    assert response.status_code == 405
