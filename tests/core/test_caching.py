"""The cross-request caches (core.caching): a change by one user is seen on the very next
request of another, whatever the write path."""

import pytest
from django.test import Client
from django.urls import reverse

from clientfolio.core.permissions import Action, can
from clientfolio.projects.models import Membership, ProjectRole
from tests.comms.factories import ActionItemFactory, CommRecordFactory
from tests.core.factories import UserFactory


def _folder(project):
    return reverse("projects:project_detail", kwargs={"pk": project.pk})


@pytest.mark.parametrize("write", ["delete", "queryset_delete", "update", "cascade"])
def test_a_revoked_membership_is_not_served_from_the_cache(project, write):
    # given a member whose roles were read (and cached) by a request
    user = UserFactory(role="staff")
    membership = Membership.objects.create(project=project, user=user, role="member")
    browser = Client()
    browser.force_login(user)
    assert browser.get(_folder(project)).status_code == 200
    # when the membership goes, through each write path
    if write == "delete":
        membership.delete()
    elif write == "queryset_delete":
        Membership.objects.filter(pk=membership.pk).delete()
    elif write == "update":
        Membership.objects.filter(pk=membership.pk).update(role="viewer")
    else:
        user.delete()
        return
    # then the next request knows it
    response = browser.get(_folder(project))
    if write == "update":
        assert response.context["project_role"] == ProjectRole.VIEWER.label
        fresh = type(user).objects.get(pk=user.pk)
        assert not can(fresh, Action.CHANGE, "schedule.task", project=project)
    else:
        assert response.status_code == 404


def test_the_tab_counts_follow_every_write(project, as_persona):
    browser = as_persona("project_manager")
    record = CommRecordFactory(project=project)
    item = ActionItemFactory(record=record)
    tabs = browser.get(_folder(project)).context["tabs"]
    assert [t["count"] for t in tabs if "communication" in t["url"]] == [1]
    item.status = "done"
    item.save()
    tabs = browser.get(_folder(project)).context["tabs"]
    assert [t["count"] for t in tabs if "communication" in t["url"]] == [0]
    ActionItemFactory(record=record)
    record.delete()
    tabs = browser.get(_folder(project)).context["tabs"]
    assert [t["count"] for t in tabs if "communication" in t["url"]] == [0]


def test_the_client_count_follows_a_new_client(as_persona):
    from tests.clients.factories import ClientFactory

    browser = as_persona("staff")
    before = browser.get(reverse("clients:client_list")).context["page"].paginator.count
    ClientFactory()
    after = browser.get(reverse("clients:client_list")).context["page"].paginator.count
    assert after == before + 1
