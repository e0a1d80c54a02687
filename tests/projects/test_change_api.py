"""The REST API of requirements and change requests: create, update, steps, 400/403/409."""

from decimal import Decimal

import pytest
from django.utils import timezone

from clientfolio.projects import change_control
from clientfolio.projects.models import ChangeRequest, ProjectRequirement
from tests.clients.factories import ContactFactory, RequirementFactory
from tests.projects.factories import (
    ChangeRequestFactory,
    ProjectFactory,
    ProjectRequirementFactory,
)

pytestmark = pytest.mark.django_db

REQUIREMENTS = "/api/v1/project-requirements/"
CHANGES = "/api/v1/change-requests/"


@pytest.fixture
def pm(api_as):
    return api_as("project_manager")


@pytest.fixture
def zhang(project):
    return project.client.contacts.get(name="张伟")


# --- requirements ------------------------------------------------------------------------


def test_a_requirement_is_created_from_a_client_need(pm, project):
    need = project.client.requirements.get(title="移动端审批")
    response = pm.post(
        REQUIREMENTS, {"project": project.pk, "source": need.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["title"], body["status"], body["version"]) == (
        "移动端审批",
        "collected",
        1,
    )


def test_a_requirement_without_a_title_is_400(pm, project):
    response = pm.post(REQUIREMENTS, {"project": project.pk}, format="json")
    assert response.status_code == 400
    assert "title" in response.json()
    assert not ProjectRequirement.objects.exists()


def test_a_need_of_another_client_is_400(pm, project):
    need = RequirementFactory(title="别的客户的需求")
    response = pm.post(
        REQUIREMENTS, {"project": project.pk, "source": need.pk}, format="json"
    )
    assert response.status_code == 400
    assert "source" in response.json()
    assert not ProjectRequirement.objects.exists()


def test_a_viewer_cannot_add_a_requirement(api_as, project):
    response = api_as("viewer").post(
        REQUIREMENTS, {"project": project.pk, "title": "不该有"}, format="json"
    )
    assert response.status_code == 403
    assert not ProjectRequirement.objects.exists()


def test_staff_outside_the_project_cannot_add_to_it(staff_api, project):
    response = staff_api.post(
        REQUIREMENTS, {"project": project.pk, "title": "不该有"}, format="json"
    )
    assert response.status_code == 400
    assert "project" in response.json()
    assert not ProjectRequirement.objects.exists()


def test_a_requirement_update_is_versioned(pm, project):
    requirement = ProjectRequirementFactory(project=project, title="单点登录")
    url = f"{REQUIREMENTS}{requirement.pk}/"
    response = pm.patch(url, {"title": "统一身份认证", "version": 1}, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == 2
    stale = pm.patch(url, {"title": "迟到的", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    requirement.refresh_from_db()
    assert requirement.title == "统一身份认证"


def test_the_status_cannot_be_patched_directly(pm, project):
    requirement = ProjectRequirementFactory(project=project)
    response = pm.patch(
        f"{REQUIREMENTS}{requirement.pk}/",
        {"status": "delivered", "version": 1},
        format="json",
    )
    assert response.status_code == 200
    requirement.refresh_from_db()
    assert requirement.status == "collected"


def test_a_requirement_is_confirmed_through_the_transition_action(pm, project, zhang):
    requirement = ProjectRequirementFactory(project=project)
    response = pm.post(
        f"{REQUIREMENTS}{requirement.pk}/transition/",
        {"to_status": "confirmed", "confirmed_by": zhang.pk},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["confirmed_by"]) == ("confirmed", zhang.pk)
    assert body["confirmed_on"] == timezone.localdate().isoformat()


def test_a_requirement_step_out_of_order_is_400_with_a_message(pm, project):
    requirement = ProjectRequirementFactory(project=project)
    response = pm.post(
        f"{REQUIREMENTS}{requirement.pk}/transition/",
        {"to_status": "delivered"},
        format="json",
        headers={"accept-language": "en"},
    )
    assert response.status_code == 400
    assert (
        "cannot go from “Collected” to “Delivered”" in response.json()["to_status"][0]
    )


def test_confirming_by_a_contact_of_another_client_is_400(pm, project):
    stranger = ContactFactory(name="外人")
    requirement = ProjectRequirementFactory(project=project)
    response = pm.post(
        f"{REQUIREMENTS}{requirement.pk}/transition/",
        {"to_status": "confirmed", "confirmed_by": stranger.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "confirmed_by" in response.json()
    requirement.refresh_from_db()
    assert requirement.status == "collected"


# --- change requests ---------------------------------------------------------------------


def new_change(project, **overrides):
    return {
        "project": project.pk,
        "title": "增加报表模块",
        "requested_on": "2026-04-01",
        "schedule_impact_days": 5,
        "cost_impact": "12000.00",
        **overrides,
    }


def test_a_change_request_is_created_numbered_and_submitted(pm, project, zhang):
    response = pm.post(
        CHANGES, new_change(project, requested_by_contact=zhang.pk), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["number"], body["code"], body["status"]) == (1, "CR-001", "submitted")
    assert (body["cost_impact"], body["currency"]) == ("12000.00", "CNY")
    assert [t["to_status"] for t in body["transitions"]] == ["submitted"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("schedule_impact_days", 4000),
        ("schedule_impact_days", -4000),
        ("cost_impact", "1000000000000.00"),
        ("currency", "XXX"),
        ("title", ""),
    ],
)
def test_bad_change_request_input_is_400_with_field_errors(pm, project, field, value):
    response = pm.post(CHANGES, new_change(project, **{field: value}), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not ChangeRequest.objects.exists()


def test_a_requester_of_another_client_is_400(pm, project):
    stranger = ContactFactory(name="外人")
    response = pm.post(
        CHANGES, new_change(project, requested_by_contact=stranger.pk), format="json"
    )
    assert response.status_code == 400
    assert "requested_by_contact" in response.json()
    assert not ChangeRequest.objects.exists()


def test_a_change_request_update_is_versioned_and_leaves_the_status(pm, project):
    change_request = ChangeRequestFactory(project=project)
    url = f"{CHANGES}{change_request.pk}/"
    response = pm.patch(
        url,
        {"schedule_impact_days": -3, "status": "approved", "version": 1},
        format="json",
    )
    assert response.status_code == 200
    assert (response.json()["schedule_impact_days"], response.json()["status"]) == (
        -3,
        "submitted",
    )
    stale = pm.patch(url, {"title": "迟到的", "version": 1}, format="json")
    assert stale.status_code == 409


def test_a_change_request_is_taken_to_approved_through_the_api(pm, project, zhang):
    change_request = ChangeRequestFactory(project=project)
    url = f"{CHANGES}{change_request.pk}/transition/"
    assert pm.post(url, {"to_status": "evaluating"}, format="json").status_code == 200
    assert (
        pm.post(url, {"to_status": "awaiting_client"}, format="json").status_code == 200
    )
    response = pm.post(
        url,
        {"to_status": "approved", "decided_by": zhang.pk, "comment": "客户同意"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["decided_by"]) == ("approved", zhang.pk)
    assert body["decided_on"] == timezone.localdate().isoformat()
    assert [t["to_status"] for t in body["transitions"]] == [
        "submitted",
        "evaluating",
        "awaiting_client",
        "approved",
    ]
    assert body["transitions"][-1]["comment"] == "客户同意"


def test_a_transition_out_of_order_is_400_with_a_message(pm, project):
    change_request = ChangeRequestFactory(project=project)
    response = pm.post(
        f"{CHANGES}{change_request.pk}/transition/",
        {"to_status": "implemented"},
        format="json",
        headers={"accept-language": "en"},
    )
    assert response.status_code == 400
    message = response.json()["to_status"][0]
    assert "“Submitted”" in message
    assert "“Implemented”" in message
    change_request.refresh_from_db()
    assert change_request.status == "submitted"


def test_an_unknown_status_is_400(pm, project):
    change_request = ChangeRequestFactory(project=project)
    response = pm.post(
        f"{CHANGES}{change_request.pk}/transition/",
        {"to_status": "teleported"},
        format="json",
    )
    assert response.status_code == 400
    assert "to_status" in response.json()


def test_approving_without_the_deciding_contact_is_400(pm, project):
    change_request = ChangeRequestFactory(project=project, status="awaiting_client")
    response = pm.post(
        f"{CHANGES}{change_request.pk}/transition/",
        {"to_status": "approved"},
        format="json",
    )
    assert response.status_code == 400
    assert "decided_by" in response.json()


def test_a_transition_with_a_stale_version_is_409(pm, project, project_manager):
    change_request = ChangeRequestFactory(project=project)
    change_control.transition(change_request, "evaluating", project_manager)
    response = pm.post(
        f"{CHANGES}{change_request.pk}/transition/",
        {"to_status": "rejected", "version": 1},
        format="json",
    )
    assert response.status_code == 409
    change_request.refresh_from_db()
    assert change_request.status == "evaluating"


def test_a_viewer_cannot_move_a_change_request(api_as, project):
    change_request = ChangeRequestFactory(project=project)
    response = api_as("viewer").post(
        f"{CHANGES}{change_request.pk}/transition/",
        {"to_status": "evaluating"},
        format="json",
    )
    assert response.status_code == 403
    change_request.refresh_from_db()
    assert change_request.status == "submitted"


def test_the_list_shows_only_my_projects_change_requests(pm, project):
    ChangeRequestFactory(project=project, title="我的变更")
    ChangeRequestFactory(project=ProjectFactory(), title="别人的变更")
    response = pm.get(CHANGES)
    assert [row["title"] for row in response.json()["results"]] == ["我的变更"]


def test_change_requests_are_not_deleted(pm, project):
    change_request = ChangeRequestFactory(project=project, cost_impact=Decimal("1"))
    response = pm.delete(f"{CHANGES}{change_request.pk}/")
    assert response.status_code == 405
    assert ChangeRequest.objects.filter(pk=change_request.pk).exists()


@pytest.mark.parametrize("rows", [1, 20])
def test_the_change_request_list_takes_the_same_queries_for_1_and_20_rows(
    pm, project, django_assert_num_queries, rows
):
    for _ in range(rows):
        ChangeRequestFactory(project=project)
    with django_assert_num_queries(5):
        response = pm.get(CHANGES)
    assert response.json()["count"] == rows
