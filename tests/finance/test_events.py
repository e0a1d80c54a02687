"""What expenses tell people: an expense awaits its approvers, and its submitter hears
the decision (``core.events``)."""

import datetime
from decimal import Decimal

import pytest

from clientfolio.core.models import Event
from clientfolio.finance import services
from clientfolio.finance.models import Expense

pytestmark = pytest.mark.django_db


def _expense(project):
    return Expense(
        project=project,
        category="travel",
        spent_on=datetime.date(2026, 11, 2),
        amount=Decimal("860.00"),
        description="北京出差机票",
    )


def test_a_submitted_expense_tells_the_manager_and_finance(
    project, project_manager, member, accountant
):
    expense = services.submit_expense(_expense(project), user=member)

    [told] = Event.objects.filter(kind="expense.submitted")
    assert (told.target_type, told.target_id, told.project_id) == (
        "finance.expense",
        expense.pk,
        project.pk,
    )
    assert told.actor_id == member.pk
    assert told.recipient_ids == sorted([project_manager.pk, accountant.pk])
    assert told.data == {"title": "北京出差机票", "amount": "860.00"}


@pytest.mark.parametrize(
    ("decide", "decision"),
    [(services.approve_expense, "approved"), (services.reject_expense, "rejected")],
)
def test_the_submitter_hears_the_decision(
    project, project_manager, member, decide, decision
):
    expense = services.submit_expense(_expense(project), user=member)

    decide(expense, expense.version, user=project_manager, note="超出差旅标准")

    [told] = Event.objects.filter(kind="expense.decided")
    assert told.target_id == expense.pk
    assert told.recipient_ids == [member.pk]
    assert told.actor_id == project_manager.pk
    assert told.data == {
        "title": "北京出差机票",
        "decision": decision,
        "amount": "860.00",
    }


def test_a_refused_decision_tells_nobody(project, member):
    expense = services.submit_expense(_expense(project), user=member)
    with pytest.raises(services.CostError):
        services.approve_expense(expense, expense.version, user=member)
    assert not Event.objects.filter(kind="expense.decided").exists()


def test_a_rejected_expense_submitted_again_tells_the_approvers_again(
    project, project_manager, member
):
    expense = services.submit_expense(_expense(project), user=member)
    services.reject_expense(expense, expense.version, user=project_manager, note="缺票")
    services.resubmit_expense(expense, expense.version, actor=member)

    expense.amount = Decimal("900.00")
    services.reject_expense(expense, expense.version, user=project_manager, note="缺票")
    services.update_expense(expense, expense.version, user=member)

    submitted = Event.objects.filter(kind="expense.submitted").order_by("pk")
    assert [e.actor_id for e in submitted] == [member.pk] * 3
    assert submitted.last().data["amount"] == "900.00"
