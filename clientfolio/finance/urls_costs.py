"""Cost pages: the weekly timesheet, a project's budget, expenses, time and rates, the
firm-wide rates and the exchange rates."""

from django.urls import path

from clientfolio.finance.views import budget, expenses, rates, time, timesheet

PROJECT = "projects/<int:pk>/finance/"

urlpatterns = [
    path("timesheet/", timesheet.TimesheetView.as_view(), name="timesheet"),
    # budget
    path(f"{PROJECT}budget/", budget.BudgetListView.as_view(), name="budget_list"),
    path(
        f"{PROJECT}budget/new/", budget.BudgetFormView.as_view(), name="budget_create"
    ),
    path(
        f"{PROJECT}budget/<int:line_pk>/",
        budget.BudgetFormView.as_view(),
        name="budget_edit",
    ),
    path(
        f"{PROJECT}budget/<int:line_pk>/delete/",
        budget.BudgetDeleteView.as_view(),
        name="budget_delete",
    ),
    path(
        f"{PROJECT}budget/export/",
        budget.BudgetExportView.as_view(),
        name="budget_export",
    ),
    # expenses
    path(
        f"{PROJECT}expenses/", expenses.ExpenseListView.as_view(), name="expense_list"
    ),
    path(
        f"{PROJECT}expenses/new/",
        expenses.ExpenseFormView.as_view(),
        name="expense_create",
    ),
    path(
        f"{PROJECT}expenses/<int:expense_pk>/",
        expenses.ExpenseFormView.as_view(),
        name="expense_edit",
    ),
    path(
        f"{PROJECT}expenses/<int:expense_pk>/decide/",
        expenses.ExpenseDecideView.as_view(),
        name="expense_decide",
    ),
    path(
        f"{PROJECT}expenses/<int:expense_pk>/delete/",
        expenses.ExpenseDeleteView.as_view(),
        name="expense_delete",
    ),
    path(
        f"{PROJECT}expenses/export/",
        expenses.ExpenseExportView.as_view(),
        name="expense_export",
    ),
    # time
    path(f"{PROJECT}time/", time.TimeListView.as_view(), name="time_list"),
    path(f"{PROJECT}time/new/", time.TimeFormView.as_view(), name="time_create"),
    path(
        f"{PROJECT}time/<int:entry_pk>/", time.TimeFormView.as_view(), name="time_edit"
    ),
    path(
        f"{PROJECT}time/<int:entry_pk>/delete/",
        time.TimeDeleteView.as_view(),
        name="time_delete",
    ),
    path(f"{PROJECT}time/export/", time.TimeExportView.as_view(), name="time_export"),
    # rates
    path(f"{PROJECT}rates/", rates.RateListView.as_view(), name="rate_list"),
    path(f"{PROJECT}rates/new/", rates.RateFormView.as_view(), name="rate_create"),
    path(
        f"{PROJECT}rates/<int:rate_pk>/", rates.RateFormView.as_view(), name="rate_edit"
    ),
    path(
        f"{PROJECT}rates/<int:rate_pk>/delete/",
        rates.RateDeleteView.as_view(),
        name="rate_delete",
    ),
    path(f"{PROJECT}rates/reprice/", rates.RepriceView.as_view(), name="reprice"),
    path("finance/rates/", rates.FirmRateListView.as_view(), name="firm_rates"),
    path(
        "finance/rates/new/", rates.FirmRateFormView.as_view(), name="firm_rate_create"
    ),
    path(
        "finance/rates/<int:rate_pk>/",
        rates.FirmRateFormView.as_view(),
        name="firm_rate_edit",
    ),
    path(
        "finance/rates/<int:rate_pk>/delete/",
        rates.FirmRateDeleteView.as_view(),
        name="firm_rate_delete",
    ),
    path(
        "finance/exchange-rates/",
        rates.ExchangeRateListView.as_view(),
        name="exchange_rates",
    ),
    path(
        "finance/exchange-rates/<int:rate_pk>/",
        rates.ExchangeRateEditView.as_view(),
        name="exchange_rate_edit",
    ),
]
