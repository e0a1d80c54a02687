"""The portal's cast: 张伟 of 上海云帆 signs in as ``portal_user``; 陈静 of another
client as ``other_portal_user``."""

import pytest

from clientfolio.clients.models import Contact
from tests.clients.factories import ClientFactory
from tests.conftest import _signed_in
from tests.core.factories import UserFactory
from tests.projects.factories import ProjectFactory


@pytest.fixture
def portal_contact(project, client_record):
    """张伟, a contact of the shared project's client, with a portal login."""
    contact = client_record.contacts.get(name="张伟")
    contact.portal_user = UserFactory(
        client_contact=True, username="zhang.wei", language="en"
    )
    contact.save(update_fields=["portal_user"])
    return contact


@pytest.fixture
def portal_user(portal_contact):
    return portal_contact.portal_user


@pytest.fixture
def other_contact(db):
    """陈静 of 杭州远景科技, with a project of her own."""
    client = ClientFactory(name="杭州远景科技有限公司")
    contact = Contact.objects.create(
        client=client,
        name="陈静",
        portal_user=UserFactory(client_contact=True, username="chen.jing"),
    )
    ProjectFactory(client=client, name="远景数据迁移")
    return contact


@pytest.fixture
def portal(portal_user):
    """A browser signed in as 张伟 (English)."""
    from django.test import Client as BrowserClient

    return _signed_in(portal_user, BrowserClient)


@pytest.fixture
def other_portal(other_contact):
    from django.test import Client as BrowserClient

    return _signed_in(other_contact.portal_user, BrowserClient)
