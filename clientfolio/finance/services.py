"""Every write to a project's costs: budget lines, expenses with their approval, time
entries priced from the rates, the rates themselves and the exchange rates.

Each function validates first and raises ``CostError`` (a translated message and the
field it concerns) before writing anything; writes that touch several rows run in one
transaction. Updates go through ``save_versioned`` (a stale version raises
``StaleVersion``). Pricing rules live in the pure ``finance.pricing`` module.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from clientfolio.core import events
from clientfolio.core.locking import save_versioned
from clientfolio.core.models import User
from clientfolio.core.money import MissingRate, Money, RateTable
from clientfolio.core.permissions import Action, can, project_roles_allowed
from clientfolio.finance import pricing
from clientfolio.finance.models import (
    BudgetLine,
    ExchangeRate,
    Expense,
    Rate,
    TimeEntry,
)
from clientfolio.projects.models import Membership, Project

__all__ = [
    "CostError",
    "WeekCell",
    "WeekRow",
    "approve_expense",
    "approvers",
    "create_budget_line",
    "create_exchange_rate",
    "create_rate",
    "create_time_entry",
    "delete_budget_line",
    "delete_expense",
    "delete_rate",
    "delete_time_entry",
    "may_decide",
    "price_entry",
    "rate_table",
    "reject_expense",
    "reprice",
    "resubmit_expense",
    "save_week",
    "submit_expense",
    "total_cost",
    "update_budget_line",
    "update_exchange_rate",
    "update_expense",
    "update_rate",
    "update_time_entry",
]

RECEIPT_FOLDER = "Finance"
QUARTER = Decimal("0.25")
DAY_HOURS = Decimal("24")


class CostError(ValueError):
    """Refused input; nothing was saved. ``field`` names the form field concerned."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _check_task(record: Any) -> None:
    """A newly chosen task must be of the record's project. A task kept from before (left
    behind when it moved to another project) does not block editing the rest."""
    task = record.task
    if task is None or task.project_id == record.project_id:
        return
    if (
        record.pk is not None
        and type(record)
        .objects.filter(
            pk=record.pk, task_id=record.task_id, project_id=record.project_id
        )
        .exists()
    ):
        return
    raise CostError(_("Choose a task of this project."), "task")


# --- budget ----------------------------------------------------------------------------------


def _check_budget_line(line: BudgetLine) -> None:
    if line.amount is None or line.amount < 0:
        raise CostError(_("The amount cannot be negative."), "amount")
    _check_task(line)


def create_budget_line(line: BudgetLine) -> BudgetLine:
    _check_budget_line(line)
    line.save()
    return line


def update_budget_line(line: BudgetLine, expected_version: int | None) -> BudgetLine:
    _check_budget_line(line)
    return save_versioned(line, expected_version)


def delete_budget_line(line: BudgetLine) -> None:
    line.delete()


# --- expenses --------------------------------------------------------------------------------


def may_decide(user: Any, project: Project) -> bool:
    """Whoever may change the project's budget (its manager, its finance people and
    administrators) approves and rejects its expenses."""
    return can(user, Action.CHANGE, BudgetLine, project=project)


def _check_expense(expense: Expense) -> None:
    if expense.amount is None or expense.amount <= 0:
        raise CostError(_("The amount must be greater than zero."), "amount")
    _check_task(expense)
    if not (expense.description or "").strip():
        raise CostError(_("Describe the expense."), "description")


def _attach_receipt(expense: Expense, receipt: Any, user: Any) -> list[Any]:
    from clientfolio.documents import services as documents

    try:
        attached = documents.attach_files(
            expense.project,
            [receipt],
            user=user,
            folder_name_en=RECEIPT_FOLDER,
            note=_("Receipt of the expense “%(description)s”")
            % {"description": expense.description},
        )
    except documents.DocumentError as error:
        raise CostError(error.message, "receipt_file") from error
    expense.receipt = attached[0]
    return attached


def approvers(project: Project) -> list[int]:
    """Who approves the project's expenses (user ids): the members whose project role
    may change the budget (``may_decide``: the manager and finance people).
    Administrators may decide too, but are not asked about every expense."""
    people = set(
        Membership.objects.filter(
            project=project,
            role__in=project_roles_allowed(Action.CHANGE, BudgetLine),
        ).values_list("user_id", flat=True)
    )
    return sorted(people | {project.manager_id})


