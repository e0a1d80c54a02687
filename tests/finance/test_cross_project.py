"""A budget line, an expense or a time entry on a task that moved to another project (or
that an administrator or an import put there) never shows that task to a reader who is not
on its project: not in the API, the pages or the exports; and it can still be edited.
The records are made with the ORM, as an import or the admin would."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from clientfolio.finance.models import BudgetLine, Expense, TimeEntry
from tests.projects.factories import ProjectFactory
from tests.schedule.factories import TaskFactory

SECRET = "机密并购尽调"


@pytest.fixture
def foreign(project, project_manager):
    other = ProjectFactory(name="另一家客户的项目")
    task = TaskFactory(project=other, name=SECRET, wbs="9.9")
    line = BudgetLine.objects.create(
        project=project,
        task=task,
        category="labor",
        description="开发人工",
        amount=Decimal("1000"),
    )
    expense = Expense.objects.create(
        project=project,
        task=task,
        category="travel",
        spent_on=datetime.date(2026, 11, 2),
        amount=Decimal("860"),
        description="差旅费",
        submitted_by=project_manager,
    )
    entry = TimeEntry.objects.create(
        project=project,
        task=task,
        user=project_manager,
        worked_on=datetime.date(2026, 11, 23),
        hours=Decimal("8"),
    )
    return {"task": task, "line": line, "expense": expense, "entry": entry}


ENDPOINTS = [
    ("budget-lines", "line"),
    ("expenses", "expense"),
    ("time-entries", "entry"),
]


@pytest.mark.parametrize(("endpoint", "record"), ENDPOINTS)
def test_the_api_shows_no_task_of_another_project(foreign, api_as, endpoint, record):
    api = api_as("project_manager")

    listed = api.get(f"/api/v1/{endpoint}/")
    one = api.get(f"/api/v1/{endpoint}/{foreign[record].pk}/")

    assert listed.status_code == 200, listed.content
    assert [row["task"] for row in listed.json()["results"]] == [None]
    assert one.status_code == 200
    assert one.json()["task"] is None
    assert SECRET not in listed.content.decode() + one.content.decode()


@pytest.mark.parametrize(("endpoint", "record"), ENDPOINTS)
def test_an_administrator_sees_the_task_of_another_project(
    foreign, admin_api, endpoint, record
):
    one = admin_api.get(f"/api/v1/{endpoint}/{foreign[record].pk}/")

    assert one.json()["task"] == foreign["task"].pk


@pytest.mark.parametrize(
    "name",
    [
        "budget_list",
        "expense_list",
        "time_list",
        "budget_export",
        "expense_export",
        "time_export",
    ],
)
def test_the_pages_and_exports_name_no_task_of_another_project(
    foreign, project, as_persona, name
):
    response = as_persona("project_manager").get(
        reverse(f"finance:{name}", kwargs={"pk": project.pk})
    )

    assert response.status_code == 200
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert SECRET not in body.decode("utf-8-sig")
    assert "9.9 " not in body.decode("utf-8-sig")


def test_the_export_names_the_task_for_an_administrator(
    foreign, project, admin_browser
):
    response = admin_browser.get(
        reverse("finance:budget_export", kwargs={"pk": project.pk})
    )

    assert SECRET in b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.mark.parametrize(("endpoint", "record"), ENDPOINTS)
def test_a_record_on_a_moved_task_can_still_be_edited(
    foreign, api_as, endpoint, record
):
    row = foreign[record]
    row.refresh_from_db()

    response = api_as("project_manager").patch(
        f"/api/v1/{endpoint}/{row.pk}/",
        {
            "version": row.version,
            "notes"
            if record == "line"
            else "description"
            if record == "expense"
            else "note": "改",
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    row.refresh_from_db()
    assert row.task_id == foreign["task"].pk


# --- billing: a contract of another client, a payment of another project's invoice ------


@pytest.fixture
def foreign_money(project):
    from clientfolio.clients.models import Payment
    from clientfolio.finance.models import Invoice
    from tests.clients.factories import ClientFactory, ContractFactory
    from tests.finance.billing_factories import issued

    other_client = ClientFactory(name="北京星河贸易有限公司")
    their_contract = ContractFactory(client=other_client, number="HT-SECRET-1")
    invoice = issued(project, number="INV-X-1")
    Invoice.objects.filter(pk=invoice.pk).update(contract=their_contract)
    other = ProjectFactory(name="另一家客户的项目", client=other_client)
    their_invoice = issued(other, number="INV-SECRET-2")
    payment = Payment.objects.create(
        contract=project.client.contracts.get(),
        invoice=their_invoice,
        received_on=datetime.date(2026, 11, 30),
        amount=Decimal("10"),
    )
    return {
        "invoice": invoice,
        "contract": their_contract,
        "their_invoice": their_invoice,
        "payment": payment,
    }


def test_an_invoice_does_not_show_a_contract_the_reader_cannot_see(
    foreign_money, api_as
):
    api = api_as("project_manager")

    one = api.get(f"/api/v1/invoices/{foreign_money['invoice'].pk}/")
    listed = api.get("/api/v1/invoices/")

    assert one.status_code == 200
    assert one.json()["contract"] is None
    assert "HT-SECRET-1" not in one.content.decode() + listed.content.decode()


def _sees_their_contract(foreign_money, project_manager):
    """The manager is also the finance person of the other client's project, so the
    other client's contract is one they may see, just not on this project's invoice."""
    from clientfolio.projects.models import Membership

    Membership.objects.create(
        project=foreign_money["their_invoice"].project,
        user=project_manager,
        role="finance",
    )


def test_an_administrator_sees_the_contract_of_the_projects_client(
    project, foreign_money, admin_api
):
    from tests.finance.billing_factories import issued

    own = issued(project, number="INV-OWN-1")

    answer = admin_api.get(f"/api/v1/invoices/{own.pk}/")

    assert answer.json()["contract"] == own.contract_id


@pytest.mark.parametrize("persona", ["project_manager", "admin"])
def test_the_api_names_no_contract_of_another_client_on_an_invoice(
    foreign_money, project_manager, api_as, persona
):
    _sees_their_contract(foreign_money, project_manager)
    api = api_as(persona)

    one = api.get(f"/api/v1/invoices/{foreign_money['invoice'].pk}/")
    listed = api.get("/api/v1/invoices/", {"number": "INV-X-1"})

    assert one.status_code == 200
    assert one.json()["contract"] is None
    invoice = foreign_money["invoice"].pk
    assert [r["contract"] for r in listed.json()["results"] if r["id"] == invoice] == [
        None
    ]


@pytest.mark.parametrize("persona", ["project_manager", "admin"])
def test_the_invoice_pages_print_no_contract_of_another_client(
    project, foreign_money, project_manager, as_persona, persona
):
    _sees_their_contract(foreign_money, project_manager)
    browser = as_persona(persona)
    urls = [
        reverse(
            "finance:invoice_detail",
            kwargs={"pk": project.pk, "invoice_pk": foreign_money["invoice"].pk},
        ),
        reverse("finance:invoice_list", kwargs={"pk": project.pk}),
        reverse("finance:invoice_export", kwargs={"pk": project.pk}),
        reverse("clients:client_detail", args=[project.client_id]),
    ]

    for url in urls:
        response = browser.get(url)
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        ).decode("utf-8-sig")
        assert response.status_code == 200, url
        assert "INV-X-1" in body, url
        assert "HT-SECRET-1" not in body, url


def _invoice_body(project, contract_id):
    return {
        "number": "INV-NEW-1",
        "project": project.pk,
        "contract": contract_id,
        "tax_rate": "6",
        "lines": [{"description": "实施", "quantity": "1", "unit_price": "10"}],
    }


@pytest.mark.parametrize("persona", ["admin", "project_manager", "viewer"])
def test_a_contract_of_another_client_is_answered_as_a_missing_id(
    project, foreign_money, project_manager, api_as, persona
):
    from clientfolio.finance.models import Invoice
    from tests.finance.billing_factories import issued

    _sees_their_contract(foreign_money, project_manager)
    api = api_as(persona)
    api.default_format = "json"
    theirs = foreign_money["contract"].pk
    own = issued(project, number="INV-OWN-1")

    def answers(contract_id):
        created = api.post("/api/v1/invoices/", _invoice_body(project, contract_id))
        changed = api.patch(
            f"/api/v1/invoices/{own.pk}/",
            {"version": own.version, "contract": contract_id},
        )
        return [
            (r.status_code, r.content.decode().replace(str(contract_id), "?"))
            for r in (created, changed)
        ]

    foreign, absent = answers(theirs), answers(theirs + 1000)

    assert foreign == absent
    assert [status for status, _body in foreign] == (
        [403, 404] if persona == "viewer" else [400, 400]
    )
    if persona != "viewer":
        assert all(
            body == '{"contract":["Invalid pk \\"?\\" - object does not exist."]}'
            for _status, body in foreign
        ), foreign
    assert not Invoice.objects.filter(number="INV-NEW-1").exists()
    assert Invoice.objects.get(pk=own.pk).contract_id == own.contract_id


def test_the_invoice_form_refuses_another_clients_contract_as_a_missing_one(
    project, foreign_money, project_manager, as_persona
):
    _sees_their_contract(foreign_money, project_manager)
    browser = as_persona("project_manager")
    url = reverse("finance:invoice_create", kwargs={"pk": project.pk})
    theirs = foreign_money["contract"].pk

    def post(contract_id):
        return browser.post(
            url,
            {
                "number": "INV-NEW-1",
                "contract": contract_id,
                "currency": "CNY",
                "tax_rate": "6",
                "lines-TOTAL_FORMS": "1",
                "lines-INITIAL_FORMS": "0",
                "lines-0-description": "实施",
                "lines-0-quantity": "1",
                "lines-0-unit_price": "10",
            },
        )

    foreign, absent = post(theirs), post(theirs + 1000)

    assert foreign.status_code == absent.status_code == 400
    assert foreign.context["form"].errors == absent.context["form"].errors
    assert "HT-SECRET-1" not in foreign.content.decode()


# --- the timesheet: a member's entry on a task that moved to another project ----------------


@pytest.fixture
def moved(project, member):
    """The member's Monday (2026-11-23) on a task that has since moved to a project the
    member is not on."""
    other = ProjectFactory(name="另一家客户的项目")
    task = TaskFactory(project=other, name=SECRET, wbs="9.9")
    entry = TimeEntry.objects.create(
        project=project,
        task=task,
        user=member,
        worked_on=datetime.date(2026, 11, 23),
        hours=Decimal("8"),
    )
    return {"task": task, "entry": entry, "other": other}


def _timesheet_post(project, task_field, hours, **extra):
    data = {"week": "2026-W48", "rows": "1", "r0-project": project.pk}
    data["r0-task"] = task_field
    data["r0-billable"] = "on"
    for day, value in enumerate(hours):
        data[f"r0-d{day}"] = value
    return {**data, **extra}


def test_the_timesheet_does_not_name_a_task_that_moved_to_another_project(
    moved, as_persona
):
    response = as_persona("member").get(reverse("finance:timesheet") + "?week=2026-W48")

    body = response.content.decode()
    assert response.status_code == 200
    assert SECRET not in body
    assert "9.9 " not in body
    assert f'name="r0-task" value="{moved["task"].pk}"' not in body
    assert f'name="r0-task" value="e{moved["entry"].pk}"' in body
    assert "A task of another project" in body
    assert 'value="8"' in body  # the hours are still there


def test_the_timesheet_names_it_for_a_member_of_its_new_project(
    moved, member, as_persona
):
    from clientfolio.projects.models import Membership

    Membership.objects.create(project=moved["other"], user=member, role="viewer")

    body = (
        as_persona("member")
        .get(reverse("finance:timesheet") + "?week=2026-W48")
        .content.decode()
    )

    assert SECRET in body


def test_the_hours_of_an_entry_on_a_moved_task_can_still_change(
    project, moved, as_persona
):
    entry = moved["entry"]

    response = as_persona("member").post(
        reverse("finance:timesheet"),
        _timesheet_post(project, f"e{entry.pk}", ["6", "", "", "", "", "", ""]),
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.hours, entry.task_id) == (Decimal("6"), moved["task"].pk)


@pytest.mark.parametrize("task_field", ["entry", "task"])
def test_no_new_time_goes_on_a_task_of_another_project(
    project, moved, as_persona, task_field
):
    entry = moved["entry"]
    value = f"e{entry.pk}" if task_field == "entry" else str(moved["task"].pk)

    response = as_persona("member").post(
        reverse("finance:timesheet"),
        _timesheet_post(project, value, ["8", "4", "", "", "", "", ""]),
    )

    assert response.status_code == 400
    assert "Choose a task of this project." in response.content.decode()
    assert SECRET not in response.content.decode()
    assert list(TimeEntry.objects.values_list("worked_on", "hours")) == [
        (datetime.date(2026, 11, 23), Decimal("8"))
    ]


def test_a_row_for_a_task_of_another_project_cannot_be_added(
    project, moved, member, as_persona
):
    browser = as_persona("member")
    TimeEntry.objects.all().delete()
    foreign_row = f"{project.pk}:{moved['task'].pk}"

    added = browser.post(
        reverse("finance:timesheet"),
        {"week": "2026-W48", "rows": "0", "action": "add", "new_row": foreign_row},
    )
    saved = browser.post(
        reverse("finance:timesheet"),
        _timesheet_post(project, str(moved["task"].pk), ["4", "", "", "", "", "", ""]),
    )

    assert added.status_code == 200
    assert SECRET not in added.content.decode()
    assert 'name="r0-project"' not in added.content.decode()
    assert saved.status_code == 302
    assert not TimeEntry.objects.exists()
