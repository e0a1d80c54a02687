"""The demo costs: expenses in every status, time priced from the rates, and one project
in trouble (travel over 90 % of its budget) so the finance overview has alerts."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from clientfolio.finance.models import BudgetLine, Expense, TimeEntry
from clientfolio.projects.models import Project


@pytest.mark.django_db
def test_the_demo_has_costs_in_every_state_and_a_project_in_trouble():
    call_command("demo", stdout=StringIO())

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
