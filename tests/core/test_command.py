"""The ``clientfolio`` command: with DEBUG off, ``runserver`` collects the static files
first when they were never collected or changed since, so the first server works."""

import io
import os

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage

from clientfolio.__main__ import collect_static_if_needed, translate_argv


@pytest.fixture
def production_static(settings, tmp_path):
    """DEBUG off, the production storage (hashed names through a manifest), and a small
    source tree of one stylesheet instead of the vendored assets. (Django's test signals
    reset the storage and the finders when these settings change.)"""
    source = tmp_path / "source"
    source.mkdir()
    (source / "site.css").write_text("body { color: #123; }")
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATICFILES_DIRS = [source]
    settings.STATICFILES_FINDERS = [
        "django.contrib.staticfiles.finders.FileSystemFinder"
    ]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        },
    }
    return source


def test_the_first_server_collects_the_static_files(production_static, settings):
    # given static files that were never collected
    out = io.StringIO()

    # when the server is started
    collected = collect_static_if_needed(out)

    # then they are collected first, saying so, and the pages can name them
    assert collected
    assert "No static files collected" in out.getvalue()
    assert "clientfolio collectstatic --noinput" in out.getvalue()
    assert (settings.STATIC_ROOT / "staticfiles.json").exists()
    assert staticfiles_storage.url("site.css").startswith("/static/site.")


def test_a_second_start_collects_nothing(production_static):
    collect_static_if_needed(io.StringIO())
    out = io.StringIO()

    assert not collect_static_if_needed(out)
    assert out.getvalue() == ""


def test_changed_sources_are_collected_again(production_static, settings):
    # given collected files, and then a source file changed (an upgrade)
    collect_static_if_needed(io.StringIO())
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    changed = production_static / "site.css"
    changed.write_text("body { color: #456; }")
    later = manifest.stat().st_mtime + 10
    os.utime(changed, (later, later))
    out = io.StringIO()

    # when the server is started
    collected = collect_static_if_needed(out)

    # then they are collected again
    assert collected
    assert "Static files changed since they were collected (site.css)" in out.getvalue()


def test_with_debug_on_nothing_is_collected(production_static, settings):
    settings.DEBUG = True

    assert not collect_static_if_needed(io.StringIO())
    assert not (settings.STATIC_ROOT / "staticfiles.json").exists()


def test_friendly_spellings_map_onto_django_commands():
    assert translate_argv(["seed-scale", "--clients", "5"]) == [
        "seed_scale",
        "--clients",
        "5",
    ]
    assert translate_argv(["import", "clients", "a.csv"]) == ["import_clients", "a.csv"]
    assert translate_argv(["runserver"]) == ["runserver"]
