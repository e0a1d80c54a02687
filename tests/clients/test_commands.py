"""The ``clientfolio`` command: its spellings and the scale data set (the demo data:
tests/test_demo.py)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from clientfolio.__main__ import translate_argv
from clientfolio.clients.models import Client, Contact
from clientfolio.comms.models import CommRecord
from clientfolio.documents.models import Document
from clientfolio.projects.models import Project
from clientfolio.risks.models import Risk


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["demo"], ["demo"]),
        (["seed-scale", "--clients", "10"], ["seed_scale", "--clients", "10"]),
        (["import", "clients", "a.csv"], ["import_clients", "a.csv"]),
        (["recompute-tiers"], ["recompute_tiers"]),
        (["migrate", "--noinput"], ["migrate", "--noinput"]),
        ([], []),
    ],
)
def test_the_console_script_maps_friendly_spellings_to_commands(argv, expected):
    assert translate_argv(argv) == expected


@pytest.mark.django_db
def test_seed_scale_fills_an_empty_database_and_refuses_a_full_one():
    call_command(
        "seed_scale",
        "--clients",
        "60",
        "--batch",
        "25",
        "--projects",
        "4",
        "--comm-records",
        "40",
        "--tasks",
        "300",
        # small numbers for every part, or the risks and documents come at full scale
        "--risks",
        "20",
        "--documents",
        "30",
        "--today",
        "2026-11-25",
        stdout=StringIO(),
        stderr=StringIO(),
    )

    assert Client.objects.count() == 60
    assert Contact.objects.count() == 180
    assert not Client.objects.filter(search_text="").exists()
    assert not Client.objects.filter(name_sort="").exists()
    assert Project.objects.count() == 4
    assert CommRecord.objects.count() == 40
    assert not CommRecord.objects.filter(search_text="").exists()
    assert Risk.objects.count() == 20
    assert Document.objects.count() == 30
    with pytest.raises(CommandError):
        call_command("seed_scale", "--clients", "5", stdout=StringIO())


@pytest.mark.django_db
def test_recompute_tiers_reports_how_many_changed(client_record):
    out = StringIO()

    call_command("recompute_tiers", stdout=out)

    assert "tiers changed" in out.getvalue()
