"""The personal-data pages and API (ops): administrators find, export and erase; nobody
else reaches them; bad input changes nothing."""

import json

import pytest
from django.urls import reverse

from clientfolio.clients.models import Contact
from clientfolio.ops.models import PersonalDataRecord
from tests.clients.factories import ClientFactory, ContactFactory
from tests.comms.factories import CommRecordFactory
from tests.core.factories import UserFactory
from tests.projects.factories import ProjectFactory


@pytest.fixture
def contact(db):
    client = ClientFactory(name="远航物流有限公司")
    login = UserFactory(client_contact=True, username="zhaolei")
    contact = ContactFactory(
        client=client, name="赵磊", email="zhao@yuanhang.cn", portal_user=login
    )
    CommRecordFactory(
        project=ProjectFactory(client=client), participant_contacts=[contact]
    )
    return contact


def _contact_url(name, contact):
    return reverse(name, kwargs={"pk": contact.pk})


def test_the_search_finds_a_contact_by_a_chinese_substring(
    admin_browser, contact, django_assert_num_queries
):
    ContactFactory.create_batch(3, client=contact.client)
    # session, user, the contacts found, the log; navigation asks no database
    with django_assert_num_queries(4):
        response = admin_browser.get(reverse("ops:privacy"), {"q": "赵"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "赵磊" in body
    assert "远航物流有限公司" in body
    assert "zhaolei" in body
    assert _contact_url("ops:privacy_contact", contact) in body


def test_the_contact_page_counts_what_names_them_in_constant_queries(
    admin_browser, contact, django_assert_max_num_queries
):
    url = _contact_url("ops:privacy_contact", contact)
    with django_assert_max_num_queries(120) as captured:
        response = admin_browser.get(url)
    first = len(captured)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="privacy-held"' in body
    assert "Participants (client contact)" in body
    # more records that name them do not cost more queries
    CommRecordFactory.create_batch(
        3, project=ProjectFactory(client=contact.client), participant_contacts=[contact]
    )
    with django_assert_max_num_queries(first) as again:
        admin_browser.get(url)
    assert len(again) == first


def test_the_export_is_a_json_attachment_and_is_logged(admin_browser, admin, contact):
    response = admin_browser.post(
        _contact_url("ops:privacy_export", contact), {"export-reason": "客户邮件 12-01"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="personal-data-contact-{contact.pk}-'
    )
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["contact"]["name"] == "赵磊"
    record = PersonalDataRecord.objects.get()
    assert (record.kind, record.actor, record.reason) == (
        "export",
        admin,
        "客户邮件 12-01",
    )


def test_erasing_with_the_wrong_name_changes_nothing(admin_browser, contact):
    response = admin_browser.post(
        _contact_url("ops:privacy_erase", contact),
        {"erase-reason": "申请", "erase-confirm": "赵"},
    )
    assert response.status_code == 400
    assert "This is not the contact&#x27;s name; nothing was erased." in (
        response.content.decode()
    )
    contact.refresh_from_db()
    assert contact.erased_at is None
    assert contact.name == "赵磊"
    assert not PersonalDataRecord.objects.exists()


def test_erasing_marks_the_contact_on_the_client_page(admin_browser, contact):
    response = admin_browser.post(
        _contact_url("ops:privacy_erase", contact),
        {"erase-reason": "客户来函", "erase-confirm": "赵磊"},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.erased_at is not None
    page = admin_browser.get(reverse("clients:client_detail", args=[contact.client_id]))
    body = page.content.decode()
    assert "赵磊" not in body
    assert contact.name in body
    assert "Erased" in body
    again = admin_browser.post(
        _contact_url("ops:privacy_erase", contact),
        {"erase-reason": "x", "erase-confirm": "x"},
    )
    assert again.status_code == 302
    assert PersonalDataRecord.objects.count() == 1


def test_staff_may_not_export(staff_browser, contact):
    response = staff_browser.post(_contact_url("ops:privacy_export", contact), {})
    assert response.status_code == 403
    assert not PersonalDataRecord.objects.exists()


def test_the_api_exports_erases_and_refuses_twice(admin_api, contact):
    base = f"/api/v1/personal-data/contacts/{contact.pk}/"
    exported = admin_api.get(base + "export/")
    assert exported.status_code == 200
    assert exported.json()["portal_account"]["username"] == "zhaolei"
    assert len(exported["X-Export-SHA256"]) == 64

    wrong = admin_api.post(
        base + "erase/", {"reason": "r", "confirm": "李"}, format="json"
    )
    assert wrong.status_code == 400
    assert "confirm" in wrong.json()
    assert Contact.objects.get(pk=contact.pk).erased_at is None

    done = admin_api.post(
        base + "erase/", {"reason": "来函", "confirm": "赵磊"}, format="json"
    )
    assert done.status_code == 200
    assert done.json()["kind"] == "erasure"
    assert done.json()["summary"]["login"] is True
    twice = admin_api.post(
        base + "erase/", {"reason": "来函", "confirm": "x"}, format="json"
    )
    assert twice.status_code == 409
    log = admin_api.get("/api/v1/personal-data/", {"kind": "erasure"})
    assert [row["contact_ref"] for row in log.json()["results"]] == [contact.pk]


def test_the_api_answers_404_for_an_unknown_contact(admin_api, db):
    assert (
        admin_api.get("/api/v1/personal-data/contacts/987654/export/").status_code
        == 404
    )
    assert not PersonalDataRecord.objects.exists()
