"""``contains_q`` finds exactly the rows of Django's substring lookups; on PostgreSQL
through the bigram indexes of migration reports 0007."""

import pytest
from django.db import connection

from clientfolio.clients.models import Client, Contact
from clientfolio.core.bigrams import bigrams
from clientfolio.core.textsearch import contains_q
from tests.clients.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db

NAMES = ["张伟", "客户经理张", "户客户", "ZHANG Wei", "zhangwei", "客", "Straße"]
WORDS = ["张伟", "客户", "户客户", "zhang", "ANG W", "客", "e", "ss", "不存在"]


@pytest.fixture
def contacts():
    client = ClientFactory(name="琥珀数据")
    return [ContactFactory(client=client, name=name) for name in NAMES]


@pytest.mark.parametrize("word", WORDS)
def test_it_finds_what_icontains_finds(contacts, word):
    found = Contact.objects.filter(contains_q(connection.vendor, "name", word))
    plain = Contact.objects.filter(name__icontains=word)

    assert set(found) == set(plain)


@pytest.mark.parametrize("word", ["琥珀", "珀数", "琥", "数据x"])
def test_it_finds_what_contains_finds_in_a_lower_case_column(contacts, word):
    found = Client.objects.filter(
        contains_q(connection.vendor, "search_text", word, case_insensitive=False)
    )

    assert set(found) == set(Client.objects.filter(search_text__contains=word))


postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the bigram index is PostgreSQL's"
)


@postgresql
def test_the_database_computes_the_bigrams_as_the_specification_does():
    texts = ["", "客", "客户经理", "aaa", "S00421 · 智能客服", "Ünïcode ß"]
    with connection.cursor() as cursor:
        for text in texts:
            cursor.execute("SELECT clientfolio_bigrams(%s)", [text])
            (value,) = cursor.fetchone()
            assert set(value) == bigrams(text), text


@postgresql
@pytest.mark.parametrize(
    ("model", "field", "case_insensitive", "index"),
    [
        (Contact, "name", True, "reports_bigram_contact_name"),
        (Client, "search_text", False, "reports_bigram_client"),
    ],
)
def test_the_filter_is_answered_from_its_index(model, field, case_insensitive, index):
    # The bigram test alone: with the substring test the planner may pick pg_trgm's
    # index instead, and this is about the expression matching the bigram index.
    (test, _substring) = contains_q(
        "postgresql", field, "客户", case_insensitive=case_insensitive
    ).children
    queryset = model.objects.filter(test).order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()

    assert index in plan