def _announce_submitted(expense: Expense, user: Any) -> None:
    events.publish(
        events.Kind.EXPENSE_SUBMITTED,
        expense,
        actor=user if getattr(user, "pk", None) else None,
        recipients=approvers(expense.project),
        project=expense.project_id,
        data={"title": str(expense), "amount": str(expense.amount)},
    )


def _save_with_receipt(
    expense: Expense,
    receipt: Any,
    user: Any,
    expected_version: int | None,
    *,
    submitted: bool = False,
) -> Expense:
    from clientfolio.documents import services as documents

    attached: list[Any] = []
    try:
        with transaction.atomic():
            if receipt is not None:
                attached = _attach_receipt(expense, receipt, user)
            if expense.pk is None:
                expense.save()
            else:
                save_versioned(expense, expected_version)
            if submitted:
                _announce_submitted(expense, user)
    except BaseException:
        # The rows rolled back; the stored file must go too.
        documents.discard_files(attached)
        raise
    return expense


def submit_expense(expense: Expense, *, user: Any, receipt: Any = None) -> Expense:
    """Record an expense as submitted by ``user``, with an optional receipt file stored
    as a document in the project's Finance folder (all or nothing). Its approvers are
    told (``expense.submitted``)."""
    _check_expense(expense)
    expense.submitted_by = user
    expense.status = Expense.Status.SUBMITTED
    expense.decided_by, expense.decided_at, expense.decision_note = None, None, ""
    return _save_with_receipt(expense, receipt, user, None, submitted=True)


def update_expense(
    expense: Expense,
    expected_version: int | None,
    *,
    user: Any,
    receipt: Any = None,
) -> Expense:
    """Correct an expense that is not decided yet (or was rejected: editing it submits
    it again, and its approvers are told)."""
    if expense.status == Expense.Status.APPROVED:
        raise CostError(_("An approved expense can no longer be changed."))
    _check_expense(expense)
    resubmitted = expense.status == Expense.Status.REJECTED
    if resubmitted:
        expense.status = Expense.Status.SUBMITTED
        expense.decided_by, expense.decided_at = None, None
    return _save_with_receipt(
        expense, receipt, user, expected_version, submitted=resubmitted
    )


@transaction.atomic
def _decide(
    expense: Expense,
    expected_version: int | None,
    *,
    user: Any,
    status: str,
    note: str,
) -> Expense:
    if not may_decide(user, expense.project):
        raise CostError(
            _("Only the project manager or finance may approve or reject expenses.")
        )
    if expense.status != Expense.Status.SUBMITTED:
        raise CostError(_("Only a submitted expense can be approved or rejected."))
    expense.status = status
    expense.decided_by = user
    expense.decided_at = timezone.now()
    expense.decision_note = note.strip()
    save_versioned(expense, expected_version)
    events.publish(
        events.Kind.EXPENSE_DECIDED,
        expense,
        actor=user,
        recipients=[expense.submitted_by_id],
        project=expense.project_id,
        data={
            "title": str(expense),
            "decision": status,
            "amount": str(expense.amount),
        },
    )
    return expense


def approve_expense(
    expense: Expense, expected_version: int | None, *, user: Any, note: str = ""
) -> Expense:
    return _decide(
        expense,
        expected_version,
        user=user,
        status=Expense.Status.APPROVED,
        note=note,
    )


def reject_expense(
    expense: Expense, expected_version: int | None, *, user: Any, note: str
) -> Expense:
    if not (note or "").strip():
        raise CostError(_("Say why the expense is rejected."), "decision_note")
    return _decide(
        expense,
        expected_version,
        user=user,
        status=Expense.Status.REJECTED,
        note=note,
    )


@transaction.atomic
def resubmit_expense(
    expense: Expense, expected_version: int | None, *, actor: Any = None
) -> Expense:
    """Submit a rejected expense again (the rejection note stays for reference); its
    approvers are told again."""
    if expense.status != Expense.Status.REJECTED:
        raise CostError(_("Only a rejected expense can be submitted again."))
    expense.status = Expense.Status.SUBMITTED
    expense.decided_by, expense.decided_at = None, None
    save_versioned(expense, expected_version)
    _announce_submitted(expense, actor or expense.submitted_by)
    return expense


def delete_expense(expense: Expense) -> None:
    if expense.status == Expense.Status.APPROVED:
        raise CostError(_("An approved expense can no longer be deleted."))
    expense.delete()


# --- rates -----------------------------------------------------------------------------------


