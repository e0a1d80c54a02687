"""The project's expenses: the list with filters (members see only their own), the
submit and edit form with a receipt upload, approve / reject / submit again, delete
and export."""

from typing import Any

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core.locking import StaleVersion
from clientfolio.core.models import User
from clientfolio.core.permissions import Action, can, scope
from clientfolio.core.relations import hide_unseen
from clientfolio.core.views import conflict_response
from clientfolio.finance import services
from clientfolio.finance.forms import (
    DecisionForm,
    ExpenseFilterForm,
    ExpenseForm,
)
from clientfolio.finance.models import CostCategory, Expense
from clientfolio.finance.views.costs_common import (
    CostsMixin,
    export_response,
    page_of,
    task_labeller,
    total_in,
)

__all__ = [
    "ExpenseDecideView",
    "ExpenseDeleteView",
    "ExpenseExportView",
    "ExpenseFormView",
    "ExpenseListView",
]

MODEL = "finance.expense"


def filtered_expenses(user, project, query: QueryDict, action=Action.VIEW):
    form = ExpenseFilterForm(query)
    data = form.cleaned_data if form.is_valid() else {}
    expenses = scope(user, Expense.objects.filter(project=project), action)
    if data.get("status"):
        expenses = expenses.filter(status=data["status"])
    if data.get("category"):
        expenses = expenses.filter(category=data["category"])
    if data.get("person"):
        expenses = expenses.filter(submitted_by_id=data["person"])
    return expenses, {
        key: query.get(key, "") for key in ("status", "category", "person")
    }


class ExpenseListView(CostsMixin, View):
    folder_model = MODEL

    def get(self, request, pk):
        expenses, filters = filtered_expenses(request.user, self.project, request.GET)
        page = page_of(
            request,
            expenses.select_related("submitted_by", "decided_by", "task", "receipt"),
        )
        page.object_list = hide_unseen(
            request.user, page.object_list, "task", "receipt", project=self.project
        )
        sums = list(
            expenses.values_list("status", "currency").annotate(
                total=Sum("amount"), n=Count("pk")
            )
        )
        table = services.rate_table()
        totals = []
        for value, label in Expense.Status.choices:
            pairs = [(t, c) for s, c, t, _n in sums if s == value]
            totals.append(
                {
                    "value": value,
                    "label": label,
                    "count": sum(n for s, _c, _t, n in sums if s == value),
                    "amount": total_in(pairs, table),
                }
            )
        may_decide = services.may_decide(request.user, self.project)
        query = QueryDict(mutable=True)
        for key, value in filters.items():
            if value:
                query[key] = value
        context = self.costs_context(
            page=page,
            filters=filters,
            totals=totals,
            query=query.urlencode(),
            statuses=Expense.Status.choices,
            categories=CostCategory.choices,
            people=list(User.objects.on_team(self.project).active())
            if may_decide
            else [],
            may_decide=may_decide,
            can_add=can(request.user, Action.ADD, MODEL, project=self.project),
            can_export=can(request.user, Action.EXPORT, MODEL, project=self.project),
        )
        return render(request, "finance/expense_list.html", context)


class ExpenseFormView(CostsMixin, View):
    """Submit an expense (no ``expense_pk``) or correct one that is not approved."""

    folder_model = MODEL
    template_name = "finance/expense_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.folder_action = Action.CHANGE if "expense_pk" in kwargs else Action.ADD
        return super().dispatch(request, *args, **kwargs)

    def expense(self) -> Expense:
        if "expense_pk" not in self.kwargs:
            return Expense(project=self.project)
        expense = get_object_or_404(
            scope(
                self.request.user,
                Expense.objects.filter(project=self.project),
                Action.CHANGE,
            ),
            pk=self.kwargs["expense_pk"],
        )
        expense.project = self.project
        return expense

    def context(self, form, expense) -> dict[str, Any]:
        return self.costs_context(form=form, expense=expense)

    def get(self, request, pk, expense_pk=None):
        expense = self.expense()
        form = ExpenseForm(instance=expense, project=self.project)
        return render(request, self.template_name, self.context(form, expense))

    def post(self, request, pk, expense_pk=None):
        expense = self.expense()
        form = ExpenseForm(
            request.POST, request.FILES, instance=expense, project=self.project
        )
        if not form.is_valid():
            return render(
                request, self.template_name, self.context(form, expense), status=400
            )
        expense = form.save(commit=False)
        expense.project = self.project
        receipt = form.cleaned_data.get("receipt_file")
        try:
            if expense.pk:
                services.update_expense(
                    expense,
                    form.cleaned_data.get("version"),
                    user=request.user,
                    receipt=receipt,
                )
            else:
                services.submit_expense(expense, user=request.user, receipt=receipt)
        except StaleVersion as stale:
            return conflict_response(
                request,
                self.template_name,
                self.context(form, expense),
                form,
                stale.current,
            )
        except services.CostError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.message
            )
            return render(
                request, self.template_name, self.context(form, expense), status=400
            )
        messages.success(request, _("Expense submitted."))
        return redirect("finance:expense_list", pk=pk)


