"""Closure API: lessons with search, the project's closure (checklist, close, reopen),
handover and evaluation, with their refusals."""

import pytest

from clientfolio.closure.models import Closure, Evaluation, Handover, Lesson
from clientfolio.projects.models import Project
from tests.clients.factories import ClientFactory, ContactFactory
from tests.closure.factories import EvaluationFactory, LessonFactory
from tests.documents.factories import DocumentFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_lessons_are_searched_with_q(project, api_as):
    LessonFactory(project=project, title="联调提前", tags=["集成"])
    LessonFactory(project=project, title="范围冻结")
    LessonFactory(project=ProjectFactory(), title="别人的联调")
    response = api_as("member").get("/api/v1/lessons/?q=联调")
    assert response.status_code == 200
    assert [row["title"] for row in response.json()["results"]] == ["联调提前"]
    assert response.json()["results"][0]["tags"] == ["集成"]


def test_a_member_creates_a_lesson_and_a_viewer_cannot(project, member, api_as):
    body = {
        "project": project.pk,
        "kind": "went_wrong",
        "title": "接口文档滞后",
        "tags": ["接口"],
    }
    response = api_as("member").post("/api/v1/lessons/", body, format="json")
    assert response.status_code == 201, response.content
    lesson = Lesson.objects.get()
    assert lesson.author == member
    assert "接口" in lesson.search_text
    assert (
        api_as("viewer").post("/api/v1/lessons/", body, format="json").status_code
        == 403
    )
    assert Lesson.objects.count() == 1


def test_a_stale_lesson_update_is_409(project, api_as):
    lesson = LessonFactory(project=project)
    response = api_as("member").patch(
        f"/api/v1/lessons/{lesson.pk}/", {"title": "改", "version": 5}, format="json"
    )
    assert response.status_code == 409
    lesson.refresh_from_db()
    assert lesson.version == 1


