"""The project's time: hours by person and ISO week with totals, the entries with
filters (members see only their own), add / edit / delete one entry, export."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import Q, Sum
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core.locking import StaleVersion
from clientfolio.core.models import User
from clientfolio.core.permissions import Action, can, scope, sees_finance
from clientfolio.core.relations import hide_unseen
from clientfolio.core.views import conflict_response
from clientfolio.finance import services
from clientfolio.finance.forms import TimeEntryForm, TimeFilterForm
from clientfolio.finance.models import TimeEntry
from clientfolio.finance.views.costs_common import (
    CostsMixin,
    export_response,
    page_of,
    task_labeller,
    total_in,
)
from clientfolio.schedule.models import Task

__all__ = [
    "TimeDeleteView",
    "TimeExportView",
    "TimeFormView",
    "TimeListView",
]

MODEL = "finance.timeentry"
FILTERS = ("person", "task", "wbs", "billable", "start", "end")
# Above this many tasks the task filter is a WBS code box instead of a list.
TASK_CHOICES_MAX = 300
# Rows of the summary by week and person (the newest weeks).
SUMMARY_ROWS = 200


def filtered_entries(user, project, query: QueryDict, action=Action.VIEW):
    form = TimeFilterForm(query)
    data = form.cleaned_data if form.is_valid() else {}
    # ``project=``: the role is looked up once, not tested in every row of the sums.
    entries = scope(
        user, TimeEntry.objects.filter(project=project), action, project=project
    )
    if data.get("person"):
        entries = entries.filter(user_id=data["person"])
    if data.get("task"):
        entries = entries.filter(task_id=data["task"])
    if data.get("wbs"):
        # "3.2" is task 3.2 and everything below it.
        code = data["wbs"].strip().rstrip(".")
        entries = entries.filter(
            Q(task__wbs=code) | Q(task__wbs__startswith=f"{code}.")
        )
    if data.get("billable") in ("0", "1"):
        entries = entries.filter(billable=data["billable"] == "1")
    if data.get("start"):
        entries = entries.filter(worked_on__gte=data["start"])
    if data.get("end"):
        entries = entries.filter(worked_on__lte=data["end"])
    return entries, {key: query.get(key, "") for key in FILTERS}


def newest_weeks(entries) -> tuple[dict[tuple[str, int], dict[str, Any]], dict]:
    """Hours by ISO week (Monday-based) and person, newest week first and, within a week,
    the highest user id first: the first ``SUMMARY_ROWS`` of them, with the (amount,
    currency) pairs of their cost and bill.

    The entries are read newest first along the covering index
    (``finance_time_sums_cover``: project, worked_on, …), so only the weeks shown are
    read, however many years of time the project has; grouping every entry by week in
    SQL read and sorted all 50,000 of the scale data's busiest project."""
    rows = entries.order_by("-worked_on").values_list(
        "worked_on", "user_id", "currency", "hours", "cost_amount", "bill_amount"
    )
    totals: dict[tuple[date, int], dict[str, Any]] = {}
    amounts: dict[tuple[date, int], dict[str, dict[str, Decimal]]] = {}
    cutoff: date | None = None
    for worked_on, user_id, currency, hours, cost, bill in rows.iterator(2000):
        monday = worked_on - timedelta(days=worked_on.weekday())
        if cutoff is not None and monday < cutoff:
            break
        key = (monday, user_id)
        if key not in totals:
            totals[key] = {"user_id": user_id, "hours": Decimal(0)}
            amounts[key] = {"cost": defaultdict(Decimal), "bill": defaultdict(Decimal)}
            if len(totals) == SUMMARY_ROWS and cutoff is None:
                # The week holding the last row shown: read it to its end.
                cutoff = monday
        totals[key]["hours"] += hours
        amounts[key]["cost"][currency] += cost
        amounts[key]["bill"][currency] += bill
    keys = sorted(totals, key=lambda k: (k[0], k[1]), reverse=True)[:SUMMARY_ROWS]
    weeks: dict[tuple[str, int], dict[str, Any]] = {}
    pairs: dict[tuple[str, int], dict[str, list]] = {}
    for monday, user_id in keys:
        year, week, _weekday = monday.isocalendar()
        label = f"{year}-W{week:02d}"
        weeks[(label, user_id)] = {**totals[(monday, user_id)], "week": label}
        sums = amounts[(monday, user_id)]
        pairs[(label, user_id)] = {
            kind: [(amount, currency) for currency, amount in sorted(by.items())]
            for kind, by in sums.items()
        }
    return weeks, pairs