class ExpenseDecideView(CostsMixin, View):
    """POST ``decision`` = approve | reject (with a note) | resubmit."""

    folder_model = MODEL
    folder_action = Action.CHANGE

    def post(self, request, pk, expense_pk):
        expense = get_object_or_404(
            scope(
                request.user,
                Expense.objects.filter(project=self.project),
                Action.CHANGE,
            ),
            pk=expense_pk,
        )
        expense.project = self.project
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose approve or reject."))
            return redirect("finance:expense_list", pk=pk)
        decision = form.cleaned_data["decision"]
        version = form.cleaned_data.get("version")
        note = form.cleaned_data.get("decision_note", "")
        try:
            if decision == "approve":
                services.approve_expense(expense, version, user=request.user, note=note)
                messages.success(request, _("Expense approved."))
            elif decision == "reject":
                services.reject_expense(expense, version, user=request.user, note=note)
                messages.success(request, _("Expense rejected."))
            else:
                services.resubmit_expense(expense, version, actor=request.user)
                messages.success(request, _("Expense submitted again."))
        except StaleVersion:
            messages.error(
                request,
                _("Someone else changed this expense; the list now shows it as saved."),
            )
        except services.CostError as error:
            messages.error(request, error.message)
        return redirect("finance:expense_list", pk=pk)


class ExpenseDeleteView(CostsMixin, View):
    folder_model = MODEL
    folder_action = Action.DELETE

    def expense(self) -> Expense:
        return get_object_or_404(
            scope(
                self.request.user,
                Expense.objects.filter(project=self.project),
                Action.DELETE,
            ),
            pk=self.kwargs["expense_pk"],
        )

    def get(self, request, pk, expense_pk):
        context = self.costs_context(
            record=self.expense(),
            cancel_url="finance:expense_list",
            question=_("Delete this expense?"),
        )
        return render(request, "finance/expense_confirm_delete.html", context)

    def post(self, request, pk, expense_pk):
        expense = self.expense()
        try:
            services.delete_expense(expense)
        except services.CostError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(name)s deleted.") % {"name": expense})
        return redirect("finance:expense_list", pk=pk)


class ExpenseExportView(CostsMixin, View):
    folder_model = MODEL
    folder_action = Action.EXPORT

    def get(self, request, pk):
        expenses, _filters = filtered_expenses(
            request.user, self.project, request.GET, Action.EXPORT
        )
        expenses = expenses.select_related("submitted_by", "decided_by", "task")
        task_label = task_labeller(request.user, self.project, expenses)
        header = [
            _("Date"),
            _("Category"),
            _("Description"),
            _("Vendor"),
            _("Amount"),
            _("Currency"),
            _("Status"),
            _("Submitted by"),
            _("Decided by"),
            _("Decision note"),
            _("WBS task"),
        ]
        rows = (
            [
                e.spent_on,
                e.get_category_display(),
                e.description,
                e.vendor,
                e.amount,
                e.currency,
                e.get_status_display(),
                str(e.submitted_by),
                str(e.decided_by) if e.decided_by else "",
                e.decision_note,
                task_label(e.task),
            ]
            for e in expenses.iterator(chunk_size=2000)
        )
        return export_response(request, f"expenses-{self.project.code}", header, rows)
