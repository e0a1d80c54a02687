"""What the cost pages share: the folder frame, the finance sub-navigation (also used by
the billing pages through ``templates/finance/_subnav.html``), money totals in one
currency and the CSV/Excel responses."""

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from clientfolio.core.money import DEFAULT_CURRENCY, MissingRate, Money, RateTable
from clientfolio.core.permissions import Action, can
from clientfolio.core.relations import visible_ids
from clientfolio.finance import exports
from clientfolio.projects.folder import FolderMixin

__all__ = [
    "CostsMixin",
    "export_response",
    "finance_sections",
    "page_of",
    "task_labeller",
    "total_in",
]

# (url name, label, icon, model whose VIEW permission shows the link); links to pages
# that do not exist yet are left out.
SECTIONS = [
    (
        "finance:overview",
        pgettext_lazy("finance section", "Overview"),
        "chart-pie",
        "finance.budgetline",
    ),
    ("finance:budget_list", gettext_lazy("Budget"), "wallet", "finance.budgetline"),
    ("finance:expense_list", gettext_lazy("Expenses"), "receipt", "finance.expense"),
    (
        "finance:time_list",
        pgettext_lazy("finance section", "Time"),
        "clock-hour-4",
        "finance.timeentry",
    ),
    (
        "finance:invoice_list",
        gettext_lazy("Invoices"),
        "file-invoice",
        "finance.invoice",
    ),
    ("finance:rate_list", gettext_lazy("Rates"), "coin", "finance.rate"),
]


def finance_sections(user: Any, project: Any, current: str) -> list[dict[str, Any]]:
    """The finance pages of ``project`` the user may open, for the sub-navigation."""
    sections = []
    for name, label, icon, model in SECTIONS:
        if not can(user, Action.VIEW, model, project=project):
            continue
        try:
            url = reverse(name, kwargs={"pk": project.pk})
        except NoReverseMatch:
            continue
        active = current == name or current.startswith(name.rsplit("_", 1)[0] + "_")
        sections.append({"url": url, "label": label, "icon": icon, "active": active})
    return sections


class CostsMixin(FolderMixin):
    """Pages of one project's costs."""

    def costs_context(self, **extra: Any) -> dict[str, Any]:
        return {**self.folder_context(), **extra}


def total_in(
    amounts: Iterable[tuple[Decimal, str]],
    table: RateTable,
    on: date | None = None,
    currency: str = DEFAULT_CURRENCY,
) -> Decimal | None:
    """The sum of ``(amount, currency)`` pairs in ``currency`` at the rates of ``on``
    (today); None when a rate is missing."""
    on = on or timezone.localdate()
    try:
        return table.total(
            [Money(Decimal(a), c) for a, c in amounts], currency, on
        ).amount
    except MissingRate:
        return None


def task_labeller(user: Any, project: Any, records: Any):
    """For an export of ``records`` (budget lines, expenses, time entries): a function
    naming a record's task ("3.2 接口联调"), or "" for none or for a task of another project
    the user cannot see (left behind when it moved). One query for those."""
    from clientfolio.schedule.models import Task

    foreign = (
        records.exclude(task=None)
        .exclude(task__project=project)
        .values_list("task_id", flat=True)
        .distinct()
    )
    seen = visible_ids(user, Task, foreign)

    def label(task: Any) -> str:
        if task is None or (task.project_id != project.pk and task.pk not in seen):
            return ""
        return f"{task.wbs} {task.name}"

    return label


def page_of(request, queryset, per_page: int = 50):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def export_response(
    request, name: str, header: list[str], rows: Iterable[list[Any]]
) -> HttpResponseBase:
    """``?format=xlsx`` as an Excel workbook, otherwise CSV with a byte-order mark."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            exports.xlsx(name, header, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
        return response
    stream: Iterator[bytes] = exports.csv_stream(header, rows)
    streaming = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
    streaming["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return streaming
