"""The portal's API: a client contact's projects, and nothing else for anyone else."""

from django.urls import reverse
from rest_framework.test import APIClient

from clientfolio.core.tokens import issue_token
from tests.schedule.factories import TaskFactory


def _api(user):
    _token, key = issue_token(user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_a_contact_lists_their_clients_projects_with_progress(
    portal_user, project, other_contact
):
    # given a plan half done
    TaskFactory(project=project, name="设计", duration=4, percent_complete=50)

    # when 张伟's integration lists the projects
    response = _api(portal_user).get(reverse("portal_api:project-list"))

    # then it sees its client's project only, with the progress
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["name"] for row in rows] == [project.name]
    assert rows[0]["percent_complete"] == 50
    assert rows[0]["schedule_status"] == "on_track"
    assert "budget" not in rows[0]
    assert "manager" not in rows[0]


def test_another_clients_project_does_not_exist(other_contact, project):
    response = _api(other_contact.portal_user).get(
        reverse("portal_api:project-detail", kwargs={"pk": project.pk})
    )

    assert response.status_code == 404


def test_staff_get_404_from_the_portal_api(staff_api):
    assert staff_api.get(reverse("portal_api:project-list")).status_code == 404