def _rate_row(rate: Rate) -> pricing.RateRow:
    return pricing.RateRow(
        id=rate.pk or 0,
        project_id=rate.project_id,
        user_id=rate.user_id,
        role=rate.role or "",
        cost_rate=rate.cost_rate,
        bill_rate=rate.bill_rate,
        currency=rate.currency,
        valid_from=rate.valid_from,
        valid_until=rate.valid_until,
    )


def _check_rate(rate: Rate) -> None:
    if (rate.user_id is None) == (not rate.role):
        raise CostError(_("Choose either a person or a project role."), "user")
    for name in ("cost_rate", "bill_rate"):
        value = getattr(rate, name)
        if value is None or value < 0:
            raise CostError(_("A rate cannot be negative."), name)
    if rate.valid_until is not None and rate.valid_until < rate.valid_from:
        raise CostError(
            _("The end of validity cannot be before its start."), "valid_until"
        )
    # None matches rows without a project or person (Django turns it into IS NULL).
    same = Rate.objects.filter(
        project_id=rate.project_id,  # type: ignore[misc]
        user_id=rate.user_id,  # type: ignore[misc]
        role=rate.role or "",
    ).exclude(pk=rate.pk)
    clash = pricing.overlapping(_rate_row(rate), [_rate_row(r) for r in same])
    if clash is not None:
        until = clash.valid_until.isoformat() if clash.valid_until else _("open-ended")
        raise CostError(
            _(
                "This rate overlaps the rate valid from %(start)s to %(end)s for the "
                "same person or role; end that one first or choose other dates."
            )
            % {"start": clash.valid_from.isoformat(), "end": until},
            "valid_from",
        )


def create_rate(rate: Rate) -> Rate:
    _check_rate(rate)
    rate.save()
    return rate


def update_rate(rate: Rate, expected_version: int | None) -> Rate:
    _check_rate(rate)
    return save_versioned(rate, expected_version)


def delete_rate(rate: Rate) -> None:
    rate.delete()


# --- time ------------------------------------------------------------------------------------


def _rates_for(project_ids: Iterable[int], user_ids: Iterable[int]) -> list[Rate]:
    return list(
        Rate.objects.filter(
            Q(project_id__in=list(project_ids)) | Q(project__isnull=True),
            Q(user_id__in=list(user_ids)) | Q(user__isnull=True),
        )
    )


def _roles(project_ids: Iterable[int], user_ids: Iterable[int]) -> dict[tuple, str]:
    return {
        (p, u): role
        for p, u, role in Membership.objects.filter(
            project_id__in=list(project_ids), user_id__in=list(user_ids)
        ).values_list("project_id", "user_id", "role")
    }


def _apply_price(
    entry: TimeEntry, rows: Sequence[pricing.RateRow], role: str | None
) -> None:
    rate = pricing.select_rate(
        rows,
        project_id=entry.project_id,
        user_id=entry.user_id,
        role=role,
        day=entry.worked_on,
    )
    priced = pricing.price(Decimal(entry.hours), rate)
    entry.cost_amount, entry.bill_amount = priced.cost_amount, priced.bill_amount
    entry.currency = priced.currency


def price_entry(entry: TimeEntry) -> TimeEntry:
    """Set the entry's cost and billing amounts from the rate valid on its date."""
    rows = [_rate_row(r) for r in _rates_for([entry.project_id], [entry.user_id])]
    role = _roles([entry.project_id], [entry.user_id]).get(
        (entry.project_id, entry.user_id)
    )
    _apply_price(entry, rows, role)
    return entry


def _check_hours(hours: Any, field_name: str = "hours") -> Decimal:
    if hours is None:
        raise CostError(_("Enter the hours."), field_name)
    hours = Decimal(hours)
    if hours <= 0:
        raise CostError(_("Enter more than zero hours."), field_name)
    if hours > DAY_HOURS:
        raise CostError(_("A day has 24 hours."), field_name)
    if hours % QUARTER:
        raise CostError(_("Enter hours in quarter-hour steps (0.25)."), field_name)
    return hours


def _day_total_error(day: date, total: Decimal) -> str:
    return _(
        "This makes %(hours)s hours on %(date)s across all projects; a day has 24 hours."
    ) % {"hours": f"{total.normalize():f}", "date": day.isoformat()}


def _check_day_total(entry: TimeEntry) -> None:
    # Lock the person's row so two saves for the same day cannot both pass the check.
    list(User.objects.select_for_update().filter(pk=entry.user_id).values("pk"))
    others = (
        TimeEntry.objects.filter(user_id=entry.user_id, worked_on=entry.worked_on)
        .exclude(pk=entry.pk)
        .aggregate(total=Sum("hours"))["total"]
    ) or Decimal(0)
    total = others + Decimal(entry.hours)
    if total > DAY_HOURS:
        raise CostError(_day_total_error(entry.worked_on, total), "hours")