def test_the_closure_shows_the_checklist(project, blockers, api_as):
    response = api_as("viewer").get(f"/api/v1/closures/{project.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is False
    assert {item["key"]: item["status"] for item in body["items"]}[
        "invoices"
    ] == "not_met"
    assert body["closure"] is None


def test_closing_through_the_api_needs_override_and_reason(project, blockers, api_as):
    browser = api_as("project_manager")
    refused = browser.post(f"/api/v1/closures/{project.pk}/close/", {}, format="json")
    assert refused.status_code == 400
    assert "unmet item" in refused.json()["override"][0]
    no_reason = browser.post(
        f"/api/v1/closures/{project.pk}/close/", {"override": True}, format="json"
    )
    assert no_reason.status_code == 400
    assert "reason" in no_reason.json()
    assert not Closure.objects.exists()

    closed = browser.post(
        f"/api/v1/closures/{project.pk}/close/",
        {"override": True, "reason": "提前结项", "follow_up_days": 20},
        format="json",
    )
    assert closed.status_code == 200
    assert closed.json()["closure"]["overridden"] is True
    project.refresh_from_db()
    assert project.status == Project.Status.COMPLETED


def test_a_member_cannot_close_and_an_outsider_does_not_see_the_project(
    project, api_as
):
    url = f"/api/v1/closures/{project.pk}/close/"
    assert api_as("member").post(url, {}, format="json").status_code == 403
    assert api_as("staff").post(url, {}, format="json").status_code == 404
    assert not Closure.objects.exists()


def test_reopen_through_the_api(project, project_manager, api_as):
    from clientfolio.closure import services

    services.close_project(project, user=project_manager)
    response = api_as("project_manager").post(
        f"/api/v1/closures/{project.pk}/reopen/", {"reason": "补充验收"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["closure"]["is_closed"] is False


def test_a_handover_to_another_clients_contact_is_400(project, api_as):
    stranger = ContactFactory(client=ClientFactory(name="另一家公司"), name="陌生人")
    response = api_as("project_manager").post(
        "/api/v1/handovers/",
        {
            "project": project.pk,
            "handed_over_on": "2026-06-01",
            "recipients": [stranger.pk],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "not a contact of this project" in response.json()["recipients"][0]
    assert not Handover.objects.exists()


def test_the_manager_creates_and_updates_a_handover(project, client_record, api_as):
    contact = client_record.contacts.get(name="张伟")
    browser = api_as("project_manager")
    created = browser.post(
        "/api/v1/handovers/",
        {
            "project": project.pk,
            "handed_over_on": "2026-06-01",
            "recipients": [contact.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    handover_id = created.json()["id"]
    updated = browser.patch(
        f"/api/v1/handovers/{handover_id}/",
        {"training": "两次培训", "version": 1},
        format="json",
    )
    assert updated.status_code == 200
    assert updated.json()["recipients"] == [contact.pk]
    assert updated.json()["training"] == "两次培训"


def test_a_satisfaction_of_0_is_400_and_nothing_is_saved(project, api_as):
    response = api_as("project_manager").post(
        "/api/v1/evaluations/",
        {"project": project.pk, "satisfaction": 0},
        format="json",
    )
    assert response.status_code == 400
    assert "from 1" in response.json()["satisfaction"][0]
    assert not Evaluation.objects.exists()


def test_an_evaluation_carries_its_figures(project, api_as):
    evaluation = EvaluationFactory(project=project, satisfaction=3)
    response = api_as("viewer").get(f"/api/v1/evaluations/{evaluation.pk}/")
    assert response.status_code == 200
    assert response.json()["figures"]["satisfaction"] == 3
    assert response.json()["figures"]["spi"] is None


ROLE_REFUSED = {"detail": "Your project role does not allow this change."}


def test_a_member_cannot_record_a_handover_or_an_evaluation(project, api_as):
    api = api_as("member")

    handover = api.post(
        "/api/v1/handovers/",
        {"project": project.pk, "handed_over_on": "2026-06-01"},
        format="json",
    )
    evaluation = api.post(
        "/api/v1/evaluations/",
        {"project": project.pk, "satisfaction": 5},
        format="json",
    )

    assert (handover.status_code, handover.json()) == (403, ROLE_REFUSED)
    assert (evaluation.status_code, evaluation.json()) == (403, ROLE_REFUSED)
    assert not Handover.objects.exists()
    assert not Evaluation.objects.exists()


def test_a_viewer_cannot_change_a_lesson_and_an_outsider_does_not_find_it(
    project, api_as
):
    lesson = LessonFactory(project=project, title="联调提前")
    url = f"/api/v1/lessons/{lesson.pk}/"
    body = {"title": "改", "version": lesson.version}

    assert api_as("viewer").patch(url, body, format="json").status_code == 403
    assert api_as("staff").patch(url, body, format="json").status_code == 404
    lesson.refresh_from_db()
    assert (lesson.title, lesson.version) == ("联调提前", 1)


def test_a_lesson_for_a_project_the_user_is_not_on_does_not_exist(api_as):
    elsewhere = ProjectFactory()

    response = api_as("member").post(
        "/api/v1/lessons/",
        {"project": elsewhere.pk, "kind": "went_well", "title": "偷偷记一笔"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "project": [f'Invalid pk "{elsewhere.pk}" - object does not exist.']
    }
    assert not Lesson.objects.exists()


def test_a_document_of_another_project_does_not_exist_for_a_handover(project, api_as):
    elsewhere = DocumentFactory(title="别人的合同")

    response = api_as("project_manager").post(
        "/api/v1/handovers/",
        {
            "project": project.pk,
            "handed_over_on": "2026-06-01",
            "documents": [elsewhere.pk],
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "documents": [f'Invalid pk "{elsewhere.pk}" - object does not exist.']
    }
    assert not Handover.objects.exists()


def test_a_member_cannot_reopen_a_closed_project(project, project_manager, api_as):
    from clientfolio.closure import services

    services.close_project(project, user=project_manager)

    response = api_as("member").post(
        f"/api/v1/closures/{project.pk}/reopen/", {"reason": "想改"}, format="json"
    )

    assert (response.status_code, response.json()) == (403, ROLE_REFUSED)
    assert Closure.objects.get(project=project).is_closed


def test_a_viewer_reads_the_evaluation_without_its_finance_figures(
    project, api_as, as_persona
):
    """Issue 10: a viewer, refused the finance page, read budget, cost and CPI in the
    evaluation; only those who may read the project's finance get them."""
    evaluation = EvaluationFactory(project=project, satisfaction=4)
    url = f"/api/v1/evaluations/{evaluation.pk}/"
    viewer = api_as("viewer").get(url).json()["figures"]
    assert not {"budget", "actual_cost", "cpi"} & viewer.keys()
    manager = api_as("project_manager").get(url).json()["figures"]
    assert {"budget", "actual_cost", "cpi"} <= manager.keys()
    page = as_persona("viewer").get(f"/projects/{project.pk}/closure/evaluation/")
    assert page.status_code == 200
    assert page.context["sees_finance"] is False
    assert "ti-coin-yuan" not in page.content.decode()
