"""Finance pages: costs (budget, expenses, time, rates) and billing (invoices, payments,
the project's finance overview) are routed by their own modules."""

from clientfolio.finance import urls_billing, urls_costs

app_name = "finance"

urlpatterns = [*urls_costs.urlpatterns, *urls_billing.urlpatterns]
