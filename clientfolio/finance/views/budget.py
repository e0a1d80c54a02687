"""The project's budget: lines by cost category with totals and what was spent against
them (approved expenses, and time for labor), add, edit, delete and export."""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action, can
from clientfolio.core.relations import hide_unseen
from clientfolio.core.views import conflict_response
from clientfolio.finance import services
from clientfolio.finance.forms import BudgetLineForm
from clientfolio.finance.models import BudgetLine, CostCategory, Expense, TimeEntry
from clientfolio.finance.views.costs_common import (
    CostsMixin,
    export_response,
    task_labeller,
    total_in,
)

__all__ = [
    "BudgetDeleteView",
    "BudgetExportView",
    "BudgetFormView",
    "BudgetListView",
]

MODEL = "finance.budgetline"
WARN_AT = Decimal("0.9")


class BudgetListView(CostsMixin, View):
    folder_model = MODEL

    def get(self, request, pk):
        lines = list(
            BudgetLine.objects.filter(project=self.project)
            .select_related("task")
            .order_by("category", "pk")
        )
        hide_unseen(request.user, lines, "task", project=self.project)
        table = services.rate_table()
        spent: dict[str, list[tuple[Decimal, str]]] = defaultdict(list)
        for category, currency, amount in (
            Expense.objects.filter(project=self.project, status=Expense.Status.APPROVED)
            .values_list("category", "currency")
            .annotate(total=Sum("amount"))
        ):
            spent[category].append((amount, currency))
        for currency, amount in (
            TimeEntry.objects.filter(project=self.project)
            .values_list("currency")
            .annotate(total=Sum("cost_amount"))
        ):
            spent[CostCategory.LABOR].append((amount, currency))
        groups = []
        for value, label in CostCategory.choices:
            rows = [line for line in lines if line.category == value]
            budget = total_in([(line.amount, line.currency) for line in rows], table)
            actual = total_in(spent.get(value, []), table)
            if not rows and not actual:
                continue
            ratio = (
                actual / budget
                if budget and actual is not None and budget > 0
                else None
            )
            groups.append(
                {
                    "value": value,
                    "label": label,
                    "lines": rows,
                    "budget": budget,
                    "actual": actual,
                    "percent": round(ratio * 100) if ratio is not None else None,
                    "warn": ratio is not None and ratio >= WARN_AT,
                }
            )
        context = self.costs_context(
            groups=groups,
            total_budget=total_in([(ln.amount, ln.currency) for ln in lines], table),
            total_actual=total_in(
                [pair for pairs in spent.values() for pair in pairs], table
            ),
            can_add=can(request.user, Action.ADD, MODEL, project=self.project),
            can_change=can(request.user, Action.CHANGE, MODEL, project=self.project),
            can_delete=can(request.user, Action.DELETE, MODEL, project=self.project),
            can_export=can(request.user, Action.EXPORT, MODEL, project=self.project),
        )
        return render(request, "finance/budget_list.html", context)


class BudgetFormView(CostsMixin, View):
    """Add a line (no ``line_pk``) or edit one."""

    folder_model = MODEL
    template_name = "finance/budget_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.folder_action = Action.CHANGE if "line_pk" in kwargs else Action.ADD
        return super().dispatch(request, *args, **kwargs)

    def line(self) -> BudgetLine:
        if "line_pk" not in self.kwargs:
            return BudgetLine(project=self.project)
        return get_object_or_404(
            BudgetLine.objects.filter(project=self.project), pk=self.kwargs["line_pk"]
        )

    def context(self, form, line) -> dict[str, Any]:
        return self.costs_context(form=form, line=line)

    def get(self, request, pk, line_pk=None):
        line = self.line()
        form = BudgetLineForm(instance=line, project=self.project)
        return render(request, self.template_name, self.context(form, line))

    def post(self, request, pk, line_pk=None):
        line = self.line()
        form = BudgetLineForm(request.POST, instance=line, project=self.project)
        if not form.is_valid():
            return render(
                request, self.template_name, self.context(form, line), status=400
            )
        line = form.save(commit=False)
        line.project = self.project
        try:
            if line.pk:
                services.update_budget_line(line, form.cleaned_data.get("version"))
            else:
                services.create_budget_line(line)
        except StaleVersion as stale:
            return conflict_response(
                request,
                self.template_name,
                self.context(form, line),
                form,
                stale.current,
            )
        except services.CostError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.message
            )
            return render(
                request, self.template_name, self.context(form, line), status=400
            )
        messages.success(request, _("Saved."))
        return redirect("finance:budget_list", pk=pk)


class BudgetDeleteView(CostsMixin, View):
    folder_model = MODEL
    folder_action = Action.DELETE

    def line(self) -> BudgetLine:
        return get_object_or_404(
            BudgetLine.objects.filter(project=self.project), pk=self.kwargs["line_pk"]
        )

    def get(self, request, pk, line_pk):
        context = self.costs_context(
            record=self.line(),
            cancel_url="finance:budget_list",
            question=_("Delete this budget line?"),
        )
        return render(request, "finance/budget_confirm_delete.html", context)

    def post(self, request, pk, line_pk):
        line = self.line()
        name = str(line)
        services.delete_budget_line(line)
        messages.success(request, _("%(name)s deleted.") % {"name": name})
        return redirect("finance:budget_list", pk=pk)


class BudgetExportView(CostsMixin, View):
    folder_model = MODEL
    folder_action = Action.EXPORT

    def get(self, request, pk):
        lines = (
            BudgetLine.objects.filter(project=self.project)
            .select_related("task")
            .order_by("category", "pk")
        )
        task_label = task_labeller(request.user, self.project, lines)
        header = [
            _("Category"),
            _("WBS task"),
            _("Description"),
            _("Amount"),
            _("Currency"),
            _("Notes"),
        ]
        rows = (
            [
                line.get_category_display(),
                task_label(line.task),
                line.description,
                line.amount,
                line.currency,
                line.notes,
            ]
            for line in lines.iterator(chunk_size=2000)
        )
        return export_response(request, f"budget-{self.project.code}", header, rows)
