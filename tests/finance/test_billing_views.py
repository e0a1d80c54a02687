"""Invoice pages and the finance overview: rendering, forms, actions, query counts."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from clientfolio.clients.models import Payment
from clientfolio.finance import billing
from clientfolio.finance.models import Invoice
from tests.finance.billing_factories import draft, issued, line

pytestmark = pytest.mark.django_db


@pytest.fixture
def pm(as_persona):
    return as_persona("project_manager")


def _url(name, project, invoice=None):
    kwargs = {"pk": project.pk}
    if invoice is not None:
        kwargs["invoice_pk"] = invoice.pk
    return reverse(f"finance:{name}", kwargs=kwargs)


def test_the_list_shows_totals_and_the_overdue_badge(
    project, pm, django_assert_max_num_queries
):
    # given an overdue invoice, a paid one and a draft
    late = issued(project, "LATE", issued_on=date(2020, 1, 1), due_on=date(2020, 1, 31))
    paid = issued(project, "PAID", issued_on=date(2026, 11, 1))
    billing.record_payment(paid, paid.total, date(2026, 11, 2))
    draft(project, "DRAFT")
    for n in range(10):
        draft(project, f"MORE-{n}")

    # when the manager opens the list
    with django_assert_max_num_queries(16):
        response = pm.get(_url("invoice_list", project))

    # then every invoice is listed, the late one marked overdue, with totals per currency
    body = response.content.decode()
    assert response.status_code == 200
    assert "LATE" in body
    assert "PAID" in body
    assert "MORE-9" in body
    assert "ti-alarm" in body
    assert "1 overdue" in body
    assert response.context["totals"][0]["outstanding"] == late.total


def test_the_status_filter(project, pm):
    issued(project, "LATE", issued_on=date(2020, 1, 1), due_on=date(2020, 1, 31))
    draft(project, "DRAFT")
    response = pm.get(_url("invoice_list", project) + "?status=overdue")
    assert [i.number for i in response.context["invoices"]] == ["LATE"]
    response = pm.get(_url("invoice_list", project) + "?status=draft")
    assert [i.number for i in response.context["invoices"]] == ["DRAFT"]


def test_create_a_draft_with_lines(project, pm):
    contract = project.client.contracts.get()
    response = pm.get(_url("invoice_create", project))
    assert response.status_code == 200
    data = {
        "number": "INV-NEW",
        "contract": contract.pk,
        "currency": "CNY",
        "tax_rate": "6",
        "notes": "",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-0-description": "需求调研",
        "lines-0-quantity": "2",
        "lines-0-unit_price": "1000",
        "lines-1-description": "部署",
        "lines-1-quantity": "1",
        "lines-1-unit_price": "333.33",
        "lines-2-description": "",
        "lines-2-quantity": "",
        "lines-2-unit_price": "",
    }
    response = pm.post(_url("invoice_create", project), data)
    assert response.status_code == 302
    invoice = Invoice.objects.get(number="INV-NEW")
    assert invoice.total == Decimal("2473.33")
    assert invoice.lines.count() == 2


def test_a_duplicate_number_is_a_form_error(project, pm):
    draft(project, "INV-DUP")
    data = {
        "number": "INV-DUP",
        "contract": project.client.contracts.get().pk,
        "currency": "CNY",
        "tax_rate": "6",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-description": "x",
        "lines-0-quantity": "1",
        "lines-0-unit_price": "1",
    }
    response = pm.post(_url("invoice_create", project), data)
    assert response.status_code == 400
    assert "INV-DUP is already used" in response.content.decode()
    assert Invoice.objects.count() == 1


def test_a_bad_line_is_a_form_error(project, pm):
    data = {
        "number": "INV-BAD",
        "contract": project.client.contracts.get().pk,
        "currency": "CNY",
        "tax_rate": "6",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-description": "x",
        "lines-0-quantity": "0",
        "lines-0-unit_price": "-1",
    }
    response = pm.post(_url("invoice_create", project), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "The quantity must be greater than zero." in body
    assert "The unit price cannot be negative." in body
    assert not Invoice.objects.exists()


def test_edit_a_draft_and_a_stale_edit(project, pm):
    invoice = draft(project, "INV-E")
    response = pm.get(_url("invoice_edit", project, invoice))
    assert response.status_code == 200
    assert "实施服务" in response.content.decode()
    data = {
        "number": "INV-E",
        "contract": invoice.contract_id,
        "currency": "CNY",
        "tax_rate": "0",
        "version": invoice.version,
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-description": "改",
        "lines-0-quantity": "1",
        "lines-0-unit_price": "50",
    }
    assert pm.post(_url("invoice_edit", project, invoice), data).status_code == 302
    invoice.refresh_from_db()
    assert invoice.total == Decimal("50.00")
    response = pm.post(_url("invoice_edit", project, invoice), data)  # old version
    assert response.status_code == 409


def test_issue_pay_and_see_it_in_the_detail(project, pm, django_assert_max_num_queries):
    invoice = draft(project, "INV-P")
    response = pm.post(
        _url("invoice_issue", project, invoice),
        {"version": invoice.version, "issued_on": "2026-11-01"},
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == "issued"
    assert invoice.due_on == date(2026, 12, 1)
    response = pm.post(
        _url("invoice_payment", project, invoice),
        {"amount": "500", "received_on": "2026-11-05", "method": "bank"},
    )
    assert response.status_code == 302
    with django_assert_max_num_queries(14):
        response = pm.get(_url("invoice_detail", project, invoice))
    body = response.content.decode()
    assert "Partly paid" in body
    assert "¥560.00" in body  # outstanding


def test_a_payment_larger_than_due_is_refused_on_the_page(project, pm):
    invoice = issued(project, "INV-X")
    response = pm.post(
        _url("invoice_payment", project, invoice),
        {"amount": "5000", "received_on": "2026-11-05", "method": "bank"},
    )
    assert response.status_code == 400
    assert "A payment larger than what is due" in response.content.decode()
    assert not Payment.objects.filter(invoice=invoice).exists()


def test_void_and_delete_payment(project, pm):
    invoice = issued(project, "INV-V")
    payment = billing.record_payment(invoice, Decimal("10"), date(2026, 11, 5))
    url = reverse(
        "finance:payment_delete",
        kwargs={"pk": project.pk, "invoice_pk": invoice.pk, "payment_pk": payment.pk},
    )
    assert pm.post(url).status_code == 302
    response = pm.post(
        _url("invoice_void", project, invoice),
        {"version": Invoice.objects.get(pk=invoice.pk).version, "reason": "重开"},
    )
    assert response.status_code == 302
    assert Invoice.objects.get(pk=invoice.pk).status == "void"


def test_exports(project, pm):
    issued(project, "=CMD")
    response = pm.get(_url("invoice_export", project) + "?format=csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    assert "'=CMD" in text
    response = pm.get(_url("invoice_export", project) + "?format=xlsx")
    assert response.content[:2] == b"PK"


def test_the_line_row(project, pm):
    response = pm.get(_url("invoice_line_row", project) + "?index=3")
    assert 'name="lines-3-description"' in response.content.decode()


def test_the_overview_page(project, pm, django_assert_max_num_queries):
    issued(project, "INV-O", lines=[line(unit_price="1000")])
    with django_assert_max_num_queries(30):
        response = pm.get(_url("overview", project))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="finance-charts"' in body
    assert "No baseline" in body
    assert "¥1,060.00" in body


def test_the_client_page_lists_invoices_and_the_payments_invoice(
    project, as_persona, client_record
):
    # given an overdue invoice with a payment recorded in the project
    invoice = issued(
        project, "INV-C", issued_on=date(2020, 1, 1), due_on=date(2020, 1, 31)
    )
    billing.record_payment(invoice, Decimal("100"), date(2020, 2, 1))
    url = reverse("clients:client_detail", args=[client_record.pk])

    # when the project manager opens the client
    body = as_persona("project_manager").get(url).content.decode()

    # then the invoice is listed (overdue) and the payment names its invoice
    assert 'data-testid="client-invoices"' in body
    assert body.count("INV-C") >= 2
    assert "Overdue" in body

    # and the client owner who is not on the project sees the payment, not the invoice list
    body = as_persona("staff").get(url).content.decode()
    assert 'data-testid="client-invoices"' not in body
