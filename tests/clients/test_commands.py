"""The ``clientfolio`` command: its spellings, the demo data and the scale data set."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from clientfolio.__main__ import translate_argv
from clientfolio.clients.models import Client, Contact, Contract, Payment
from clientfolio.comms.models import CommRecord
from clientfolio.core.models import User
from clientfolio.projects.models import Project


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
def test_demo_loads_bilingual_data_once_and_prints_the_logins():
    out = StringIO()

    call_command("demo", stdout=out)

    text = out.getvalue()
    assert "li.na" in text
    assert "clientfolio-demo" in text
    assert Client.objects.filter(name__contains="有限公司").exists()
    assert Client.objects.filter(name="Northwind Traders Ltd.").exists()
    assert Payment.objects.exists()
    assert Contract.objects.exists()
    assert Client.objects.filter(tier_override="A").count() == 1
    assert Project.objects.filter(client__name="上海云帆信息科技有限公司").exists()
    assert User.objects.get(username="admin").role == "admin"
    first = sorted(Client.objects.values_list("name", "status"))

    # a second run leaves the database alone
    call_command("demo", stdout=StringIO())
    assert sorted(Client.objects.values_list("name", "status")) == first


def _delete_all_projects_and_clients():
    """Money, documents and the client's signed records are protected from a project's
    deletion: remove them first."""
    from clientfolio.closure.models import Evaluation
    from clientfolio.comms.models import Participant
    from clientfolio.documents.models import Document, Folder
    from clientfolio.finance.models import Invoice
    from clientfolio.projects.models import ChangeRequest
    from clientfolio.quality.models import Acceptance

    for signed in (Acceptance, Participant, ChangeRequest, Evaluation):
        signed.objects.all().delete()
    Payment.objects.filter(invoice__isnull=False).delete()
    Invoice.objects.all().delete()
    Document.objects.all().delete()
    while Folder.objects.exists():
        Folder.objects.filter(children__isnull=True).delete()
    Project.objects.all().delete()
    Client.objects.all().delete()


@pytest.mark.django_db
def test_demo_data_is_deterministic():
    call_command("demo", stdout=StringIO())
    first = sorted(Contact.objects.values_list("name", "phone"))
    _delete_all_projects_and_clients()

    call_command("demo", "--force", stdout=StringIO())

    assert sorted(Contact.objects.values_list("name", "phone")) == first


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
    with pytest.raises(CommandError):
        call_command("seed_scale", "--clients", "5", stdout=StringIO())


@pytest.mark.django_db
def test_recompute_tiers_reports_how_many_changed(client_record):
    out = StringIO()

    call_command("recompute_tiers", stdout=out)

    assert "tiers changed" in out.getvalue()
