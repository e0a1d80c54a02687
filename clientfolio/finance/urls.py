"""Finance pages: costs (budget, expenses, time, rates) and billing (invoices, payments,
the project's finance overview) are routed by their own modules; applying an approved
change request is here."""

from django.urls import path

from clientfolio.finance import urls_billing, urls_costs
from clientfolio.finance.views import changes

app_name = "finance"

urlpatterns = [
    *urls_costs.urlpatterns,
    *urls_billing.urlpatterns,
    # Applying an approved change to the plan and the budget, from its page.
    path(
        "projects/<int:pk>/changes/<int:number>/apply/",
        changes.ChangeApplyView.as_view(),
        name="change_apply",
    ),
]
