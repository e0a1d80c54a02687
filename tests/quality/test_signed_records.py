"""A client's acceptance is never lost by deleting something else: the deliverable, the
milestone, the contact, the signed document or the project that it names is protected,
and every path (service, API, page) says what holds it instead of failing."""

import datetime

import pytest
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from clientfolio.documents import services as documents
from clientfolio.quality import services
from clientfolio.quality.models import Acceptance, Deliverable
from clientfolio.schedule import services as schedule
from clientfolio.schedule.models import Task
from tests.documents.factories import upload

# A client's decision is never dated in the future: relative to today, whatever it is.
DECIDED_ON = timezone.localdate() - datetime.timedelta(days=40)


@pytest.fixture
def acceptance(project, deliverable, contact, project_manager):
    """张伟 accepted 架构设计说明书 with the signed 验收确认单.pdf."""
    return services.record_acceptance(
        project,
        deliverable=deliverable,
        decision="accepted",
        contact=contact,
        decided_on=DECIDED_ON,
        files=[upload("验收确认单.pdf")],
        user=project_manager,
    )


def test_deleting_an_accepted_deliverable_is_refused_and_keeps_the_acceptance(
    acceptance, deliverable
):
    # when the deliverable is deleted, then it is refused and both are kept
    with pytest.raises(ProtectedError):
        services.delete_deliverable(deliverable)
    assert Deliverable.objects.filter(pk=deliverable.pk).exists()
    assert Acceptance.objects.filter(pk=acceptance.pk).exists()


def test_deleting_an_accepted_milestone_or_its_parent_is_refused(
    project, acceptance, milestone
):
    # given the milestone under a phase
    phase = Task.objects.create(project=project, name="设计阶段", duration=0)
    Task.objects.filter(pk=milestone.pk).update(parent=phase)

    # when the milestone or its phase is deleted, then both are refused
    for task in (milestone, phase):
        with pytest.raises(ProtectedError):
            schedule.delete_task(task)

    # and nothing was deleted
    assert Task.objects.filter(pk__in=[milestone.pk, phase.pk]).count() == 2
    acceptance.refresh_from_db()
    assert acceptance.milestone == milestone


def test_purging_the_signed_document_is_refused(acceptance):
    # given the signed document in the trash
    document = acceptance.document
    documents.trash_document(document)

    # when it is purged, then it is refused and the file is kept
    with pytest.raises(ProtectedError):
        documents.purge_document(document)
    acceptance.refresh_from_db()
    assert acceptance.document == document
    stored = document.versions.get().file
    assert stored.storage.exists(stored.name)


def test_deleting_the_project_or_the_contact_is_refused(acceptance, project, contact):
    with pytest.raises(ProtectedError):
        project.delete()
    with pytest.raises(ProtectedError):
        contact.delete()
    assert Acceptance.objects.filter(pk=acceptance.pk).exists()


def test_a_deliverable_without_a_client_decision_is_still_deleted(deliverable):
    services.delete_deliverable(deliverable)
    assert not Deliverable.objects.exists()


# --- API: 409 that names the kinds of records, never the records ---------------------


def test_the_api_answers_409_when_deleting_a_contact_named_on_an_acceptance(
    acceptance, contact, project, deliverable, api_as
):
    # when an administrator deletes the contact through the API
    response = api_as("admin").delete(f"/api/v1/contacts/{contact.pk}/")

    # then it is refused with the kind of record that holds it
    assert response.status_code == 409, response.content
    body = response.json()
    assert body == {
        "detail": "This record cannot be deleted: client acceptances refer to it.",
        "blocked_by": [{"kind": "quality.acceptance", "name": "client acceptances"}],
    }
    # and nothing about the acceptance itself is revealed, nothing is deleted
    text = response.content.decode()
    assert project.name not in text
    assert deliverable.name not in text
    assert contact.__class__.objects.filter(pk=contact.pk).exists()


def test_the_api_answers_409_when_deleting_an_accepted_deliverable(
    acceptance, deliverable, api_as
):
    response = api_as("project_manager").delete(
        f"/api/v1/deliverables/{deliverable.pk}/"
    )

    assert response.status_code == 409, response.content
    assert response.json()["blocked_by"] == [
        {"kind": "quality.acceptance", "name": "client acceptances"}
    ]
    assert Deliverable.objects.filter(pk=deliverable.pk).exists()


def test_the_refusal_is_in_the_users_language(acceptance, contact, admin):
    from rest_framework.test import APIClient

    http = APIClient(headers={"accept-language": "zh-hans"})
    http.force_login(admin)

    response = http.delete(f"/api/v1/contacts/{contact.pk}/")

    assert response.status_code == 409
    assert response.json()["detail"] == "此记录无法删除：客户验收引用了它。"


# --- pages: the message instead of a 500 ------------------------------------------------


def test_the_deliverable_delete_page_says_what_holds_it(
    acceptance, deliverable, project, as_persona
):
    browser = as_persona("project_manager")
    url = reverse("quality:deliverable_delete", args=[project.pk, deliverable.pk])

    response = browser.post(url, follow=True)

    assert response.status_code == 200
    assert (
        "“架构设计说明书” cannot be deleted: client acceptances refer to it."
        in response.content.decode()
    )
    assert Deliverable.objects.filter(pk=deliverable.pk).exists()


def test_the_task_delete_page_says_what_holds_the_milestone(
    acceptance, milestone, project, as_persona
):
    browser = as_persona("project_manager")
    url = reverse("schedule:task_delete", args=[project.pk, milestone.pk])

    response = browser.post(url, follow=True)

    assert response.status_code == 200
    assert "client acceptances refer to it." in response.content.decode()
    assert Task.objects.filter(pk=milestone.pk).exists()


def test_the_contact_delete_page_says_what_holds_it(
    acceptance, contact, client_record, as_persona
):
    browser = as_persona("admin")
    url = reverse(
        "clients:record_delete", args=[client_record.pk, "contacts", contact.pk]
    )

    response = browser.post(url, follow=True)

    assert response.status_code == 200
    assert (
        "“张伟” cannot be deleted: client acceptances refer to it."
        in response.content.decode()
    )
    assert contact.__class__.objects.filter(pk=contact.pk).exists()
