"""Pages of the client library: list, search, filters, detail, forms, exports, records."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from clientfolio.clients import services
from clientfolio.clients.models import (
    Client,
    Contact,
    Contract,
    Feedback,
    FollowUp,
    Payment,
    Requirement,
)
from clientfolio.core.models import Tag
from tests.clients.factories import (
    ClientFactory,
    ContactFactory,
    ContractFactory,
    FeedbackFactory,
    FollowUpFactory,
    PaymentFactory,
    RequirementFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("clients:client_list")
CREATE = reverse("clients:client_create")


def names(response):
    return [client.name for client in response.context["page"].object_list]


def detail_url(client):
    return reverse("clients:client_detail", args=[client.pk])


# --- list: search, filters, sorting, pagination ---------------------------------------------


def test_searching_a_chinese_substring_finds_the_client(staff_browser, client_record):
    # given 上海云帆信息科技有限公司 and another client
    ClientFactory(name="北京星河贸易有限公司")

    # when staff search for 云帆
    response = staff_browser.get(LIST, {"q": "云帆"})

    # then only that client is listed
    assert response.status_code == 200
    assert names(response) == ["上海云帆信息科技有限公司"]
    assert "上海云帆信息科技有限公司" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["13812345678", "138 1234 5678".replace(" ", ""), "LI.NA@yunfan.cn", "李娜"],
)
def test_searching_a_contact_phone_email_or_name_finds_the_client(
    staff_browser, client_record, query
):
    ClientFactory(name="北京星河贸易有限公司")
    response = staff_browser.get(LIST, {"q": query})
    assert names(response) == ["上海云帆信息科技有限公司"]


def test_a_search_that_matches_nothing_says_so(staff_browser, client_record):
    response = staff_browser.get(LIST, {"q": "不存在的公司"})
    assert names(response) == []
    assert "No clients match these filters" in response.content.decode()


@pytest.fixture
def assorted(staff, admin):
    """Five clients that differ in status, tier, owner, industry and tags."""
    return {
        "lost": ClientFactory(name="丢失客户", status="lost"),
        "override": ClientFactory(name="手动A客户", tier_override="A"),
        "admins": ClientFactory(name="管理员的客户", owner=admin),
        "finance": ClientFactory(name="金融客户", industry="finance"),
        "tagged": ClientFactory(name="华南客户", tags=["华南"]),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "lost"}, ["丢失客户"]),
        ({"tier": "A"}, ["手动A客户"]),
        ({"industry": "finance"}, ["金融客户"]),
        ({"tag": "华南"}, ["华南客户"]),
    ],
)
def test_filters_narrow_the_list(staff_browser, assorted, params, expected):
    response = staff_browser.get(LIST, params)
    assert response.status_code == 200
    assert names(response) == expected


def test_the_tier_filter_uses_the_computed_tier_when_not_overridden(
    staff_browser, assorted
):
    # given a client whose payments make it tier B, and one overridden from B to C
    paying = ClientFactory(name="付款客户")
    PaymentFactory(contract=ContractFactory(client=paying), amount=Decimal("300000"))
    demoted = ClientFactory(name="降级客户", tier_override="C")
    PaymentFactory(contract=ContractFactory(client=demoted), amount=Decimal("300000"))

    # then tier B lists the paying client but not the demoted one
    assert names(staff_browser.get(LIST, {"tier": "B"})) == ["付款客户"]
    assert "降级客户" in names(staff_browser.get(LIST, {"tier": "C"}))


def test_the_owner_filter_lists_that_account_managers_clients(
    staff_browser, assorted, admin
):
    response = staff_browser.get(LIST, {"owner": admin.pk})
    assert names(response) == ["管理员的客户"]


def test_archived_clients_are_listed_only_when_asked_for(staff_browser, assorted):
    services.archive_client(assorted["lost"])
    assert "丢失客户" not in names(staff_browser.get(LIST))
    assert names(staff_browser.get(LIST, {"archived": "true"})) == ["丢失客户"]


def test_the_list_sorts_by_pinyin_and_can_reverse(staff_browser):
    for name in ["腾讯", "Zoom", "阿里", "百度", "Apple"]:
        ClientFactory(name=name)
    assert names(staff_browser.get(LIST)) == ["阿里", "Apple", "百度", "腾讯", "Zoom"]
    assert names(staff_browser.get(LIST, {"sort": "-name"})) == [
        "Zoom",
        "腾讯",
        "百度",
        "Apple",
        "阿里",
    ]


def test_the_list_sorts_by_tier(staff_browser, assorted):
    first = names(staff_browser.get(LIST, {"sort": "tier"}))[0]
    assert first == "手动A客户"


def test_the_list_is_paginated(staff_browser):
    # given 30 clients
    _bulk_clients(30)

    # when the second page of 25 is requested
    response = staff_browser.get(LIST, {"page": 2, "per_page": 25})

    # then it shows the last 5 and says so
    assert len(names(response)) == 5
    assert response.context["page"].paginator.count == 30
    assert "Showing 26–30 of 30" in response.content.decode()


def test_an_unknown_page_size_falls_back_to_25(staff_browser):
    _bulk_clients(30)
    response = staff_browser.get(LIST, {"per_page": "9999"})
    assert len(names(response)) == 25


def test_an_htmx_request_gets_only_the_table(staff_browser, client_record):
    response = staff_browser.get(LIST, {"q": "云帆"}, headers={"hx-request": "true"})
    body = response.content.decode()
    assert "上海云帆信息科技有限公司" in body
    assert "<html" not in body


# --- query counts ----------------------------------------------------------------------------


def _bulk_clients(count, owner=None):
    """``count`` clients with a contact and a tag each, created in a few queries."""
    tag, _ = Tag.objects.get_or_create(name="批量")
    clients = Client.objects.bulk_create(
        [
            Client(name=f"批量客户{i:04d}", owner=owner, status="active")
            for i in range(count)
        ]
    )
    Contact.objects.bulk_create(
        [
            Contact(client=c, name=f"联系人{i}", phone=f"139{i:08d}", is_primary=True)
            for i, c in enumerate(clients)
        ]
    )
    Client.tags.through.objects.bulk_create(
        [Client.tags.through(client_id=c.pk, tag_id=tag.pk) for c in clients]
    )
    services.refresh_derived([c.pk for c in clients])
    return clients


def _queries(fn):
    with CaptureQueriesContext(connection) as captured:
        response = fn()
    assert response.status_code == 200
    return len(captured)


# session, user, row count, the filter form's owner and tag choices (count and rows each),
# the page of rows, their tags; filtering by tag adds the lookup of that tag.
@pytest.mark.parametrize(
    ("params", "expected_queries"),
    [({}, 9), ({"q": "批量", "sort": "-tier", "tag": "批量"}, 10)],
)
def test_the_list_page_needs_the_same_queries_for_10_and_500_clients(
    staff_browser, staff, django_assert_num_queries, params, expected_queries
):
    # given 10 clients
    _bulk_clients(10, owner=staff)
    with django_assert_num_queries(expected_queries):
        assert staff_browser.get(LIST, {**params, "per_page": 100}).status_code == 200

    # when there are 500
    _bulk_clients(490, owner=staff)

    # then the page of 100 needs exactly as many queries
    with django_assert_num_queries(expected_queries):
        response = staff_browser.get(LIST, {**params, "per_page": 100})
    assert len(names(response)) == 100


def _fill(client, count, staff):
    contracts = []
    for _i in range(count):
        ContactFactory(client=client)
        RequirementFactory(client=client)
        contract = ContractFactory(client=client)
        contracts.append(contract)
        PaymentFactory(contract=contract)
        FeedbackFactory(client=client)
        FollowUpFactory(client=client, owner=staff)
    return contracts


def test_the_detail_page_needs_the_same_queries_for_1_and_20_records(
    staff_browser, staff
):
    # given a client with one of each record, and one with twenty of each
    small = ClientFactory(name="小客户", owner=staff, tags=["一"])
    _fill(small, 1, staff)
    large = ClientFactory(name="大客户", owner=staff, tags=["一"])
    _fill(large, 20, staff)

    # when both detail pages are shown, then they need the same number of queries
    few = _queries(lambda: staff_browser.get(detail_url(small)))
    many = _queries(lambda: staff_browser.get(detail_url(large)))
    assert few == many


def test_the_detail_page_needs_the_same_queries_for_1_and_20_edits_of_the_client(
    staff_browser, staff
):
    # given a client edited once, and one edited twenty times (history of each edit)
    once = ClientFactory(name="改过一次", owner=staff)
    often = ClientFactory(name="改过多次", owner=staff)
    for client, edits in ((once, 1), (often, 20)):
        for i in range(edits):
            client.notes = f"第{i}次"
            services.update_client(client, client.version)

    # then both detail pages need the same number of queries
    few = _queries(lambda: staff_browser.get(detail_url(once)))
    many = _queries(lambda: staff_browser.get(detail_url(often)))
    assert few == many


def test_the_detail_page_shows_every_section(staff_browser, client_record):
    body = staff_browser.get(detail_url(client_record)).content.decode()
    for text in [
        "上海云帆信息科技有限公司",
        "张伟",
        "移动端审批",
        "YF-2025-001",
        "响应太慢",
        "季度回访",
    ]:
        assert text in body


# --- create ----------------------------------------------------------------------------------


def client_form(**overrides):
    data = {
        "kind": "company",
        "name": "深圳前海微众科技有限公司",
        "status": "prospect",
        "industry": "finance",
        "source": "",
        "owner": "",
        "tier_override": "",
        "website": "",
        "address": "",
        "notes": "",
        "tags_text": "银行，重点",
        "contacts-TOTAL_FORMS": "2",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "20",
    }
    data.update(overrides)
    return data


def test_a_client_is_created_with_inline_contacts_and_tags(staff_browser):
    # when staff submit a new client with two contacts
    response = staff_browser.post(
        CREATE,
        client_form(
            **{
                "contacts-0-name": "陈静",
                "contacts-0-phone": "+86 755 8888 1234",
                "contacts-0-email": "Chen.Jing@WeBank.cn",
                "contacts-1-name": "刘洋",
                "contacts-1-is_primary": "on",
            }
        ),
    )

    # then the client exists with both contacts, 刘洋 primary, and the tags split
    client = Client.objects.get(name="深圳前海微众科技有限公司")
    assert response.status_code == 302
    assert response["Location"] == detail_url(client)
    assert sorted(client.contacts.values_list("name", "is_primary")) == [
        ("刘洋", True),
        ("陈静", False),
    ]
    assert client.contacts.get(name="陈静").email == "chen.jing@webank.cn"
    assert sorted(t.name for t in client.tags.all()) == ["重点", "银行"]
    assert "微众" in client.search_text
    assert client.name_sort.startswith("shen zhen")


def test_two_primary_contacts_are_refused(staff_browser):
    response = staff_browser.post(
        CREATE,
        client_form(
            **{
                "contacts-0-name": "陈静",
                "contacts-0-is_primary": "on",
                "contacts-1-name": "刘洋",
                "contacts-1-is_primary": "on",
            }
        ),
    )
    assert response.status_code == 400
    assert "Only one contact can be the primary contact." in response.content.decode()
    assert not Client.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-email", "Enter a valid email address."),
        ("phone", "call me maybe", "Enter a phone number"),
    ],
)
def test_an_invalid_contact_email_or_phone_is_refused_and_nothing_is_saved(
    staff_browser, field, value, message
):
    response = staff_browser.post(
        CREATE,
        client_form(**{"contacts-0-name": "陈静", f"contacts-0-{field}": value}),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert "Nothing was saved" in body or value in body
    assert not Client.objects.exists()
    assert not Contact.objects.exists()


def test_a_client_without_a_name_is_refused(staff_browser):
    response = staff_browser.post(CREATE, client_form(name="   "))
    assert response.status_code == 400
    assert not Client.objects.exists()


def test_a_likely_duplicate_is_shown_and_saved_only_when_confirmed(
    staff_browser, client_record
):
    # when staff create a client with the same name
    data = client_form(name="上海云帆信息科技有限公司")
    response = staff_browser.post(CREATE, data)

    # then they are warned, offered the confirmation, and nothing is saved
    body = response.content.decode()
    assert response.status_code == 409
    assert "confirm_duplicate" in body
    assert detail_url(client_record) in body
    assert Client.objects.count() == 1

    # when they confirm it is not a duplicate, then it is saved
    response = staff_browser.post(CREATE, {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert Client.objects.filter(name="上海云帆信息科技有限公司").count() == 2


def test_a_contact_phone_already_on_file_is_a_likely_duplicate(
    staff_browser, client_record
):
    response = staff_browser.post(
        CREATE,
        client_form(**{"contacts-0-name": "某人", "contacts-0-phone": "13812345678"}),
    )
    assert response.status_code == 409
    assert Client.objects.count() == 1


def test_the_duplicate_check_fragment_lists_matching_clients(
    staff_browser, client_record
):
    response = staff_browser.get(
        reverse("clients:duplicate_check"), {"contacts-0-email": "ZHANG.WEI@yunfan.cn"}
    )
    assert "上海云帆信息科技有限公司" in response.content.decode()
    response = staff_browser.get(
        reverse("clients:duplicate_check"),
        {"name": client_record.name, "exclude": client_record.pk},
    )
    assert "上海云帆信息科技有限公司" not in response.content.decode()


# --- edit ------------------------------------------------------------------------------------


def edit_data(client, **overrides):
    data = {
        "kind": client.kind,
        "name": client.name,
        "status": client.status,
        "industry": client.industry,
        "source": client.source,
        "owner": client.owner_id or "",
        "tier_override": client.tier_override,
        "website": client.website,
        "address": client.address,
        "notes": client.notes,
        "tags_text": "",
        "version": client.version,
    }
    data.update(overrides)
    return data


def test_an_edit_based_on_the_current_version_is_saved(staff_browser, client_record):
    url = reverse("clients:client_edit", args=[client_record.pk])
    response = staff_browser.post(
        url, edit_data(client_record, status="dormant", tags_text="新标签")
    )
    assert response.status_code == 302
    client_record.refresh_from_db()
    assert client_record.status == "dormant"
    assert client_record.version == 2
    assert [t.name for t in client_record.tags.all()] == ["新标签"]


def test_a_stale_edit_is_refused_with_409_keeping_the_users_input(
    staff_browser, client_record
):
    # given the edit form was loaded at version 1, then someone else saved the client
    url = reverse("clients:client_edit", args=[client_record.pk])
    assert 'name="version" value="1"' in staff_browser.get(url).content.decode()
    theirs = Client.objects.get(pk=client_record.pk)
    theirs.notes = "别人的备注"
    services.update_client(theirs, 1)

    # when we save our change based on version 1
    response = staff_browser.post(
        url, edit_data(client_record, notes="我的备注内容", version=1)
    )

    # then it is refused, our input is shown, and the stored client is theirs
    body = response.content.decode()
    assert response.status_code == 409
    assert "我的备注内容" in body
    assert "别人的备注" in body
    stored = Client.objects.get(pk=client_record.pk)
    assert (stored.notes, stored.version) == ("别人的备注", 2)
    # and the form now carries the current version, so saving again is a choice
    assert 'name="version" value="2"' in body


def test_renaming_to_an_existing_name_asks_for_confirmation(
    staff_browser, client_record
):
    other = ClientFactory(name="北京星河贸易有限公司")
    url = reverse("clients:client_edit", args=[other.pk])
    response = staff_browser.post(url, edit_data(other, name=client_record.name))
    assert response.status_code == 409
    assert Client.objects.get(pk=other.pk).name == "北京星河贸易有限公司"


# --- archive, restore, purge ------------------------------------------------------------------


def test_a_client_is_archived_and_restored(staff_browser, client_record):
    archive = reverse("clients:client_archive", args=[client_record.pk])
    restore = reverse("clients:client_restore", args=[client_record.pk])

    assert staff_browser.post(archive).status_code == 302
    client_record.refresh_from_db()
    assert client_record.is_archived
    assert "上海云帆信息科技有限公司" not in names(staff_browser.get(LIST))

    assert staff_browser.post(restore).status_code == 302
    client_record.refresh_from_db()
    assert not client_record.is_archived


def test_an_admin_can_purge_only_an_archived_client(admin_browser, client_record):
    url = reverse("clients:client_purge", args=[client_record.pk])

    # when the client is not archived, then it is kept
    response = admin_browser.post(url)
    assert response.status_code == 302
    assert Client.objects.filter(pk=client_record.pk).exists()

    # when it is archived, then it is destroyed with its records
    services.archive_client(client_record)
    response = admin_browser.post(url)
    assert response.status_code == 302
    assert not Client.objects.filter(pk=client_record.pk).exists()
    assert not Contact.objects.exists()


def test_staff_cannot_purge(staff_browser, client_record):
    services.archive_client(client_record)
    url = reverse("clients:client_purge", args=[client_record.pk])
    assert staff_browser.post(url).status_code == 403
    assert Client.objects.filter(pk=client_record.pk).exists()


def test_an_unknown_client_is_404(staff_browser):
    assert (
        staff_browser.get(reverse("clients:client_detail", args=[987654])).status_code
        == 404
    )


# --- export ----------------------------------------------------------------------------------


def test_the_csv_export_starts_with_a_bom_and_keeps_chinese(
    staff_browser, client_record
):
    response = staff_browser.get(reverse("clients:client_export"))
    content = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert "上海云帆信息科技有限公司" in text
    assert "张伟" in text
    assert "李娜" in text


def test_the_export_follows_the_list_filters(staff_browser, client_record):
    ClientFactory(name="北京星河贸易有限公司")
    response = staff_browser.get(reverse("clients:client_export"), {"q": "星河"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "北京星河贸易有限公司" in text
    assert "上海云帆信息科技有限公司" not in text


def test_the_xlsx_export_opens_in_openpyxl(staff_browser, client_record):
    response = staff_browser.get(reverse("clients:client_export"), {"format": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "Client name"
    assert [row[0] for row in rows[1:]] == ["上海云帆信息科技有限公司"] * 2
    assert {row[11] for row in rows[1:]} == {"张伟", "李娜"}


def test_the_export_defuses_formulas(staff_browser):
    ClientFactory(name="=HYPERLINK(1)")
    text = b"".join(
        staff_browser.get(reverse("clients:client_export")).streaming_content
    ).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


# --- records of a client ----------------------------------------------------------------------


def record_data(kind, client):
    today = timezone.localdate().isoformat()
    contract = client.contracts.first()
    contact = client.contacts.first()
    return {
        "contacts": {"name": "周敏", "phone": "13900001111", "email": "zhou@yunfan.cn"},
        "requirements": {"title": "数据迁移", "priority": "high", "status": "open"},
        "contracts": {
            "number": "YF-2025-002",
            "title": "二期",
            "amount": "50000.00",
            "currency": "CNY",
            "status": "active",
            "starts_on": "2025-01-01",
            "ends_on": "2025-12-31",
        },
        "payments": {
            "contract": contract.pk,
            "received_on": today,
            "amount": "2000.00",
            "method": "bank",
        },
        "feedback": {
            "kind": "praise",
            "severity": "low",
            "channel": "wechat",
            "received_on": today,
            "contact": contact.pk,
            "subject": "上线顺利",
            "status": "open",
        },
        "follow-ups": {
            "planned_on": today,
            "purpose": "上线回访",
            "contact": contact.pk,
        },
    }[kind]


KINDS = {
    "contacts": (Contact, "name"),
    "requirements": (Requirement, "title"),
    "contracts": (Contract, "title"),
    "payments": (Payment, "note"),
    "feedback": (Feedback, "subject"),
    "follow-ups": (FollowUp, "purpose"),
}


def _records(model, client):
    if model is Payment:
        return Payment.objects.filter(contract__client=client)
    return model.objects.filter(client=client)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_record_is_created_edited_and_deleted(
    staff_browser, client_record, kind
):
    model, text_field = KINDS[kind]
    records = _records(model, client_record)
    before = records.count()
    data = record_data(kind, client_record)

    # when a record is created
    url = reverse("clients:record_create", args=[client_record.pk, kind])
    assert staff_browser.get(url).status_code == 200
    response = staff_browser.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].endswith(f"#{kind}")
    assert records.count() == before + 1
    record = records.order_by("-id").first()

    # when it is edited based on its version
    edit = reverse("clients:record_edit", args=[client_record.pk, kind, record.pk])
    assert staff_browser.get(edit).status_code == 200
    response = staff_browser.post(
        edit, {**data, text_field: "已修改", "version": record.version}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert getattr(record, text_field) == "已修改"
    assert record.version == 2

    # when it is edited again based on the old version, then 409 and nothing is written
    response = staff_browser.post(edit, {**data, text_field: "过时的", "version": 1})
    assert response.status_code == 409
    record.refresh_from_db()
    assert getattr(record, text_field) == "已修改"

    # when it is deleted
    delete = reverse("clients:record_delete", args=[client_record.pk, kind, record.pk])
    assert staff_browser.post(delete).status_code == 302
    assert records.count() == before


def test_an_unknown_record_kind_is_404(staff_browser, client_record):
    url = reverse("clients:record_create", args=[client_record.pk, "secrets"])
    assert staff_browser.get(url).status_code == 404


def test_a_record_of_another_client_is_404(staff_browser, client_record):
    other = ClientFactory(name="别的客户")
    contact = client_record.contacts.first()
    url = reverse("clients:record_edit", args=[other.pk, "contacts", contact.pk])
    assert staff_browser.get(url).status_code == 404
    url = reverse("clients:record_delete", args=[other.pk, "contacts", contact.pk])
    assert staff_browser.post(url).status_code == 404
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_a_contract_number_already_used_is_refused(staff_browser, client_record):
    data = {**record_data("contracts", client_record), "number": "YF-2025-001"}
    url = reverse("clients:record_create", args=[client_record.pk, "contracts"])
    response = staff_browser.post(url, data)
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert client_record.contracts.count() == 1


def test_a_contract_ending_before_it_starts_is_refused(staff_browser, client_record):
    data = {
        **record_data("contracts", client_record),
        "starts_on": "2025-06-01",
        "ends_on": "2025-05-01",
    }
    url = reverse("clients:record_create", args=[client_record.pk, "contracts"])
    response = staff_browser.post(url, data)
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()
    assert client_record.contracts.count() == 1


@pytest.mark.parametrize("kind", ["contracts", "payments"])
@pytest.mark.parametrize("amount", ["-100.00", "0"])
def test_a_negative_or_zero_amount_is_refused(
    staff_browser, client_record, kind, amount
):
    model, _ = KINDS[kind]
    before = _records(model, client_record).count()
    data = {**record_data(kind, client_record), "amount": amount}
    url = reverse("clients:record_create", args=[client_record.pk, kind])
    response = staff_browser.post(url, data)
    assert response.status_code == 400
    assert "The amount must be greater than zero." in response.content.decode()
    assert _records(model, client_record).count() == before


def test_a_payment_on_another_clients_contract_is_refused(staff_browser, client_record):
    foreign = ContractFactory(client=ClientFactory(name="别的客户"))
    data = {**record_data("payments", client_record), "contract": foreign.pk}
    url = reverse("clients:record_create", args=[client_record.pk, "payments"])
    assert staff_browser.post(url, data).status_code == 400
    assert not foreign.payments.exists()


def test_feedback_naming_another_clients_contact_is_refused(
    staff_browser, client_record
):
    stranger = ContactFactory(client=ClientFactory(name="别的客户"))
    data = {**record_data("feedback", client_record), "contact": stranger.pk}
    url = reverse("clients:record_create", args=[client_record.pk, "feedback"])
    assert staff_browser.post(url, data).status_code == 400
    assert client_record.feedback.count() == 1


def test_a_follow_up_whose_next_date_is_before_it_is_refused(
    staff_browser, client_record
):
    data = {
        **record_data("follow-ups", client_record),
        "next_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
    }
    url = reverse("clients:record_create", args=[client_record.pk, "follow-ups"])
    response = staff_browser.post(url, data)
    assert response.status_code == 400
    assert client_record.follow_ups.count() == 1


def test_a_new_primary_contact_from_the_page_demotes_the_old_one(
    staff_browser, client_record
):
    data = {**record_data("contacts", client_record), "is_primary": "on"}
    url = reverse("clients:record_create", args=[client_record.pk, "contacts"])
    assert staff_browser.post(url, data).status_code == 302
    assert list(
        client_record.contacts.filter(is_primary=True).values_list("name", flat=True)
    ) == ["周敏"]


def test_a_payment_recorded_on_the_page_changes_the_tier(staff_browser, client_record):
    # given a tier C client
    assert client_record.tier == "C"

    # when a payment of 1,200,000 CNY is recorded
    data = {**record_data("payments", client_record), "amount": "1200000.00"}
    url = reverse("clients:record_create", args=[client_record.pk, "payments"])
    assert staff_browser.post(url, data).status_code == 302

    # then the client is tier A, and deleting the payment brings it back to C
    client_record.refresh_from_db()
    assert client_record.tier == "A"
    payment = Payment.objects.get(amount=Decimal("1200000.00"))
    delete = reverse(
        "clients:record_delete", args=[client_record.pk, "payments", payment.pk]
    )
    staff_browser.post(delete)
    client_record.refresh_from_db()
    assert client_record.tier == "C"


def test_a_contact_added_on_the_page_becomes_searchable(staff_browser, client_record):
    url = reverse("clients:record_create", args=[client_record.pk, "contacts"])
    staff_browser.post(url, record_data("contacts", client_record))
    assert names(staff_browser.get(LIST, {"q": "13900001111"})) == [client_record.name]
