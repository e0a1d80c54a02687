"""Contracts and payments received are money: administrators, the client's account owner
and the manager and finance people of the client's projects see and change them; for
everyone else they do not exist (404 on the API and the pages, nothing written)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from clientfolio.clients.models import Contract, Payment
from clientfolio.core.permissions import Action, can, scope
from clientfolio.finance import billing
from clientfolio.finance.models import Invoice
from tests.core.factories import UserFactory
from tests.finance.billing_factories import issued

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "No Payment matches the given query."}


@pytest.fixture
def outsider(db):
    """A staff user on no project who does not own the client."""
    return UserFactory(username="outsider")


@pytest.fixture
def paid_invoice(project, accountant):
    """The shared project's invoice, paid in full by one payment."""
    invoice = issued(project)
    billing.record_payment(invoice, invoice.total, date(2026, 11, 5))
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    return invoice


@pytest.fixture
def outsider_api(outsider):
    from rest_framework.test import APIClient

    from tests.conftest import _signed_in

    return _signed_in(outsider, APIClient)


def test_a_staff_user_on_no_project_cannot_change_a_payment_and_the_invoice_stays_paid(
    outsider_api, paid_invoice
):
    # given a payment that pays an invoice in full
    payment = paid_invoice.payments.get()

    # when a staff user on no project (not the account owner) changes its amount
    response = outsider_api.patch(
        f"/api/v1/payments/{payment.pk}/",
        {"amount": "1.00", "version": payment.version},
        format="json",
    )

    # then the payment does not exist for them and the invoice is still paid
    assert response.status_code == 404
    assert response.json() == {"detail": "No Payment matches the given query."}
    payment.refresh_from_db()
    assert payment.amount == paid_invoice.total
    paid_invoice.refresh_from_db()
    assert paid_invoice.status == Invoice.Status.PAID


def test_a_plain_member_cannot_delete_a_payment_and_the_invoice_stays_paid(
    api_as, paid_invoice
):
    # given a payment of the member's project
    payment = paid_invoice.payments.get()

    # when a plain member deletes it
    response = api_as("member").delete(f"/api/v1/payments/{payment.pk}/")

    # then it is refused as if it did not exist, and the invoice is still paid
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert Payment.objects.filter(pk=payment.pk).exists()
    paid_invoice.refresh_from_db()
    assert paid_invoice.status == Invoice.Status.PAID


def test_a_staff_outsider_cannot_delete_a_contract(outsider_api, client_record):
    # given the client's contract with a payment
    contract = client_record.contracts.get()

    # when a staff user who neither owns the client nor works on its projects deletes it
    response = outsider_api.delete(f"/api/v1/contracts/{contract.pk}/")

    # then it does not exist for them and the contract and its payment remain
    assert response.status_code == 404
    assert response.json() == {"detail": "No Contract matches the given query."}
    assert Contract.objects.filter(pk=contract.pk).exists()
    assert Payment.objects.filter(contract=contract).count() == 1


def test_an_outsider_lists_no_contracts_and_no_payments(outsider_api, paid_invoice):
    # when a staff outsider lists contracts and payments
    contracts = outsider_api.get("/api/v1/contracts/")
    payments = outsider_api.get("/api/v1/payments/")

    # then both lists are empty
    assert contracts.status_code == 200
    assert contracts.json()["count"] == 0
    assert payments.status_code == 200
    assert payments.json()["count"] == 0


def test_an_unknown_payment_and_one_outside_scope_get_the_same_answer(
    outsider_api, paid_invoice
):
    # given a payment outside the outsider's scope and an id that does not exist
    payment = paid_invoice.payments.get()
    missing = Payment.objects.order_by("-pk").first().pk + 1000

    # when the outsider reads both
    hidden = outsider_api.get(f"/api/v1/payments/{payment.pk}/")
    unknown = outsider_api.get(f"/api/v1/payments/{missing}/")

    # then the answers are the same
    assert (hidden.status_code, hidden.json()) == (unknown.status_code, unknown.json())
    assert hidden.status_code == 404


@pytest.mark.parametrize("persona", ["staff", "admin", "project_manager", "accountant"])
def test_the_owner_admins_and_the_projects_finance_people_read_payments(
    persona, api_as, paid_invoice
):
    # given the client owned by "staff", and a payment of the shared project's invoice
    payment = paid_invoice.payments.get()

    # when one of them reads the payment
    response = api_as(persona).get(f"/api/v1/payments/{payment.pk}/")

    # then they see it
    assert response.status_code == 200
    assert response.json()["amount"] == str(paid_invoice.total)


