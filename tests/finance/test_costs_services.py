"""Cost services: each refused input says why and saves nothing; time is priced from
the most specific rate; the day limit spans every project; expenses go through approval
with who and when; members see only their own time and expenses."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from clientfolio.core.locking import StaleVersion
from clientfolio.core.money import Money
from clientfolio.core.permissions import Action, can, scope
from clientfolio.documents.models import Document
from clientfolio.finance import services
from clientfolio.finance.models import (
    BudgetLine,
    ExchangeRate,
    Expense,
    Rate,
    TimeEntry,
)
from clientfolio.projects.models import Membership
from tests.documents.factories import upload
from tests.finance.factories import (
    BudgetLineFactory,
    ExpenseFactory,
    RateFactory,
    TimeEntryFactory,
)
from tests.projects.factories import ProjectFactory
from tests.schedule.factories import TaskFactory

D = datetime.date
MONDAY = D(2026, 11, 23)
DISGUISED_EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def other_project(db, member):
    """Another project the member works on."""
    project = ProjectFactory(name="移动端二期")
    Membership.objects.create(project=project, user=member, role="member")
    return project


def refused(call, *args, **kwargs) -> services.CostError:
    with translation.override("en"), pytest.raises(services.CostError) as error:
        call(*args, **kwargs)
    return error.value


# --- budget ----------------------------------------------------------------------------------


def test_a_negative_budget_line_is_refused(project):
    error = refused(
        services.create_budget_line,
        BudgetLine(project=project, category="labor", amount=Decimal("-1")),
    )
    assert error.message == "The amount cannot be negative."
    assert error.field == "amount"
    assert not BudgetLine.objects.exists()


def test_a_budget_line_on_another_projects_task_is_refused(project, other_project):
    # given a task of the other project
    task = TaskFactory(project=other_project, name="接口开发")

    # when a budget line of this project names it, then it is refused
    error = refused(
        services.create_budget_line,
        BudgetLine(project=project, category="labor", amount=Decimal("1"), task=task),
    )
    assert error.message == "Choose a task of this project."
    assert not BudgetLine.objects.exists()


def test_a_stale_budget_edit_is_refused(project):
    # given a line edited by someone else after it was loaded
    line = BudgetLineFactory(project=project)
    loaded_version = line.version
    services.update_budget_line(line, loaded_version)

    # when the first editor saves, then it is refused and nothing changes
    stale = BudgetLine.objects.get(pk=line.pk)
    stale.amount = Decimal("1")
    with pytest.raises(StaleVersion):
        services.update_budget_line(stale, loaded_version)
    assert BudgetLine.objects.get(pk=line.pk).amount == Decimal("10000.00")


# --- expenses --------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["0", "-5"])
def test_an_expense_of_zero_or_less_is_refused(project, member, amount):
    error = refused(
        services.submit_expense,
        Expense(
            project=project,
            category="travel",
            spent_on=MONDAY,
            amount=Decimal(amount),
            description="打车",
        ),
        user=member,
    )
    assert error.message == "The amount must be greater than zero."
    assert not Expense.objects.exists()


def test_an_expense_on_another_projects_task_is_refused(project, other_project, member):
    task = TaskFactory(project=other_project)
    error = refused(
        services.submit_expense,
        Expense(
            project=project,
            task=task,
            category="travel",
            spent_on=MONDAY,
            amount=Decimal("10"),
            description="打车",
        ),
        user=member,
    )
    assert error.field == "task"
    assert not Expense.objects.exists()


def test_a_receipt_is_stored_as_a_document_in_the_finance_folder(project, member):
    # when the member submits an expense with a receipt
    expense = services.submit_expense(
        Expense(
            project=project,
            category="travel",
            spent_on=MONDAY,
            amount=Decimal("860"),
            description="上海出差",
        ),
        user=member,
        receipt=upload("发票.pdf"),
    )

    # then the receipt is a document of the project, in the Finance folder
    expense.refresh_from_db()
    assert expense.status == Expense.Status.SUBMITTED
    assert expense.submitted_by == member
    assert expense.receipt.project == project
    assert expense.receipt.folder.template.name_en == "Finance"


def test_a_refused_receipt_saves_neither_expense_nor_file(project, member, media_root):
    error = refused(
        services.submit_expense,
        Expense(
            project=project,
            category="travel",
            spent_on=MONDAY,
            amount=Decimal("860"),
            description="上海出差",
        ),
        user=member,
        receipt=upload("发票.pdf", DISGUISED_EXE),
    )
    assert error.field == "receipt_file"
    assert not Expense.objects.exists()
    assert not Document.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_the_manager_approves_with_who_and_when(project, member, project_manager):
    expense = ExpenseFactory(project=project, submitted_by=member)
    services.approve_expense(expense, expense.version, user=project_manager, note="OK")
    expense.refresh_from_db()
    assert expense.status == Expense.Status.APPROVED
    assert expense.decided_by == project_manager
    assert expense.decided_at is not None
    assert expense.decision_note == "OK"
    # and an approved expense can no longer change
    assert (
        "approved"
        in refused(
            services.update_expense, expense, expense.version, user=member
        ).message
    )


def test_a_rejection_needs_a_note_and_can_be_submitted_again(
    project, member, accountant
):
    # given a submitted expense
    expense = ExpenseFactory(project=project, submitted_by=member)

    # when finance rejects it without a note, then it is refused
    error = refused(
        services.reject_expense, expense, expense.version, user=accountant, note=" "
    )
    assert error.message == "Say why the expense is rejected."
    assert Expense.objects.get(pk=expense.pk).status == Expense.Status.SUBMITTED

    # when it rejects it with a note, and the member submits it again
    expense = services.reject_expense(
        expense, expense.version, user=accountant, note="缺少发票"
    )
    assert expense.status == Expense.Status.REJECTED
    expense = services.resubmit_expense(expense, expense.version)

    # then it waits for a decision again, the note kept for reference
    expense.refresh_from_db()
    assert expense.status == Expense.Status.SUBMITTED
    assert expense.decided_by is None
    assert expense.decision_note == "缺少发票"


def test_a_member_cannot_approve(project, member):
    expense = ExpenseFactory(project=project, submitted_by=member)
    error = refused(services.approve_expense, expense, expense.version, user=member)
    assert "manager or finance" in error.message
    assert Expense.objects.get(pk=expense.pk).status == Expense.Status.SUBMITTED


# --- time ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("0", "Enter more than zero hours."),
        ("-1", "Enter more than zero hours."),
        ("24.5", "A day has 24 hours."),
        ("1.1", "Enter hours in quarter-hour steps (0.25)."),
    ],
)
def test_hours_out_of_range_are_refused(project, member, hours, message):
    error = refused(
        services.create_time_entry,
        TimeEntry(project=project, user=member, worked_on=MONDAY, hours=Decimal(hours)),
    )
    assert error.message == message
    assert not TimeEntry.objects.exists()


def test_the_day_limit_counts_every_project(project, other_project, member):
    # given 16 hours of the member on the other project that Monday
    TimeEntryFactory(project=other_project, user=member, hours=Decimal("16"))

    # when 9 more hours are recorded on this project, then it is refused
    error = refused(
        services.create_time_entry,
        TimeEntry(project=project, user=member, worked_on=MONDAY, hours=Decimal("9")),
    )
    assert error.message == (
        "This makes 25 hours on 2026-11-23 across all projects; a day has 24 hours."
    )
    assert TimeEntry.objects.count() == 1
    # and 8 hours fit
    services.create_time_entry(
        TimeEntry(project=project, user=member, worked_on=MONDAY, hours=Decimal("8"))
    )


def test_an_edit_does_not_count_the_entry_twice(project, member):
    entry = TimeEntryFactory(project=project, user=member, hours=Decimal("20"))
    entry.hours = Decimal("24")
    services.update_time_entry(entry, entry.version)
    assert TimeEntry.objects.get().hours == Decimal("24")


def test_time_on_another_projects_task_is_refused(project, other_project, member):
    task = TaskFactory(project=other_project)
    error = refused(
        services.create_time_entry,
        TimeEntry(
            project=project, task=task, user=member, worked_on=MONDAY, hours=Decimal(2)
        ),
    )
    assert error.message == "Choose a task of this project."
    assert not TimeEntry.objects.exists()


def test_time_is_priced_from_the_most_specific_rate(project, member):
    # given firm-wide rates for the member role and the member, and a project role rate
    RateFactory(user=None, role="member", cost_rate=Decimal("100"))
    RateFactory(user=member, cost_rate=Decimal("150"), bill_rate=Decimal("300"))
    RateFactory(project=project, user=None, role="member", cost_rate=Decimal("180"))

    # when the member records 7.5 hours
    entry = TimeEntryFactory(project=project, user=member, hours=Decimal("7.5"))

    # then the project's role rate prices it
    assert entry.cost_amount == Decimal("1350.00")
    assert entry.bill_amount == Decimal("3750.00")
    assert entry.currency == "CNY"


def test_time_without_a_rate_costs_nothing_until_priced_again(project, member):
    # given an entry recorded before any rate existed
    entry = TimeEntryFactory(project=project, user=member, hours=Decimal("8"))
    assert entry.cost_amount == Decimal("0")

    # when a rate is added and the project's time is priced again from that day
    RateFactory(user=member, cost_rate=Decimal("120"), bill_rate=Decimal("360"))
    changed = services.reprice(project, since=MONDAY)

    # then the entry carries the new price
    entry.refresh_from_db()
    assert changed == 1
    assert (entry.cost_amount, entry.bill_amount) == (
        Decimal("960.00"),
        Decimal("2880.00"),
    )


# --- rates -----------------------------------------------------------------------------------


def test_overlapping_rates_of_the_same_person_are_refused(member):
    RateFactory(user=member, valid_from=D(2026, 1, 1), valid_until=D(2026, 6, 30))
    error = refused(
        services.create_rate,
        Rate(
            user=member,
            cost_rate=Decimal("1"),
            bill_rate=Decimal("1"),
            valid_from=D(2026, 6, 1),
        ),
    )
    assert error.message == (
        "This rate overlaps the rate valid from 2026-01-01 to 2026-06-30 for the same "
        "person or role; end that one first or choose other dates."
    )
    assert Rate.objects.count() == 1
    # and the day after is fine
    services.create_rate(
        Rate(
            user=member,
            cost_rate=Decimal("1"),
            bill_rate=Decimal("1"),
            valid_from=D(2026, 7, 1),
        )
    )


def test_a_rate_names_a_person_or_a_role_not_both(member):
    error = refused(
        services.create_rate,
        Rate(
            user=member,
            role="member",
            cost_rate=Decimal("1"),
            bill_rate=Decimal("1"),
            valid_from=MONDAY,
        ),
    )
    assert error.message == "Choose either a person or a project role."
    assert not Rate.objects.exists()


# --- exchange rates --------------------------------------------------------------------------


def test_the_rate_table_converts_with_the_stored_rates(db):
    services.create_exchange_rate(
        ExchangeRate(
            from_currency="USD",
            to_currency="CNY",
            rate=Decimal("7.1"),
            valid_from=D(2026, 1, 1),
        )
    )
    table = services.rate_table()
    assert table.convert(Money(Decimal("10"), "USD"), "CNY", MONDAY) == Money(
        Decimal("71.00"), "CNY"
    )
    error = refused(
        services.create_exchange_rate,
        ExchangeRate(
            from_currency="USD",
            to_currency="CNY",
            rate=Decimal("7.2"),
            valid_from=D(2026, 1, 1),
        ),
    )
    assert error.field == "valid_from"
    assert ExchangeRate.objects.count() == 1


# --- own records -----------------------------------------------------------------------------


def test_a_member_sees_only_their_own_time_and_expenses(
    project, member, project_manager, accountant
):
    # given time and an expense of the member and of the manager
    mine = TimeEntryFactory(project=project, user=member)
    theirs = TimeEntryFactory(project=project, user=project_manager)
    my_expense = ExpenseFactory(project=project, submitted_by=member)
    their_expense = ExpenseFactory(project=project, submitted_by=project_manager)

    # then the member's scope holds only their own rows, and can() agrees
    assert list(scope(member, TimeEntry.objects.all())) == [mine]
    assert list(scope(member, Expense.objects.all())) == [my_expense]
    assert can(member, Action.CHANGE, mine)
    assert not can(member, Action.VIEW, theirs)
    assert not can(member, Action.CHANGE, their_expense)
    assert not can(member, Action.EXPORT, TimeEntry, project=project)

    # and the accountant sees, changes and exports everyone's
    assert set(scope(accountant, TimeEntry.objects.all())) == {mine, theirs}
    assert set(scope(accountant, Expense.objects.all())) == {my_expense, their_expense}
    assert can(accountant, Action.CHANGE, theirs)
    assert can(accountant, Action.EXPORT, TimeEntry, project=project)
    # while the viewer sees none
    assert not scope(
        project.memberships.get(role="viewer").user, TimeEntry.objects.all()
    )