class TimeListView(CostsMixin, View):
    folder_model = MODEL

    def get(self, request, pk):
        entries, filters = filtered_entries(request.user, self.project, request.GET)
        names = {u.pk: u for u in User.objects.on_team(self.project).active()}
        sums = {
            "hours_sum": Sum("hours"),
            "cost": Sum("cost_amount"),
            "bill": Sum("bill_amount"),
        }
        # The totals: one row per currency.
        total_hours = Decimal(0)
        all_cost, all_bill = [], []
        for currency, hours, cost, bill in (
            entries.order_by().values_list("currency").annotate(**sums)
        ):
            total_hours += hours
            all_cost.append((cost, currency))
            all_bill.append((bill, currency))
        weeks, pairs = newest_weeks(entries)
        table = services.rate_table()
        summary = list(weeks.values())
        for row in summary:
            key = (row["week"], row["user_id"])
            row["person"] = names.get(row["user_id"], row["user_id"])
            row["cost"] = total_in(pairs[key]["cost"], table)
            row["bill"] = total_in(pairs[key]["bill"], table)
        page = page_of(request, entries.select_related("user", "task"))
        page.object_list = hide_unseen(
            request.user, page.object_list, "task", project=self.project
        )
        tasks = list(
            Task.objects.filter(project=self.project, is_summary=False)
            .order_by("wbs_sort")
            .only("id", "wbs", "name")[: TASK_CHOICES_MAX + 1]
        )
        query = QueryDict(mutable=True)
        for key, value in filters.items():
            if value:
                query[key] = value
        sees_all = can(request.user, Action.EXPORT, MODEL, project=self.project)
        context = self.costs_context(
            sees_finance=sees_finance(request.user, self.project),
            page=page,
            summary=summary,
            total_hours=total_hours,
            total_cost=total_in(all_cost, table),
            total_bill=total_in(all_bill, table),
            filters=filters,
            query=query.urlencode(),
            people=list(names.values()) if sees_all else [],
            tasks=tasks if len(tasks) <= TASK_CHOICES_MAX else None,
            can_add=can(request.user, Action.ADD, MODEL, project=self.project),
            can_export=sees_all,
        )
        return render(request, "finance/time_list.html", context)


class TimeFormView(CostsMixin, View):
    """Add an entry (no ``entry_pk``) or correct one; the manager and finance may record
    time for anyone on the team, members for themselves."""

    folder_model = MODEL
    template_name = "finance/time_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.folder_action = Action.CHANGE if "entry_pk" in kwargs else Action.ADD
        return super().dispatch(request, *args, **kwargs)

    def entry(self) -> TimeEntry:
        if "entry_pk" not in self.kwargs:
            entry = TimeEntry(project=self.project)
            entry.user_id = self.request.user.pk  # type: ignore[assignment]
            return entry
        entry = get_object_or_404(
            scope(
                self.request.user,
                TimeEntry.objects.filter(project=self.project),
                Action.CHANGE,
            ),
            pk=self.kwargs["entry_pk"],
        )
        entry.project = self.project
        return entry

    def choose_person(self) -> bool:
        return can(self.request.user, Action.EXPORT, MODEL, project=self.project)

    def form(self, entry, data=None):
        return TimeEntryForm(
            data,
            instance=entry,
            project=self.project,
            choose_person=self.choose_person(),
        )

    def context(self, form, entry) -> dict[str, Any]:
        return self.costs_context(form=form, entry=entry)

    def get(self, request, pk, entry_pk=None):
        entry = self.entry()
        return render(
            request, self.template_name, self.context(self.form(entry), entry)
        )

    def post(self, request, pk, entry_pk=None):
        entry = self.entry()
        form = self.form(entry, request.POST)
        if not form.is_valid():
            return render(
                request, self.template_name, self.context(form, entry), status=400
            )
        entry = form.save(commit=False)
        entry.project = self.project
        if not self.choose_person() and entry.user_id is None:
            entry.user_id = request.user.pk
        try:
            if entry.pk:
                services.update_time_entry(entry, form.cleaned_data.get("version"))
            else:
                services.create_time_entry(entry)
        except StaleVersion as stale:
            return conflict_response(
                request,
                self.template_name,
                self.context(form, entry),
                form,
                stale.current,
            )
        except services.CostError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.message
            )
            return render(
                request, self.template_name, self.context(form, entry), status=400
            )
        messages.success(request, _("Saved."))
        return redirect("finance:time_list", pk=pk)


class TimeDeleteView(CostsMixin, View):
    folder_model = MODEL
    folder_action = Action.DELETE

    def entry(self) -> TimeEntry:
        return get_object_or_404(
            scope(
                self.request.user,
                TimeEntry.objects.filter(project=self.project),
                Action.DELETE,
            ),
            pk=self.kwargs["entry_pk"],
        )

    def get(self, request, pk, entry_pk):
        context = self.costs_context(
            record=self.entry(),
            cancel_url="finance:time_list",
            question=_("Delete this time entry?"),
        )
        return render(request, "finance/time_confirm_delete.html", context)

    def post(self, request, pk, entry_pk):
        services.delete_time_entry(self.entry())
        messages.success(request, _("Time entry deleted."))
        return redirect("finance:time_list", pk=pk)


class TimeExportView(CostsMixin, View):
    folder_model = MODEL
    folder_action = Action.EXPORT

    def get(self, request, pk):
        entries, _filters = filtered_entries(
            request.user, self.project, request.GET, Action.EXPORT
        )
        entries = entries.select_related("user", "task").order_by("worked_on", "pk")
        task_label = task_labeller(request.user, self.project, entries)
        header = [
            _("Date"),
            _("Person"),
            _("WBS task"),
            _("Hours"),
            _("Billable"),
            _("Cost"),
            _("Billing amount"),
            _("Currency"),
            _("Note"),
        ]
        rows = (
            [
                e.worked_on,
                str(e.user),
                task_label(e.task),
                e.hours,
                _("yes") if e.billable else _("no"),
                e.cost_amount,
                e.bill_amount,
                e.currency,
                e.note,
            ]
            for e in entries.iterator(chunk_size=2000)
        )
        return export_response(request, f"time-{self.project.code}", header, rows)
