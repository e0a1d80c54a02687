"""The client library's REST API: filters, versions, validation, archive, purge, tokens."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from clientfolio.clients import services
from clientfolio.clients.models import Client, Contact, Feedback, Payment
from tests.clients.factories import ClientFactory, ContactFactory, ContractFactory
from tests.core.factories import PASSWORD

pytestmark = pytest.mark.django_db

CLIENTS = "/api/v1/clients/"


def detail(client):
    return f"{CLIENTS}{client.pk}/"


def names(response):
    return [row["name"] for row in response.json()["results"]]


# --- reading ---------------------------------------------------------------------------------


def test_the_list_is_paginated_and_shows_tags_and_tier(staff_api, client_record):
    response = staff_api.get(CLIENTS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["name"] == "上海云帆信息科技有限公司"
    assert sorted(row["tags"]) == ["华东", "重点"]
    assert (row["tier"], row["version"], row["is_archived"]) == ("C", 1, False)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "云帆"}, ["上海云帆信息科技有限公司"]),
        ({"q": "li.na@yunfan.cn"}, ["上海云帆信息科技有限公司"]),
        ({"status": "lost"}, ["丢失客户"]),
        ({"tier": "A"}, ["手动A客户"]),
        ({"tag": "重点"}, ["上海云帆信息科技有限公司"]),
        ({"sort": "-name"}, ["手动A客户", "上海云帆信息科技有限公司", "丢失客户"]),
        (
            {"ordering": "-name_sort"},
            ["手动A客户", "上海云帆信息科技有限公司", "丢失客户"],
        ),
        ({}, ["丢失客户", "上海云帆信息科技有限公司", "手动A客户"]),
    ],
)
def test_the_list_can_be_filtered_and_searched(
    staff_api, client_record, params, expected
):
    ClientFactory(name="丢失客户", status="lost")
    ClientFactory(name="手动A客户", tier_override="A")
    assert names(staff_api.get(CLIENTS, params)) == expected


def test_archived_clients_are_left_out_of_the_list_unless_asked_for(
    staff_api, client_record
):
    services.archive_client(client_record)
    assert names(staff_api.get(CLIENTS)) == []
    assert names(staff_api.get(CLIENTS, {"archived": "true"})) == [client_record.name]
    # and an archived client can still be read on its own
    assert staff_api.get(detail(client_record)).json()["is_archived"] is True


def test_the_api_list_needs_the_same_queries_for_5_and_50_clients(staff_api, staff):
    def count():
        with CaptureQueriesContext(connection) as captured:
            response = staff_api.get(CLIENTS, {"page_size": 100})
        assert response.status_code == 200
        return len(captured), response.json()["count"]

    # given 5 clients with tags and an owner
    for i in range(5):
        ClientFactory(name=f"少{i}", owner=staff, tags=["甲", "乙"])
    few = count()

    # when there are 50, then the page needs as many queries
    for i in range(45):
        ClientFactory(name=f"多{i}", owner=staff, tags=["甲", "乙"])
    many = count()
    assert (few[1], many[1]) == (5, 50)
    assert few[0] == many[0]


def test_the_contract_list_needs_the_same_queries_for_1_and_20_contracts(
    staff_api, client_record
):
    def count():
        with CaptureQueriesContext(connection) as captured:
            assert staff_api.get("/api/v1/contracts/").status_code == 200
        return len(captured)

    few = count()
    for _ in range(19):
        ContractFactory(client=client_record)
    assert count() == few


# --- creating and updating ---------------------------------------------------------------------


def test_a_client_is_created(staff_api, staff):
    response = staff_api.post(
        CLIENTS,
        {
            "name": "  广州  南沙港务 ",
            "status": "active",
            "owner": staff.pk,
            "tags": ["港口"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["name"], body["version"], body["tags"]) == (
        "广州 南沙港务",
        1,
        ["港口"],
    )
    client = Client.objects.get(pk=body["id"])
    assert client.name_sort.startswith("guang zhou")
    assert client.owner == staff


def test_a_client_without_a_name_is_refused(staff_api):
    response = staff_api.post(CLIENTS, {"name": "   "}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()
    assert not Client.objects.exists()


def test_an_update_with_the_current_version_is_saved_and_bumps_it(
    staff_api, client_record
):
    response = staff_api.patch(
        detail(client_record),
        {"status": "dormant", "version": 1, "tags": ["新"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["version"], response.json()["tags"]) == (2, ["新"])
    client_record.refresh_from_db()
    assert (client_record.status, client_record.version) == ("dormant", 2)


def test_a_full_update_with_put_is_saved(staff_api, client_record):
    response = staff_api.put(
        detail(client_record),
        {"name": "上海云帆科技", "version": 1},
        format="json",
    )
    assert response.status_code == 200
    client_record.refresh_from_db()
    assert client_record.name == "上海云帆科技"
    assert "上海云帆科技" in client_record.search_text


def test_a_stale_update_is_409_and_writes_nothing(staff_api, client_record):
    # given someone else saved the client (now version 2)
    client_record.notes = "别人的"
    services.update_client(client_record, 1)

    # when we send an update based on version 1
    response = staff_api.patch(
        detail(client_record),
        {"notes": "我的", "tags": ["不该有"], "version": 1},
        format="json",
    )

    # then it is refused and nothing of ours was written
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    client_record.refresh_from_db()
    assert (client_record.notes, client_record.version) == ("别人的", 2)
    assert sorted(t.name for t in client_record.tags.all()) == ["华东", "重点"]


def test_an_update_without_a_version_is_400(staff_api, client_record):
    response = staff_api.patch(detail(client_record), {"notes": "x"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()
    client_record.refresh_from_db()
    assert client_record.notes == ""


# --- records -----------------------------------------------------------------------------------


def test_a_contact_with_an_invalid_email_is_400_with_field_errors(
    staff_api, client_record
):
    response = staff_api.post(
        "/api/v1/contacts/",
        {"client": client_record.pk, "name": "周敏", "email": "nope", "phone": "abc"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"email", "phone"}
    assert not Contact.objects.filter(name="周敏").exists()


def test_a_contact_is_created_and_a_new_primary_demotes_the_old_one(
    staff_api, client_record
):
    response = staff_api.post(
        "/api/v1/contacts/",
        {"client": client_record.pk, "name": "周敏", "is_primary": True},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert list(
        client_record.contacts.filter(is_primary=True).values_list("name", flat=True)
    ) == ["周敏"]
    assert Client.objects.search("周敏").get() == client_record


def test_a_record_for_a_client_that_does_not_exist_is_400(staff_api):
    response = staff_api.post(
        "/api/v1/contacts/", {"client": 987654, "name": "无主"}, format="json"
    )
    assert response.status_code == 400
    assert "client" in response.json()
    assert not Contact.objects.exists()


@pytest.mark.parametrize("forged", ["nonexistent", "other client's"])
def test_feedback_naming_a_forged_contact_is_400(staff_api, client_record, forged):
    contact_id = (
        987654
        if forged == "nonexistent"
        else ContactFactory(client=ClientFactory(name="别家")).pk
    )
    before = Feedback.objects.count()
    response = staff_api.post(
        "/api/v1/feedback/",
        {
            "client": client_record.pk,
            "contact": contact_id,
            "kind": "complaint",
            "channel": "phone",
            "received_on": "2025-05-01",
            "subject": "伪造",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "contact" in response.json()
    assert Feedback.objects.count() == before


def test_a_stale_record_update_is_409(staff_api, client_record):
    contact = client_record.contacts.get(name="张伟")
    url = f"/api/v1/contacts/{contact.pk}/"
    assert (
        staff_api.patch(url, {"title": "经理", "version": 1}, format="json").status_code
        == 200
    )
    response = staff_api.patch(url, {"title": "总监", "version": 1}, format="json")
    assert response.status_code == 409
    contact.refresh_from_db()
    assert (contact.title, contact.version) == ("经理", 2)


def test_a_contract_ending_before_it_starts_is_400(staff_api, client_record):
    response = staff_api.post(
        "/api/v1/contracts/",
        {
            "client": client_record.pk,
            "number": "API-1",
            "title": "反了",
            "amount": "100.00",
            "starts_on": "2025-06-01",
            "ends_on": "2025-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "ends_on" in response.json()


def test_a_negative_payment_is_400_and_a_valid_one_changes_the_tier(
    staff_api, client_record
):
    contract = client_record.contracts.get()
    url = "/api/v1/payments/"
    data = {"contract": contract.pk, "received_on": "2025-01-01", "amount": "-5.00"}
    assert staff_api.post(url, data, format="json").status_code == 400

    today = timezone.localdate().isoformat()
    data = {"contract": contract.pk, "received_on": today, "amount": "250000.00"}
    response = staff_api.post(url, data, format="json")
    assert response.status_code == 201, response.json()
    assert staff_api.get(detail(client_record)).json()["tier"] == "B"
    assert Payment.objects.filter(amount=Decimal("250000.00")).exists()


def test_the_contract_list_shows_what_was_paid(staff_api, client_record):
    row = staff_api.get("/api/v1/contracts/").json()["results"][0]
    assert Decimal(row["paid"]) == Decimal("1000.00")


def test_a_contract_without_payments_shows_zero_paid_never_null(
    staff_api, client_record
):
    # given a contract of the client with no payment yet
    contract = ContractFactory(client=client_record, number="YF-2025-002")

    # when it is read, and when another one is created
    read = staff_api.get(f"/api/v1/contracts/{contract.pk}/")
    created = staff_api.post(
        "/api/v1/contracts/",
        {
            "client": client_record.pk,
            "number": "YF-2025-003",
            "title": "二期",
            "amount": "80000.00",
        },
        format="json",
    )

    # then both answer paid 0.00, as the schema documents (a string, never null)
    assert read.status_code == 200, read.content
    assert (read.json()["number"], read.json()["paid"]) == ("YF-2025-002", "0.00")
    assert created.status_code == 201, created.content
    assert (created.json()["number"], created.json()["paid"]) == ("YF-2025-003", "0.00")


# --- archive, restore, purge ----------------------------------------------------------------------


def test_delete_archives_and_restore_brings_back(staff_api, client_record):
    assert staff_api.delete(detail(client_record)).status_code == 204
    client_record.refresh_from_db()
    assert client_record.is_archived

    response = staff_api.post(f"{detail(client_record)}restore/")
    assert response.status_code == 200
    assert response.json()["is_archived"] is False


def test_only_admins_purge_and_only_archived_clients(
    staff_api, admin_api, client_record
):
    url = f"{detail(client_record)}purge/"

    # an active client cannot be purged, even by an admin
    assert admin_api.post(url).status_code == 400

    services.archive_client(client_record)
    # staff may not purge
    assert staff_api.post(url).status_code == 403
    assert Client.objects.filter(pk=client_record.pk).exists()
    # an admin may
    assert admin_api.post(url).status_code == 204
    assert not Client.objects.filter(pk=client_record.pk).exists()


# --- authentication --------------------------------------------------------------------------------


def test_a_token_from_the_token_endpoint_authenticates(staff, client_record):
    anonymous = APIClient()
    response = anonymous.post(
        "/api/v1/auth/token/", {"username": staff.username, "password": PASSWORD}
    )
    assert response.status_code == 200
    token = response.json()["token"]

    with_token = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert names(with_token.get(CLIENTS)) == [client_record.name]


def test_wrong_credentials_get_no_token(staff):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": staff.username, "password": "wrong"}
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_a_bad_token_is_401(client_record):
    response = APIClient(HTTP_AUTHORIZATION="Token not-a-token").get(CLIENTS)
    assert response.status_code == 401


def test_anonymous_gets_401_and_no_data(client_record):
    response = APIClient().get(CLIENTS)
    assert response.status_code == 401
    assert client_record.name not in response.content.decode()


def test_a_client_contact_gets_404_and_cannot_write(api_as, client_record):
    # the staff API does not exist for client contacts (they have the portal's)
    api = api_as("client_user")
    assert api.get(CLIENTS).status_code == 404
    assert api.post(CLIENTS, {"name": "偷偷建"}, format="json").status_code == 404
    assert api.delete(detail(client_record)).status_code == 404
    client_record.refresh_from_db()
    assert not client_record.is_archived
    assert not Client.objects.filter(name="偷偷建").exists()


def test_the_schema_is_served_to_staff(staff_api):
    response = staff_api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert "/api/v1/clients/" in response.json()["paths"]