def test_the_accountant_changes_a_payment_of_their_project(api_as, paid_invoice):
    # given a payment of the accountant's project
    payment = paid_invoice.payments.get()

    # when the accountant corrects its note
    response = api_as("accountant").patch(
        f"/api/v1/payments/{payment.pk}/",
        {"note": "已核对", "version": payment.version},
        format="json",
    )

    # then it is saved
    assert response.status_code == 200, response.content
    assert response.json()["note"] == "已核对"


def test_a_payment_of_another_projects_invoice_is_hidden_from_this_projects_manager(
    project, paid_invoice, client_record, admin
):
    # given a second project of the same client with its own manager
    from clientfolio.projects import services as project_services
    from clientfolio.projects.models import Project

    other_manager = UserFactory(username="other-pm")
    project_services.create_project(
        Project(name="二期", client=client_record, manager=other_manager),
        user=other_manager,
    )
    payment = paid_invoice.payments.get()

    # then the second project's manager sees the client's contracts and the payments
    # without an invoice, but not the payment of the first project's invoice
    assert scope(other_manager, Contract.objects.all()).count() == 1
    visible = set(scope(other_manager, Payment.objects.all()))
    assert payment not in visible
    assert Payment.objects.filter(invoice__isnull=True).get() in visible
    assert not can(other_manager, Action.CHANGE, payment)


def test_a_staff_user_cannot_add_a_payment_to_a_contract_outside_scope(
    outsider_api, client_record
):
    # given the client's contract, outside the outsider's scope
    contract = client_record.contracts.get()
    before = Payment.objects.count()

    # when the outsider records a payment on it
    response = outsider_api.post(
        "/api/v1/payments/",
        {"contract": contract.pk, "received_on": "2026-11-05", "amount": "10.00"},
        format="json",
    )

    # then the contract does not exist for them and nothing is written
    assert response.status_code == 400
    assert response.json() == {
        "contract": [f'Invalid pk "{contract.pk}" - object does not exist.']
    }
    assert Payment.objects.count() == before


def test_a_staff_user_cannot_add_a_contract_to_a_client_they_do_not_own(
    outsider_api, client_record
):
    # when a staff user who neither owns the client nor works on its projects adds a
    # contract to it
    response = outsider_api.post(
        "/api/v1/contracts/",
        {
            "client": client_record.pk,
            "number": "YF-2026-009",
            "title": "三期",
            "amount": "1000.00",
        },
        format="json",
    )

    # then it is refused and nothing is written
    assert response.status_code == 403
    assert not Contract.objects.filter(number="YF-2026-009").exists()


# --- pages -----------------------------------------------------------------------------------


def test_the_client_page_hides_the_money_from_an_outsider(
    outsider, client_record, paid_invoice
):
    from django.test import Client as BrowserClient

    from tests.conftest import _signed_in

    # when a staff outsider opens the client
    browser = _signed_in(outsider, BrowserClient)
    response = browser.get(reverse("clients:client_detail", args=[client_record.pk]))

    # then the page shows the client but no contract, payment or invoice
    assert response.status_code == 200
    body = response.content.decode()
    assert client_record.name in body
    assert "YF-2025-001" not in body
    assert paid_invoice.number not in body
    assert 'id="contracts"' not in body
    assert 'id="payments"' not in body


def test_the_client_page_shows_the_money_to_the_projects_accountant(
    as_persona, client_record, paid_invoice
):
    # when the shared project's accountant opens the client
    response = as_persona("accountant").get(
        reverse("clients:client_detail", args=[client_record.pk])
    )

    # then the contract and the invoice are listed
    body = response.content.decode()
    assert "YF-2025-001" in body
    assert paid_invoice.number in body


def test_an_outsider_cannot_edit_or_delete_a_payment_on_the_page(
    outsider, client_record, paid_invoice
):
    from django.test import Client as BrowserClient

    from tests.conftest import _signed_in

    # given a payment of the client
    payment = paid_invoice.payments.get()
    browser = _signed_in(outsider, BrowserClient)
    kwargs = {"pk": client_record.pk, "kind": "payments", "record_pk": payment.pk}

    # when the outsider opens its form and deletes it
    edit = browser.get(reverse("clients:record_edit", kwargs=kwargs))
    delete = browser.post(reverse("clients:record_delete", kwargs=kwargs))

    # then both are 404 and the payment remains
    assert edit.status_code == 404
    assert delete.status_code == 404
    payment.refresh_from_db()
    assert payment.amount == Decimal(paid_invoice.total)
