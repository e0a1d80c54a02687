"""The demo data (``clientfolio demo``): bilingual, deterministic, relative to its day,
with costs in every state and a project in trouble (travel over 90 % of its budget) so
the finance overview has alerts. Loaded once for the module: a load takes seconds."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from clientfolio.blueprints.models import ProjectTemplate
from clientfolio.clients.models import Client, Contact, Contract, Payment
from clientfolio.core.models import User
from clientfolio.finance.models import BudgetLine, Expense, TimeEntry
from clientfolio.projects.models import Project
from tests.conftest import shared_records

# The demo loads take seconds each: started first, so they are not the last tests left.
pytestmark = pytest.mark.heavy


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """The demo, loaded once for the tests of this module (a load takes seconds); each
    test's changes are rolled back to it."""

    def load():
        out = StringIO()
        call_command("demo", stdout=out)
        return out.getvalue()

    with shared_records(django_db_blocker) as records:
        yield records.build(load)


def test_demo_loads_bilingual_data_once_and_prints_the_logins(demo_output, db):
    text = demo_output
    assert "li.na" in text
    assert "clientfolio-demo" in text
    assert Client.objects.filter(name__contains="有限公司").exists()
    assert Client.objects.filter(name="Northwind Traders Ltd.").exists()
    assert Payment.objects.exists()
    assert Contract.objects.exists()
    assert Client.objects.filter(tier_override="A").count() == 1
    assert Project.objects.filter(client__name="上海云帆信息科技有限公司").exists()
    assert User.objects.get(username="admin").role == "admin"
    assert ProjectTemplate.objects.filter(builtin_key__isnull=False).count() == 3
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


def test_demo_data_is_deterministic(demo_output, db):
    first = sorted(Contact.objects.values_list("name", "phone"))
    _delete_all_projects_and_clients()

    call_command("demo", "--force", stdout=StringIO())

    assert sorted(Contact.objects.values_list("name", "phone")) == first


def test_the_demo_has_costs_in_every_state_and_a_project_in_trouble(demo_output, db):
    assert set(Expense.objects.values_list("status", flat=True)) == {
        "submitted",
        "approved",
        "rejected",
    }
    assert not TimeEntry.objects.filter(cost_amount=0).exists()
    assert BudgetLine.objects.filter(task__isnull=False).exists()
    troubled = Project.objects.get(name="客户数据平台一期")
    budget = BudgetLine.objects.get(project=troubled, category="travel").amount
    spent = Expense.objects.filter(
        project=troubled, category="travel", status="approved"
    ).aggregate(total=Sum("amount"))["total"]
    assert spent / budget > 0.9


def test_the_demo_is_relative_to_the_day_it_is_loaded(demo_output, db):
    # given the demo loaded today (whatever the clock says: CI loads it 400 days ahead)
    from django.utils import timezone

    from clientfolio.finance.models import Invoice

    today = timezone.localdate()

    # then nothing was worked, spent or issued in the future, and the work is recent
    assert not TimeEntry.objects.filter(worked_on__gt=today).exists()
    assert not Expense.objects.filter(spent_on__gt=today).exists()
    assert not Invoice.objects.filter(issued_on__gt=today).exists()
    latest = TimeEntry.objects.latest("worked_on").worked_on
    assert (today - latest).days <= 31


def test_the_demo_client_login_has_two_shared_projects_with_something_waiting(
    demo_output, db
):
    from clientfolio.core.permissions import client_contact, portal_projects
    from clientfolio.portal.waiting import waiting_for

    # given the demo's client login
    assert "client.demo" in demo_output
    user = User.objects.get(username="client.demo")
    contact = client_contact(user)

    # then it is a contact of 上海云帆 who sees two projects, each waiting for her
    assert contact.client.name == "上海云帆信息科技有限公司"
    projects = list(portal_projects(contact))
    assert len(projects) == 2
    for project in projects:
        assert waiting_for(contact, project), project.name
