"""Optimistic locking: a save names the version it was based on, or nothing is written."""

import pytest

from clientfolio.clients.models import Client
from clientfolio.core.locking import StaleVersion, save_versioned
from tests.clients.factories import ClientFactory


@pytest.mark.django_db
def test_a_save_based_on_the_current_version_bumps_the_version():
    # given a client at version 1
    client = ClientFactory(name="华为")
    assert client.version == 1

    # when it is saved based on version 1
    client.notes = "新备注"
    save_versioned(client, 1)

    # then the stored row has the edit and version 2
    stored = Client.objects.get(pk=client.pk)
    assert (stored.notes, stored.version, client.version) == ("新备注", 2, 2)


@pytest.mark.django_db
def test_a_save_based_on_a_stale_version_raises_and_writes_nothing():
    # given a client that someone else saved after we loaded it
    client = ClientFactory(name="华为", notes="原始")
    theirs = Client.objects.get(pk=client.pk)
    theirs.notes = "他们的修改"
    save_versioned(theirs, 1)

    # when we save our edit based on version 1
    client.notes = "我们的修改"
    with pytest.raises(StaleVersion) as raised:
        save_versioned(client, 1)

    # then nothing of ours was written and the exception carries the current row
    stored = Client.objects.get(pk=client.pk)
    assert (stored.notes, stored.version) == ("他们的修改", 2)
    assert raised.value.current.version == 2
    assert raised.value.current.notes == "他们的修改"


@pytest.mark.django_db
def test_a_stale_save_adds_no_history_record():
    # given a client with its creation record
    client = ClientFactory(name="华为")
    count = client.history.count()

    # when a save based on a wrong version is refused
    client.notes = "不会保存"
    with pytest.raises(StaleVersion):
        save_versioned(client, 7)

    # then no history was written
    assert client.history.count() == count


@pytest.mark.django_db
def test_a_versioned_save_records_who_changed_what_in_history():
    # given a client
    client = ClientFactory(name="华为", notes="")

    # when it is saved with a change
    client.notes = "改了"
    save_versioned(client, client.version)

    # then the newest history record is a change with the new value and version
    newest = client.history.order_by("-history_date", "-history_id").first()
    assert newest.history_type == "~"
    assert (newest.notes, newest.version) == ("改了", 2)


@pytest.mark.django_db
def test_without_an_expected_version_the_instance_version_is_used():
    # given a client loaded at version 1
    client = ClientFactory(name="华为")

    # when it is saved without naming a version
    save_versioned(client, None)

    # then the version it carried was used and bumped
    assert Client.objects.get(pk=client.pk).version == 2


@pytest.mark.django_db
def test_saving_only_some_fields_still_bumps_the_version():
    # given a client
    client = ClientFactory(name="华为", notes="a", address="深圳")

    # when only the notes are saved
    client.notes = "b"
    client.address = "不会保存"
    save_versioned(client, 1, fields=["notes"])

    # then notes and version changed, the address did not
    stored = Client.objects.get(pk=client.pk)
    assert (stored.notes, stored.address, stored.version) == ("b", "深圳", 2)


@pytest.mark.django_db
def test_a_lazily_loaded_record_is_saved_through_its_model():
    # given a record behind a lazy proxy, as ``request.user`` is
    from django.utils.functional import SimpleLazyObject

    client = ClientFactory(name="华为")
    lazy = SimpleLazyObject(lambda: Client.objects.get(pk=client.pk))

    # when it is saved based on its version
    lazy.notes = "经由代理"
    save_versioned(lazy, 1)

    # then the stored row has the edit and the next version
    stored = Client.objects.get(pk=client.pk)
    assert (stored.notes, stored.version) == ("经由代理", 2)
