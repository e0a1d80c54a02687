"""The template API: list, detail, create from a document, create from a project,
instantiate, edit with version."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from clientfolio.blueprints import services
from clientfolio.projects.models import Project
from clientfolio.schedule.models import Task
from tests.clients.factories import ClientFactory

SMALL = {
    "tasks": [
        {"ref": "a", "name": {"zh": "调研", "en": "Discovery"}, "duration": 3},
        {"ref": "b", "name": {"zh": "上线", "en": "Launch"}, "milestone": True},
    ],
    "links": [{"from": "a", "to": "b"}],
}


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime(2026, 2, 2, 9, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def template(admin):
    return services.create_template(
        user=admin, content=SMALL, name_zh="小模板", name_en="Small"
    )


def test_the_list_is_one_query_for_any_number_of_templates(
    staff_api, template, admin, django_assert_num_queries
):
    url = reverse("project-template-list")
    with django_assert_num_queries(4) as one:
        staff_api.get(url)
    for index in range(4):
        services.create_template(user=admin, content=SMALL, name_en=f"T{index}")
    with django_assert_num_queries(len(one.captured_queries)):
        response = staff_api.get(url)
    assert response.json()["count"] == 5


def test_the_detail_carries_the_document(staff_api, template):
    response = staff_api.get(reverse("project-template-detail", args=[template.pk]))
    body = response.json()
    assert body["latest_version"] == 1
    assert [t["ref"] for t in body["content"]["tasks"]] == ["a", "b"]
    assert body["content"]["links"][0] == {
        "from": "a",
        "to": "b",
        "type": "FS",
        "lag": 0,
    }


def test_a_document_with_a_cycle_is_refused_with_the_loop(admin_api):
    content = {**SMALL, "links": [{"from": "a", "to": "b"}, {"from": "b", "to": "a"}]}
    response = admin_api.post(
        reverse("project-template-list"),
        {"name_en": "Loop", "content": content},
        format="json",
    )
    assert response.status_code == 400
    assert "cycle" in response.json()["content"][0]


def test_instantiate_on_a_holiday_starts_on_the_next_working_day(
    staff_api, staff, template
):
    client = ClientFactory()
    response = staff_api.post(
        reverse("project-template-instantiate", args=[template.pk]),
        {
            "client": client.pk,
            "name": "API project",
            "manager": staff.pk,
            "starts_on": "2026-05-01",  # Labour Day
            "calendar": "cn",
            "language": "en",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["moved"] is True
    assert body["start"] > "2026-05-01"
    assert "not a working day" in body["notice"]
    project = Project.objects.get(pk=body["project"])
    assert list(
        Task.objects.filter(project=project).values_list("name", flat=True)
    ) == ["Discovery", "Launch"]


def test_instantiate_without_a_client_names_the_field(staff_api, staff, template):
    response = staff_api.post(
        reverse("project-template-instantiate", args=[template.pk]),
        {"name": "x", "manager": staff.pk, "starts_on": "2026-03-02"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"client"}
    assert not Project.objects.filter(name="x").exists()


def test_the_manager_saves_their_project_and_a_member_may_not(
    project, api_as, template
):
    url = reverse("project-template-from-project")
    refused = api_as("member").post(url, {"project": project.pk, "name": "No"})
    assert refused.status_code == 403
    response = api_as("project_manager").post(
        url, {"project": project.pk, "name": "平台模板"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["latest_version"] == 1
    # and a template of someone else cannot take a new version from them
    other = api_as("project_manager").post(
        url, {"project": project.pk, "template": template.pk}, format="json"
    )
    assert other.status_code == 400
    assert "template" in other.json()


def test_a_stale_edit_is_409(admin_api, template):
    url = reverse("project-template-detail", args=[template.pk])
    ok = admin_api.patch(url, {"name_en": "Renamed", "version": 1}, format="json")
    assert ok.status_code == 200
    assert ok.json()["version"] == 2
    stale = admin_api.patch(url, {"name_en": "Again", "version": 1}, format="json")
    assert stale.status_code == 409
