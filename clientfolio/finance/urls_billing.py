"""Billing pages: the finance overview (the folder's Finance tab), invoices, payments."""

from django.urls import URLPattern, path

from clientfolio.finance.views import invoices, overview

PROJECT = "projects/<int:pk>/finance/"
INVOICES = f"{PROJECT}invoices/"
INVOICE = f"{INVOICES}<int:invoice_pk>/"

urlpatterns: list[URLPattern] = [
    path(PROJECT, overview.OverviewView.as_view(), name="overview"),
    path(f"{PROJECT}alerts/", overview.AlertsView.as_view(), name="overview_alerts"),
    path(INVOICES, invoices.InvoiceListView.as_view(), name="invoice_list"),
    path(
        f"{INVOICES}new/", invoices.InvoiceCreateView.as_view(), name="invoice_create"
    ),
    path(
        f"{INVOICES}line-row/",
        invoices.InvoiceLineRowView.as_view(),
        name="invoice_line_row",
    ),
    path(
        f"{INVOICES}export/",
        invoices.InvoiceExportView.as_view(),
        name="invoice_export",
    ),
    path(INVOICE, invoices.InvoiceDetailView.as_view(), name="invoice_detail"),
    path(f"{INVOICE}edit/", invoices.InvoiceEditView.as_view(), name="invoice_edit"),
    path(f"{INVOICE}issue/", invoices.InvoiceIssueView.as_view(), name="invoice_issue"),
    path(f"{INVOICE}void/", invoices.InvoiceVoidView.as_view(), name="invoice_void"),
    path(
        f"{INVOICE}payments/",
        invoices.PaymentCreateView.as_view(),
        name="invoice_payment",
    ),
    path(
        f"{INVOICE}payments/<int:payment_pk>/delete/",
        invoices.PaymentDeleteView.as_view(),
        name="payment_delete",
    ),
]