def _check_entry(entry: TimeEntry) -> None:
    entry.hours = _check_hours(entry.hours)
    _check_task(entry)
    if entry.worked_on is None:
        raise CostError(_("Enter the date."), "worked_on")


def create_time_entry(entry: TimeEntry) -> TimeEntry:
    _check_entry(entry)
    with transaction.atomic():
        _check_day_total(entry)
        price_entry(entry)
        entry.save()
    return entry


def update_time_entry(entry: TimeEntry, expected_version: int | None) -> TimeEntry:
    _check_entry(entry)
    with transaction.atomic():
        _check_day_total(entry)
        price_entry(entry)
        return save_versioned(entry, expected_version)


def delete_time_entry(entry: TimeEntry) -> None:
    entry.delete()


def reprice(project: Project, since: date | None = None) -> int:
    """Price the project's time entries (from ``since`` on) again from the rates as they
    are now; returns how many entries changed. Written in bulk, without history rows."""
    entries = TimeEntry.objects.filter(project=project)
    if since is not None:
        entries = entries.filter(worked_on__gte=since)
    rows_by_user: dict[int, list[pricing.RateRow]] = defaultdict(list)
    user_ids = set(entries.values_list("user_id", flat=True).distinct())
    for rate in _rates_for([project.pk], user_ids):
        rows_by_user[rate.user_id or 0].append(_rate_row(rate))
    shared = rows_by_user.get(0, [])
    roles = _roles([project.pk], user_ids)
    changed = []
    for entry in entries.only(
        "id",
        "project_id",
        "user_id",
        "worked_on",
        "hours",
        "cost_amount",
        "bill_amount",
        "currency",
    ).iterator(chunk_size=2000):
        before = (entry.cost_amount, entry.bill_amount, entry.currency)
        _apply_price(
            entry,
            rows_by_user.get(entry.user_id, []) + shared,
            roles.get((project.pk, entry.user_id)),
        )
        if (entry.cost_amount, entry.bill_amount, entry.currency) != before:
            changed.append(entry)
    with transaction.atomic():
        TimeEntry.objects.bulk_update(
            changed, ["cost_amount", "bill_amount", "currency"], batch_size=1000
        )
    return len(changed)


# --- the weekly timesheet --------------------------------------------------------------------


@dataclass
class WeekCell:
    day: date
    hours: Decimal | None = None
    entries: list[TimeEntry] = field(default_factory=list)
    error: str = ""
    raw: str = ""

    @property
    def saved_hours(self) -> Decimal:
        return sum((e.hours for e in self.entries), Decimal(0))


@dataclass
class WeekRow:
    """One row of the timesheet grid: the user's time on a project (and task) in a week.

    ``task_shown`` is False for a task that moved to a project the user is not on: the
    row keeps the entries on it (their hours can still change) but neither its name nor
    its id is printed; ``task_field`` names it by the row's first entry instead."""

    project: Project
    task: Any
    billable: bool = True
    cells: list[WeekCell] = field(default_factory=list)
    error: str = ""
    task_shown: bool = True

    @property
    def key(self) -> tuple[int, int | None]:
        return (self.project.pk, getattr(self.task, "pk", None))

    @property
    def task_field(self) -> str:
        """The value that names the row's task in the form: its id, or ``e<entry id>``
        for a task not shown."""
        if self.task is None:
            return ""
        if self.task_shown:
            return str(self.task.pk)
        first = min((e.pk for cell in self.cells for e in cell.entries), default=None)
        return f"e{first}" if first else ""

    @property
    def total(self) -> Decimal:
        return sum(
            (c.hours if c.hours is not None else c.saved_hours for c in self.cells),
            Decimal(0),
        )


