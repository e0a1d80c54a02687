"""Deleting a record of the client library that other records hold (a contract with
invoices, a contact who decided a change request) is refused with what holds it: a 409
in the API, a message on the page, never a 500."""

import datetime

from django.urls import reverse

from clientfolio.clients.models import Contact, Contract
from clientfolio.projects.models import ChangeRequest
from tests.finance.billing_factories import draft
from tests.projects.factories import ChangeRequestFactory


def test_the_api_answers_409_when_deleting_a_contract_with_invoices(
    project, client_record, api_as
):
    # given an invoice on the client's contract
    contract = client_record.contracts.get()
    draft(project, contract=contract)

    # when an administrator deletes the contract
    response = api_as("admin").delete(f"/api/v1/contracts/{contract.pk}/")

    # then it is refused with the kind of record that holds it, and kept
    assert response.status_code == 409, response.content
    assert response.json() == {
        "detail": "This record cannot be deleted: invoices refer to it.",
        "blocked_by": [{"kind": "finance.invoice", "name": "invoices"}],
    }
    assert "INV-2026-001" not in response.content.decode()
    assert Contract.objects.filter(pk=contract.pk).exists()


def test_the_contract_delete_page_says_what_holds_it(
    project, client_record, as_persona
):
    contract = client_record.contracts.get()
    draft(project, contract=contract)
    url = reverse(
        "clients:record_delete", args=[client_record.pk, "contracts", contract.pk]
    )

    response = as_persona("admin").post(url, follow=True)

    assert response.status_code == 200
    assert "cannot be deleted: invoices refer to it." in response.content.decode()
    assert Contract.objects.filter(pk=contract.pk).exists()


def test_a_contact_who_decided_a_change_request_cannot_be_deleted(
    project, client_record, api_as
):
    # given 张伟 approved a change request
    zhang_wei = client_record.contacts.get(name="张伟")
    change = ChangeRequestFactory(project=project, status="approved")
    ChangeRequest.objects.filter(pk=change.pk).update(
        decided_by=zhang_wei, decided_on=datetime.date(2026, 4, 2)
    )

    response = api_as("admin").delete(f"/api/v1/contacts/{zhang_wei.pk}/")

    assert response.status_code == 409, response.content
    assert response.json()["blocked_by"] == [
        {"kind": "projects.changerequest", "name": "change requests"}
    ]
    assert Contact.objects.filter(pk=zhang_wei.pk).exists()


def test_a_contact_no_record_holds_is_deleted(client_record, api_as):
    li_na = client_record.contacts.get(name="李娜")

    response = api_as("admin").delete(f"/api/v1/contacts/{li_na.pk}/")

    assert response.status_code == 204
    assert not Contact.objects.filter(pk=li_na.pk).exists()
