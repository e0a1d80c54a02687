"""The invoice API: drafts with nested lines, issue, void, payments; errors and 409."""

from decimal import Decimal

import pytest

from clientfolio.clients.models import Payment
from clientfolio.finance.models import Invoice
from tests.clients.factories import ClientFactory, ContractFactory
from tests.finance.billing_factories import draft, issued

pytestmark = pytest.mark.django_db

URL = "/api/v1/invoices/"


@pytest.fixture
def api(api_as):
    return api_as("project_manager")


def _body(project, number="API-1", **extra):
    return {
        "number": number,
        "project": project.pk,
        "contract": project.client.contracts.get().pk,
        "tax_rate": "6",
        "lines": [
            {"description": "需求调研", "quantity": "2", "unit_price": "1000"},
            {"description": "部署", "quantity": "1", "unit_price": "333.33"},
        ],
        **extra,
    }


def test_create_a_draft_with_lines(project, api):
    response = api.post(URL, _body(project), format="json")
    assert response.status_code == 201, response.data
    assert response.data["total"] == "2473.33"
    assert response.data["client"] == project.client_id
    assert [x["amount"] for x in response.data["lines"]] == ["2000.00", "333.33"]


def test_a_duplicate_number_is_a_field_error(project, api):
    draft(project, "API-1")
    response = api.post(URL, _body(project), format="json")
    assert response.status_code == 400
    assert "already used" in response.data["number"][0]
    assert Invoice.objects.count() == 1


def test_a_member_may_not_create(project, api_as):
    response = api_as("member").post(URL, _body(project), format="json")
    assert response.status_code == 403
    assert not Invoice.objects.exists()


def test_update_lines_and_a_stale_version_is_409(project, api):
    invoice = draft(project, "API-U")
    url = f"{URL}{invoice.pk}/"
    body = {
        "version": invoice.version,
        "tax_rate": "0",
        "lines": [{"description": "改", "quantity": "1", "unit_price": "10"}],
    }
    response = api.patch(url, body, format="json")
    assert response.status_code == 200, response.data
    assert response.data["total"] == "10.00"
    response = api.patch(url, body, format="json")
    assert response.status_code == 409


def test_issue_pay_and_list_payments(project, api):
    invoice = draft(project, "API-P")
    url = f"{URL}{invoice.pk}/"
    response = api.post(
        f"{url}issue/",
        {"version": invoice.version, "issued_on": "2026-11-01"},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["due_on"] == "2026-12-01"
    response = api.post(
        f"{url}payments/",
        {"amount": "2000", "received_on": "2026-11-05"},
        format="json",
    )
    assert response.status_code == 400
    assert "larger than what is due" in response.data["amount"][0]
    response = api.post(
        f"{url}payments/",
        {"amount": "500", "received_on": "2026-11-05", "method": "alipay"},
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["contract"] == invoice.contract_id
    response = api.get(f"{url}payments/")
    assert response.data["count"] == 1
    assert [p["amount"] for p in response.data["results"]] == ["500.00"]
    assert api.get(url).data["status"] == "partly_paid"


def test_void_with_a_reason(project, api):
    invoice = issued(project, "API-V")
    response = api.post(
        f"{URL}{invoice.pk}/void/",
        {"version": invoice.version, "reason": "重开"},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["status"] == "void"
    response = api.post(
        f"{URL}{invoice.pk}/payments/",
        {"amount": "5", "received_on": "2026-11-05"},
        format="json",
    )
    assert response.status_code == 400
    assert not Payment.objects.filter(invoice=invoice).exists()


def test_outsiders_get_404(project, api_as):
    invoice = issued(project, "API-S")
    assert api_as("staff").get(f"{URL}{invoice.pk}/").status_code == 404
    assert api_as("member").get(f"{URL}{invoice.pk}/").status_code == 404
    assert api_as("accountant").get(f"{URL}{invoice.pk}/").status_code == 200
    assert (
        Decimal(api_as("accountant").get(URL).data["results"][0]["total"])
        == invoice.total
    )


def test_a_viewer_cannot_create_and_a_member_cannot_change_a_draft(project, api_as):
    invoice = draft(project, "API-R")

    created = api_as("viewer").post(URL, _body(project, "API-X"), format="json")
    changed = api_as("member").patch(
        f"{URL}{invoice.pk}/",
        {"notes": "改", "version": invoice.version},
        format="json",
    )

    assert (created.status_code, created.data) == (
        403,
        {"detail": "Your project role does not allow this change."},
    )
    assert changed.status_code == 404
    assert list(Invoice.objects.values_list("number", "notes")) == [("API-R", "")]


def test_a_contract_of_another_client_does_not_exist_for_an_invoice(project, api):
    elsewhere = ContractFactory(client=ClientFactory(name="别家公司"))

    response = api.post(URL, _body(project, contract=elsewhere.pk), format="json")

    assert response.status_code == 400
    assert response.data == {
        "contract": [f'Invalid pk "{elsewhere.pk}" - object does not exist.']
    }
    assert not Invoice.objects.exists()


def test_only_money_people_record_a_payment(project, api_as):
    invoice = issued(project, "API-M")
    url = f"{URL}{invoice.pk}/payments/"
    body = {"amount": "5", "received_on": "2026-11-05"}

    refused = [
        api_as(persona).post(url, body, format="json").status_code
        for persona in ("viewer", "member", "staff")
    ]

    assert refused == [404, 404, 404]
    assert not Payment.objects.filter(invoice=invoice).exists()
    response = api_as("accountant").post(url, body, format="json")
    assert response.status_code == 201, response.data
    assert Payment.objects.filter(invoice=invoice).count() == 1