def save_week(user: Any, monday: date, rows: Sequence[WeekRow]) -> bool:
    """Save a week of ``user``'s time from the grid: each cell's hours replace what the
    cell held (empty or 0 removes it). All or nothing: on any refused cell the messages
    are set on the cells (and rows) and False is returned with nothing saved."""
    days = [monday + timedelta(days=i) for i in range(7)]
    ok = True
    for row in rows:
        if not can(user, Action.ADD, TimeEntry, project=row.project):
            row.error = _("You cannot record time on this project.")
            ok = False
        # An entry whose task moved to another project keeps it (its hours may change),
        # but no new time goes on a task outside the row's project.
        foreign_task = row.task is not None and row.task.project_id != row.project.pk
        if foreign_task and any(c.hours and not c.entries for c in row.cells):
            row.error = _("Choose a task of this project.")
            ok = False
        for cell in row.cells:
            if cell.error:
                ok = False
                continue
            if cell.hours is None or cell.hours == 0:
                continue
            try:
                cell.hours = _check_hours(cell.hours)
            except CostError as error:
                cell.error = error.message
                ok = False
    shown = {row.key for row in rows}
    with transaction.atomic():
        list(User.objects.select_for_update().filter(pk=user.pk).values("pk"))
        elsewhere: dict[date, Decimal] = defaultdict(Decimal)
        for entry in TimeEntry.objects.filter(
            user=user, worked_on__in=days
        ).values_list("project_id", "task_id", "worked_on", "hours"):
            if (entry[0], entry[1]) not in shown:
                elsewhere[entry[2]] += entry[3]
        for index, day in enumerate(days):
            total = elsewhere[day] + sum(
                (row.cells[index].hours or Decimal(0) for row in rows), Decimal(0)
            )
            if total > DAY_HOURS:
                ok = False
                for row in rows:
                    cell = row.cells[index]
                    if cell.hours and not cell.error:
                        cell.error = _day_total_error(day, total)
        if not ok:
            return False
        _write_week(user, rows)
    return True


def _write_week(user: Any, rows: Sequence[WeekRow]) -> None:
    project_ids = {row.project.pk for row in rows}
    rate_rows = [_rate_row(r) for r in _rates_for(project_ids, [user.pk])]
    roles = _roles(project_ids, [user.pk])
    for row in rows:
        role = roles.get((row.project.pk, user.pk))
        for cell in row.cells:
            wanted = cell.hours or Decimal(0)
            unchanged = wanted == cell.saved_hours and all(
                e.billable == row.billable for e in cell.entries
            )
            if unchanged:
                continue
            keep = cell.entries[0] if cell.entries and wanted else None
            for extra in cell.entries:
                if extra is not keep:
                    extra.delete()
            if not wanted:
                continue
            entry = keep or TimeEntry(
                project=row.project, task=row.task, user=user, worked_on=cell.day
            )
            entry.hours, entry.billable = wanted, row.billable
            _apply_price(entry, rate_rows, role)
            if keep is None:
                entry.save()
            else:
                save_versioned(entry, entry.version)


# --- exchange rates --------------------------------------------------------------------------


def _check_exchange_rate(row: ExchangeRate) -> None:
    if row.from_currency == row.to_currency:
        raise CostError(_("Choose two different currencies."), "to_currency")
    if row.rate is None or row.rate <= 0:
        raise CostError(_("A rate must be positive."), "rate")
    clash = (
        ExchangeRate.objects.filter(
            from_currency=row.from_currency,
            to_currency=row.to_currency,
            valid_from=row.valid_from,
        )
        .exclude(pk=row.pk)
        .exists()
    )
    if clash:
        raise CostError(
            _("There is already a rate for this pair of currencies on that day."),
            "valid_from",
        )


def create_exchange_rate(row: ExchangeRate) -> ExchangeRate:
    _check_exchange_rate(row)
    row.save()
    return row


def update_exchange_rate(row: ExchangeRate) -> ExchangeRate:
    _check_exchange_rate(row)
    row.save()
    return row


def total_cost(project: Project, on: date | None = None) -> Decimal:
    """The project's actual cost so far in CNY: the priced time and the approved
    expenses (amounts whose exchange rate is missing are left out)."""
    table = rate_table()
    on = on or timezone.localdate()
    pairs = list(
        TimeEntry.objects.filter(project=project)
        .order_by()
        .values_list("currency")
        .annotate(total=Sum("cost_amount"))
    ) + list(
        Expense.objects.filter(project=project, status=Expense.Status.APPROVED)
        .order_by()
        .values_list("currency")
        .annotate(total=Sum("amount"))
    )
    total = Decimal(0)
    for currency, amount in pairs:
        try:
            total += table.convert(Money(amount, currency), "CNY", on).amount
        except MissingRate:
            continue
    return total


def rate_table(rows: QuerySet[ExchangeRate] | None = None) -> RateTable:
    """The exchange rates as a ``money.RateTable`` (one query), for totals in one
    currency."""
    source = rows if rows is not None else ExchangeRate.objects.all()
    return RateTable(
        source.values_list("valid_from", "from_currency", "to_currency", "rate")
    )
