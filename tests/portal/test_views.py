"""The portal's home and project pages: what a client contact sees, and what not."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from clientfolio.core.tokens import issue_token
from clientfolio.documents.models import Document, DownloadLog
from clientfolio.portal.models import ProjectSharing
from tests.documents.factories import DocumentFactory
from tests.projects.factories import ProjectFactory
from tests.schedule.factories import TaskFactory


def test_a_client_contact_lands_in_the_portal(portal):
    # when 张伟 opens the start page
    response = portal.get(reverse("home"))

    # then he is sent to the portal
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_home_lists_the_clients_projects_and_nothing_of_another_client(
    portal, project, other_contact
):
    # when 张伟 opens the portal
    response = portal.get(reverse("portal:home"))

    # then his client's project is there, the other client's is not
    body = response.content.decode()
    assert response.status_code == 200
    assert project.name in body
    assert "远景数据迁移" not in body
    assert "Waiting for you" in body


def test_the_other_clients_contact_does_not_see_the_project(other_portal, project):
    response = other_portal.get(reverse("portal:project", kwargs={"pk": project.pk}))

    assert response.status_code == 404
    assert project.name not in response.content.decode()


def test_a_project_with_its_portal_switched_off_does_not_exist(portal, project):
    # given the project is no longer shown in the portal
    ProjectSharing.objects.create(project=project, is_enabled=False)

    # then neither the home page nor the project page shows it
    assert project.name not in portal.get(reverse("portal:home")).content.decode()
    response = portal.get(reverse("portal:project", kwargs={"pk": project.pk}))
    assert response.status_code == 404


def test_the_project_page_lists_shared_documents_only(portal, project, project_manager):
    # given a shared and an internal document
    DocumentFactory(
        project=project,
        title="验收方案（客户版）",
        created_by=project_manager,
        visibility=Document.Visibility.SHARED,
    )
    DocumentFactory(project=project, title="内部报价测算", created_by=project_manager)

    # when 张伟 opens the project
    body = portal.get(reverse("portal:project", kwargs={"pk": project.pk})).content
    body = body.decode()

    # then only the shared one is there
    assert "验收方案（客户版）" in body
    assert "内部报价测算" not in body


def test_a_section_switched_off_is_not_shown(portal, project, project_manager):
    DocumentFactory(
        project=project,
        title="验收方案（客户版）",
        created_by=project_manager,
        visibility=Document.Visibility.SHARED,
    )
    ProjectSharing.objects.create(project=project, shows_documents=False)

    body = portal.get(reverse("portal:project", kwargs={"pk": project.pk})).content

    assert "验收方案（客户版）" not in body.decode()


def test_only_client_visible_milestones_are_shown(portal, project):
    TaskFactory(project=project, name="原型确认", milestone=True)
    TaskFactory(
        project=project, name="内部评审", milestone=True, is_client_visible=False
    )

    body = portal.get(reverse("portal:project", kwargs={"pk": project.pk})).content
    body = body.decode()

    assert "原型确认" in body
    assert "内部评审" not in body


def test_a_shared_download_is_logged_and_an_internal_one_does_not_exist(
    portal, portal_user, project, project_manager
):
    shared = DocumentFactory(
        project=project,
        title="验收方案",
        created_by=project_manager,
        visibility=Document.Visibility.SHARED,
    )
    internal = DocumentFactory(
        project=project, title="内部", created_by=project_manager
    )

    def download(document):
        return portal.get(
            reverse(
                "portal:document_download",
                kwargs={"pk": project.pk, "version_pk": document.current_version_id},
            )
        )

    response = download(shared)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert DownloadLog.objects.filter(
        version=shared.current_version, user=portal_user
    ).exists()
    assert download(internal).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/projects/",
        "/clients/",
        "/notifications/",
        "/account/",
        "/api/docs/",
        "/api/schema/",
        "/api/v1/projects/",
    ],
)
def test_every_staff_url_is_404_for_a_client_contact(portal, url):
    assert portal.get(url).status_code == 404


def test_the_staff_api_is_404_with_a_clients_token(portal_user, project):
    # given 张伟 signs API requests with a token
    _token, key = issue_token(portal_user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    # then the staff API does not exist for him
    response = api.get("/api/v1/projects/")
    assert response.status_code == 404
    response = api.get(f"/api/v1/projects/{project.pk}/")
    assert response.status_code == 404


def test_home_costs_the_same_queries_for_one_project_as_for_five(
    portal, project, client_record, django_assert_num_queries
):
    # given one project with a plan, the count of queries of the home page
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    TaskFactory(project=project, name="需求调研", duration=5)

    with CaptureQueriesContext(connection) as one:
        assert portal.get(reverse("portal:home")).status_code == 200

    # when the client has four more projects, with tasks and milestones
    for n in range(4):
        other = ProjectFactory(client=client_record, name=f"二期{n}")
        TaskFactory(project=other, name="设计", duration=3)
        TaskFactory(project=other, name="上线", milestone=True)

    # then the home page costs the same
    with django_assert_num_queries(len(one.captured_queries)):
        response = portal.get(reverse("portal:home"))
    assert response.content.decode().count("cf-project-card-name") == 5
