"""Services of the client library: every write pages, API and imports share."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from clientfolio.clients import services
from clientfolio.clients.models import Client, Contact, Contract, Payment
from clientfolio.core.locking import StaleVersion
from tests.clients.factories import (
    ClientFactory,
    ContactFactory,
    ContractFactory,
    PaymentFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 30)


def test_create_client_stores_lower_case_search_text_with_contacts_and_digits():
    # when a client is created with a contact
    client = ClientFactory(
        name="上海云帆信息科技有限公司 ABC",
        contacts=[Contact(name="张伟", phone="138-1234-5678", email="Zhang@YunFan.cn")],
    )

    # then its search text holds name, contact name, phone (also digits only), e-mail
    text = client.search_text
    assert "上海云帆信息科技有限公司 abc" in text
    assert "张伟" in text
    assert "138-1234-5678" in text
    assert "13812345678" in text
    assert "zhang@yunfan.cn" in text


def test_create_client_stores_a_pinyin_sort_key():
    assert ClientFactory(name="腾讯").name_sort == "teng xun"
    assert ClientFactory(name="Zoom Video").name_sort == "zoom video"


def test_chinese_names_sort_by_pinyin_among_latin_names():
    # given clients with Chinese and Latin names, created in a scrambled order
    for name in ["腾讯", "Zoom", "阿里", "百度", "Apple", "Cisco"]:
        ClientFactory(name=name)

    # then the default ordering interleaves them by pinyin
    assert list(Client.objects.values_list("name", flat=True)) == [
        "阿里",
        "Apple",
        "百度",
        "Cisco",
        "腾讯",
        "Zoom",
    ]


def test_create_client_makes_the_first_contact_primary_when_none_is_marked():
    client = ClientFactory(contacts=[Contact(name="甲"), Contact(name="乙")])
    assert list(
        client.contacts.filter(is_primary=True).values_list("name", flat=True)
    ) == ["甲"]


def test_create_client_keeps_only_the_first_of_several_primary_contacts():
    client = ClientFactory(
        contacts=[
            Contact(name="甲"),
            Contact(name="乙", is_primary=True),
            Contact(name="丙", is_primary=True),
        ]
    )
    assert list(
        client.contacts.filter(is_primary=True).values_list("name", flat=True)
    ) == ["乙"]


def test_saving_a_new_primary_contact_demotes_the_old_one():
    # given a client whose primary contact is 甲
    client = ClientFactory(contacts=[Contact(name="甲")])

    # when another contact is saved as primary
    services.save_record(Contact(client=client, name="乙", is_primary=True))

    # then only 乙 is primary
    assert list(
        client.contacts.filter(is_primary=True).values_list("name", flat=True)
    ) == ["乙"]


def test_saving_a_contact_refreshes_the_client_search_text():
    # given a client
    client = ClientFactory(name="腾讯")

    # when a contact is added, then it is searchable; when deleted, no longer
    contact = ContactFactory(client=client, name="马化腾", phone="0755-86013388")
    assert Client.objects.search("马化腾").get() == client
    assert Client.objects.search("075586013388").get() == client
    services.delete_record(contact)
    assert not Client.objects.search("马化腾").exists()


def test_create_client_creates_missing_tags_and_reuses_existing_ones():
    first = ClientFactory(tags=["重点", "华东"])
    second = ClientFactory(tags=["重点 ", "", "华南"])
    assert sorted(t.name for t in first.tags.all()) == ["华东", "重点"]
    assert sorted(t.name for t in second.tags.all()) == ["华南", "重点"]
    assert first.tags.get(name="重点") == second.tags.get(name="重点")


def test_update_client_with_a_stale_version_writes_nothing():
    # given a client that was saved by someone else
    client = ClientFactory(name="百度", tags=["旧"])
    services.update_client(Client.objects.get(pk=client.pk), 1)

    # when we save our rename based on version 1
    client.name = "百度在线"
    with pytest.raises(StaleVersion):
        services.update_client(client, 1, tags=["新"])

    # then neither name nor tags changed
    stored = Client.objects.get(pk=client.pk)
    assert stored.name == "百度"
    assert [t.name for t in stored.tags.all()] == ["旧"]


def test_update_client_refreshes_the_sort_key_and_search_text():
    client = ClientFactory(name="百度")
    client.name = "阿里巴巴"
    services.update_client(client, client.version)
    stored = Client.objects.get(pk=client.pk)
    assert stored.name_sort == "a li ba ba"
    assert "阿里巴巴" in stored.search_text


def _pay(client, amount, received_on, currency="CNY"):
    contract = ContractFactory(client=client, currency=currency)
    return Payment.objects.create(
        contract=contract, amount=Decimal(amount), received_on=received_on
    )


def test_recompute_tiers_sums_payments_of_the_trailing_twelve_months():
    # given one client paid 1,000,000 CNY this year, one 250,000, one only in USD
    # (no exchange rate entered yet), one long ago and one with a payment dated in the
    # future
    a = ClientFactory(name="A客户")
    b = ClientFactory(name="B客户")
    usd = ClientFactory(name="美元客户")
    old = ClientFactory(name="老客户")
    future = ClientFactory(name="未来客户")
    _pay(a, "600000", TODAY)
    _pay(a, "400000", TODAY - timedelta(days=364))
    _pay(b, "250000", TODAY - timedelta(days=30))
    _pay(usd, "5000000", TODAY, currency="USD")
    _pay(old, "5000000", TODAY - timedelta(days=365))
    _pay(future, "5000000", TODAY + timedelta(days=1))

    # when tiers are recomputed for that day
    changed = services.recompute_tiers(today=TODAY)

    # then only payments inside the window that can be counted in CNY count
    tiers = dict(Client.objects.values_list("name", "tier_computed"))
    assert tiers == {
        "A客户": "A",
        "B客户": "B",
        "美元客户": "C",
        "老客户": "C",
        "未来客户": "C",
    }
    assert changed == 2


def test_payments_in_other_currencies_count_at_the_exchange_rate():
    # given a client paid 40,000 USD and 10,000 EUR, with rates USD→CNY 7.1 and
    # EUR→CNY 7.8 entered before that day
    from clientfolio.finance.models import ExchangeRate

    client = ClientFactory(name="外币客户")
    ExchangeRate.objects.create(
        from_currency="USD", to_currency="CNY", rate="7.1", valid_from="2025-01-01"
    )
    ExchangeRate.objects.create(
        from_currency="EUR", to_currency="CNY", rate="7.8", valid_from="2025-01-01"
    )
    _pay(client, "40000", TODAY, currency="USD")
    _pay(client, "10000", TODAY, currency="EUR")

    # when tiers are recomputed: 284,000 + 78,000 = 362,000 CNY
    services.recompute_tiers(today=TODAY)

    # then the client is in tier B (200,000 ≤ total < 1,000,000)
    assert Client.objects.get(pk=client.pk).tier_computed == "B"


def test_recompute_tiers_can_be_limited_to_some_clients():
    a = ClientFactory()
    b = ClientFactory()
    _pay(a, "300000", TODAY)
    _pay(b, "300000", TODAY)
    Client.objects.update(tier_computed="C")

    services.recompute_tiers([a.pk], today=TODAY)

    assert Client.objects.get(pk=a.pk).tier_computed == "B"
    assert Client.objects.get(pk=b.pk).tier_computed == "C"


def test_recording_a_payment_updates_the_tier_at_once():
    client = ClientFactory()
    contract = ContractFactory(client=client, amount=Decimal("2000000"))
    PaymentFactory(contract=contract, amount=Decimal("1200000"))
    assert Client.objects.get(pk=client.pk).tier_computed == "A"


def test_a_tier_override_wins_over_the_computed_tier():
    client = ClientFactory(tier_override="A")
    assert client.tier == "A"
    assert client.tier_is_overridden
    assert Client.objects.with_tier().get(pk=client.pk).effective_tier == "A"


def test_archive_hides_a_client_and_restore_brings_it_back():
    client = ClientFactory()

    services.archive_client(client)
    assert not Client.objects.current().filter(pk=client.pk).exists()
    assert Client.objects.archived().filter(pk=client.pk).exists()
    assert client.version == 2

    services.restore_client(client)
    assert Client.objects.current().filter(pk=client.pk).exists()
    assert Client.objects.get(pk=client.pk).version == 3


def test_purge_refuses_a_client_that_is_not_archived():
    client = ClientFactory()
    with pytest.raises(ValueError, match="archived"):
        services.purge_client(client)
    assert Client.objects.filter(pk=client.pk).exists()


def test_purge_destroys_an_archived_client_with_everything_it_owns(client_record):
    services.archive_client(client_record)
    services.purge_client(client_record)
    assert not Client.objects.filter(name="上海云帆信息科技有限公司").exists()
    assert not Contact.objects.exists()
    assert not Contract.objects.exists()
    assert not Payment.objects.exists()


def test_likely_duplicates_match_name_ignoring_case_and_spaces():
    client = ClientFactory(name="Yunfan Tech")
    assert list(Client.objects.likely_duplicates(name=" yunfan tech ")) == [client]
    assert not Client.objects.likely_duplicates(name="Yunfan").exists()


def test_likely_duplicates_match_a_contact_phone_or_email(client_record):
    assert list(Client.objects.likely_duplicates(phones=["13812345678"])) == [
        client_record
    ]
    assert list(Client.objects.likely_duplicates(emails=["LI.NA@yunfan.cn"])) == [
        client_record
    ]
    assert not Client.objects.likely_duplicates(phones=[""], emails=[""]).exists()


def test_likely_duplicates_list_each_client_once_and_can_exclude_one(client_record):
    matches = Client.objects.likely_duplicates(
        name=client_record.name,
        phones=["13812345678", "021-55551234"],
        emails=["zhang.wei@yunfan.cn"],
    )
    assert list(matches) == [client_record]
    assert not Client.objects.likely_duplicates(
        name=client_record.name, exclude_pk=client_record.pk
    ).exists()


def test_nothing_to_compare_means_no_duplicates(client_record):
    assert not Client.objects.likely_duplicates().exists()
