"""The costs API: status codes and bodies for budget lines, expenses with approve and
reject, time entries, rates and exchange rates; 409 on a stale version, 400 naming the
field for refused input."""

import datetime
from decimal import Decimal

from django.urls import reverse

from clientfolio.finance.models import BudgetLine, Expense, Rate, TimeEntry
from clientfolio.projects.models import Membership
from tests.finance.factories import (
    BudgetLineFactory,
    ExpenseFactory,
    RateFactory,
    TimeEntryFactory,
)
from tests.projects.factories import ProjectFactory
from tests.schedule.factories import TaskFactory

D = datetime.date


def test_budget_lines_are_created_and_a_negative_amount_is_400(api_as, project):
    api = api_as("accountant")
    response = api.post(
        reverse("budget-line-list"),
        {"project": project.pk, "category": "travel", "amount": "-1"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"amount": ["The amount cannot be negative."]}
    response = api.post(
        reverse("budget-line-list"),
        {"project": project.pk, "category": "travel", "amount": "5000.00"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["amount"], body["currency"], body["version"]) == ("5000.00", "CNY", 1)


def test_a_task_of_another_project_is_400(api_as, project):
    task = TaskFactory(project=ProjectFactory(manager=project.manager))
    response = api_as("project_manager").post(
        reverse("budget-line-list"),
        {"project": project.pk, "category": "labor", "amount": "1", "task": task.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"task": ["Choose a task of this project."]}
    assert not BudgetLine.objects.exists()


def test_a_stale_update_is_409(api_as, project):
    line = BudgetLineFactory(project=project)
    api = api_as("project_manager")
    detail = reverse("budget-line-detail", kwargs={"pk": line.pk})
    first = api.patch(detail, {"amount": "1.00", "version": 1}, format="json")
    assert first.status_code == 200
    assert first.json()["version"] == 2
    stale = api.patch(detail, {"amount": "2.00", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert BudgetLine.objects.get().amount == Decimal("1.00")


def test_members_list_only_their_own_time_and_expenses(api_as, project, member):
    mine = TimeEntryFactory(project=project, user=member)
    TimeEntryFactory(project=project, user=project.manager)
    ExpenseFactory(project=project, submitted_by=project.manager)
    api = api_as("member")
    times = api.get(reverse("time-entry-list")).json()["results"]
    assert [t["id"] for t in times] == [mine.pk]
    assert api.get(reverse("expense-list")).json()["results"] == []
    assert (
        len(api_as("accountant").get(reverse("time-entry-list")).json()["results"]) == 2
    )


def test_time_over_24_hours_a_day_is_400(api_as, project, member):
    other = ProjectFactory()
    Membership.objects.create(project=other, user=member, role="member")
    TimeEntryFactory(project=other, user=member, worked_on=D(2026, 11, 23), hours=20)
    response = api_as("member").post(
        reverse("time-entry-list"),
        {"project": project.pk, "worked_on": "2026-11-23", "hours": "5"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "hours": [
            "This makes 25 hours on 2026-11-23 across all projects; a day has 24 hours."
        ]
    }
    assert TimeEntry.objects.count() == 1


def test_time_is_priced_and_recorded_for_the_caller(api_as, project, member):
    RateFactory(user=member, cost_rate=Decimal("150"), bill_rate=Decimal("400"))
    response = api_as("member").post(
        reverse("time-entry-list"),
        {"project": project.pk, "worked_on": "2026-11-23", "hours": "2.5"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["user"] == member.pk
    # priced from the rate, but a plain member does not read the amounts (the rates)
    entry = TimeEntry.objects.get(pk=body["id"])
    assert (entry.cost_amount, entry.bill_amount) == (Decimal("375"), Decimal("1000"))
    assert (body["cost_amount"], body["bill_amount"]) == (None, None)


def test_a_member_cannot_record_time_for_someone_else(api_as, project, viewer):
    response = api_as("member").post(
        reverse("time-entry-list"),
        {
            "project": project.pk,
            "worked_on": "2026-11-23",
            "hours": "2",
            "user": viewer.pk,
        },
        format="json",
    )
    assert response.status_code == 403
    assert not TimeEntry.objects.exists()


def test_expenses_are_approved_and_rejected_with_a_note(api_as, project, member):
    expense = ExpenseFactory(project=project, submitted_by=member)
    api = api_as("accountant")
    approve = reverse("expense-approve", kwargs={"pk": expense.pk})
    reject = reverse("expense-reject", kwargs={"pk": expense.pk})

    # a rejection without a note is 400
    response = api.post(reject, {"version": expense.version}, format="json")
    assert response.status_code == 400
    assert response.json() == {"note": ["Say why the expense is rejected."]}

    # a member cannot approve their own expense
    response = api_as("member").post(approve, {"version": 1}, format="json")
    assert response.status_code == 403

    # finance approves it
    response = api.post(approve, {"version": 1, "note": "好"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "approved"
    assert body["decided_by"] is not None
    assert body["decided_at"]
    assert Expense.objects.get().status == "approved"

    # and a decided expense cannot be decided again
    response = api.post(reject, {"version": 2, "note": "x"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Only a submitted expense can be approved or rejected."]
    }


def test_a_stale_decision_is_409(api_as, project, member):
    expense = ExpenseFactory(project=project, submitted_by=member)
    response = api_as("project_manager").post(
        reverse("expense-approve", kwargs={"pk": expense.pk}),
        {"version": 7},
        format="json",
    )
    assert response.status_code == 409
    assert Expense.objects.get().status == "submitted"


def test_a_zero_expense_is_400(api_as, project):
    response = api_as("member").post(
        reverse("expense-list"),
        {
            "project": project.pk,
            "category": "travel",
            "spent_on": "2026-11-20",
            "amount": "0",
            "description": "打车",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"amount": ["The amount must be greater than zero."]}


def test_overlapping_rates_are_400_and_firm_rates_are_for_admins(
    api_as, project, member
):
    RateFactory(project=project, user=member, valid_from=D(2026, 1, 1))
    payload = {
        "project": project.pk,
        "user": member.pk,
        "cost_rate": "1",
        "bill_rate": "1",
        "valid_from": "2026-05-01",
    }
    response = api_as("project_manager").post(
        reverse("rate-list"), payload, format="json"
    )
    assert response.status_code == 400
    assert "overlaps" in response.json()["valid_from"][0]
    firm = {**payload, "project": None, "valid_from": "2026-01-01"}
    response = api_as("project_manager").post(reverse("rate-list"), firm, format="json")
    assert response.status_code == 403
    response = api_as("admin").post(reverse("rate-list"), firm, format="json")
    assert response.status_code == 201
    assert Rate.objects.filter(project__isnull=True).count() == 1


def test_exchange_rates_are_read_by_staff_and_kept_by_admins(api_as):
    payload = {"from_currency": "USD", "to_currency": "CNY", "rate": "7.1"}
    payload["valid_from"] = "2026-01-01"
    assert (
        api_as("staff").post(reverse("exchange-rate-list"), payload).status_code == 403
    )
    response = api_as("admin").post(reverse("exchange-rate-list"), payload)
    assert response.status_code == 201
    assert response.json()["rate"] == "7.10000000"
    listed = api_as("staff").get(reverse("exchange-rate-list")).json()["results"]
    assert [r["from_currency"] for r in listed] == ["USD"]
