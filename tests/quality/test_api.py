"""Quality API: scoped lists, writes through the services with the same refusals as the
pages (400 naming the field), reviews with nested items and opening an issue, multipart
acceptances by the project manager, and stale updates (409)."""

import datetime

from django.utils import timezone

from clientfolio.quality import services
from clientfolio.quality.models import (
    Acceptance,
    Deliverable,
    ImprovementAction,
    QualityReview,
    ReviewItem,
)
from clientfolio.schedule.models import Task
from tests.documents.factories import upload
from tests.projects.factories import ProjectFactory

API = "/api/v1/"


def test_lists_are_scoped_to_the_users_projects(api_as, deliverable):
    # a member sees the project's deliverables, staff outside it see none
    body = api_as("member").get(f"{API}deliverables/").json()
    assert [row["name"] for row in body["results"]] == ["架构设计说明书"]
    assert body["results"][0]["criteria"] == [
        "包含部署架构图",
        "性能设计满足 P95 ≤ 300 ms",
    ]
    assert api_as("staff").get(f"{API}deliverables/").json()["results"] == []
    detail = f"{API}deliverables/{deliverable.pk}/"
    assert api_as("staff").get(detail).status_code == 404


def test_a_member_adds_a_deliverable_and_a_viewer_may_not(api_as, project, milestone):
    data = {"project": project.pk, "name": "测试报告", "milestone": milestone.pk}
    response = api_as("member").post(f"{API}deliverables/", data, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "planned"
    response = api_as("viewer").post(f"{API}deliverables/", data, format="json")
    assert response.status_code == 403
    assert Deliverable.objects.count() == 1


def test_a_plain_task_is_refused_as_milestone(api_as, project, plain_task):
    response = api_as("member").post(
        f"{API}deliverables/",
        {"project": project.pk, "name": "测试报告", "milestone": plain_task.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "is not a milestone" in response.json()["milestone"][0]
    assert not Deliverable.objects.exists()


def test_a_milestone_of_another_project_is_refused(api_as, project, other_milestone):
    # an administrator sees both projects: the service refuses the mix
    response = api_as("admin").post(
        f"{API}deliverables/",
        {"project": project.pk, "name": "测试报告", "milestone": other_milestone.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["milestone"] == ["Choose a milestone of this project."]


def test_accepted_cannot_be_set_through_the_api(api_as, deliverable):
    response = api_as("member").patch(
        f"{API}deliverables/{deliverable.pk}/",
        {"status": "accepted", "version": deliverable.version},
        format="json",
    )
    assert response.status_code == 400
    assert "client's acceptance" in response.json()["status"][0]


def test_a_stale_update_answers_409(api_as, deliverable):
    stale = deliverable.version
    services.save_deliverable(deliverable, deliverable.version)
    response = api_as("member").patch(
        f"{API}deliverables/{deliverable.pk}/",
        {"name": "改名", "version": stale},
        format="json",
    )
    assert response.status_code == 409
    assert Deliverable.objects.get(pk=deliverable.pk).name == "架构设计说明书"


def _review_body(project, deliverable, results):
    return {
        "project": project.pk,
        "deliverable": deliverable.pk,
        "title": "接口评审",
        "reviewed_on": "2026-10-09",
        "items": [
            {"criterion": f"标准 {n}", "result": result, "findings": ""}
            for n, result in enumerate(results, start=1)
        ],
    }


def test_a_review_with_items_gets_its_result_and_opens_an_issue(
    api_as, project, deliverable
):
    # when a member posts a review with a failed item
    browser = api_as("member")
    response = browser.post(
        f"{API}quality-reviews/",
        _review_body(project, deliverable, ["pass", "fail"]),
        format="json",
    )

    # then the result is computed
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["result"] == "failed"
    assert [item["position"] for item in body["items"]] == [1, 2]

    # when they open an issue for the failed item
    failed = next(item for item in body["items"] if item["result"] == "fail")
    response = browser.post(
        f"{API}quality-reviews/{body['id']}/open-issue/",
        {"item": failed["id"], "severity": "high"},
        format="json",
    )

    # then the item links to it
    assert response.status_code == 201, response.json()
    assert ReviewItem.objects.get(pk=failed["id"]).issue.severity == "high"


def test_a_result_outside_the_choices_is_refused(api_as, project, deliverable):
    response = api_as("member").post(
        f"{API}quality-reviews/",
        _review_body(project, deliverable, ["pass", "maybe"]),
        format="json",
    )
    assert response.status_code == 400
    assert "items" in response.json()
    assert not QualityReview.objects.exists()


def test_an_update_replaces_the_checklist(api_as, project, deliverable):
    review = services.save_review(
        QualityReview(
            project=project,
            deliverable=deliverable,
            title="评审",
            reviewed_on=datetime.date(2026, 10, 9),
        ),
        [ReviewItem(criterion="一", result="fail"), ReviewItem(criterion="二")],
    )
    kept = review.items.get(criterion="二")
    response = api_as("member").patch(
        f"{API}quality-reviews/{review.pk}/",
        {
            "version": review.version,
            "items": [{"id": kept.pk, "criterion": "二", "result": "pass"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["result"] == "passed"
    assert list(review.items.values_list("criterion", flat=True)) == ["二"]


def _acceptance(project, deliverable, contact, **extra):
    return {
        "project": project.pk,
        "deliverable": deliverable.pk,
        "decision": "accepted",
        "contact": contact.pk,
        "decided_on": timezone.localdate().isoformat(),
        **extra,
    }


def test_the_manager_records_an_acceptance_with_the_signed_file(
    api_as, project, deliverable, milestone, contact
):
    response = api_as("project_manager").post(
        f"{API}acceptances/",
        _acceptance(project, deliverable, contact, file=upload("验收确认单.pdf")),
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["document"] is not None
    assert body["contact_name"] == "张伟"
    deliverable.refresh_from_db()
    milestone.refresh_from_db()
    assert deliverable.status == "accepted"
    assert milestone.status == Task.Status.DONE


def test_acceptances_by_a_stranger_or_a_member_are_refused(
    api_as, project, deliverable, contact, stranger
):
    response = api_as("project_manager").post(
        f"{API}acceptances/",
        _acceptance(project, deliverable, stranger),
        format="multipart",
    )
    assert response.status_code == 400
    assert "王芳 is not a contact of" in response.json()["contact"][0]
    response = api_as("member").post(
        f"{API}acceptances/",
        _acceptance(project, deliverable, contact),
        format="multipart",
    )
    assert response.status_code == 403
    response = api_as("project_manager").post(
        f"{API}acceptances/",
        _acceptance(project, deliverable, contact, decision="rejected"),
        format="multipart",
    )
    assert response.status_code == 400
    assert "comments are required" in response.json()["comments"][0]
    assert not Acceptance.objects.exists()


def test_acceptances_are_never_edited(api_as, project, deliverable, contact):
    acceptance = services.record_acceptance(
        project,
        deliverable=deliverable,
        decision="accepted",
        contact=contact,
        decided_on=timezone.localdate(),
        user=None,
    )
    response = api_as("project_manager").patch(
        f"{API}acceptances/{acceptance.pk}/", {"comments": "改"}, format="json"
    )
    assert response.status_code == 405


def test_an_action_is_finished_only_with_an_evaluation(api_as, project):
    browser = api_as("member")
    data = {"project": project.pk, "problem": "评审漏项", "status": "act"}
    response = browser.post(f"{API}improvement-actions/", data, format="json")
    assert response.status_code == 400
    assert "Evaluate the effect" in response.json()["evaluation"][0]
    data["evaluation"] = "两次评审无漏项"
    response = browser.post(f"{API}improvement-actions/", data, format="json")
    assert response.status_code == 201
    assert response.json()["completed_on"] == timezone.localdate().isoformat()
    assert ImprovementAction.objects.count() == 1


def test_standards_are_listed_and_added(api_as, project, standard):
    browser = api_as("member")
    rows = browser.get(f"{API}quality-standards/").json()["results"]
    assert [row["target"] for row in rows] == ["P95 响应时间 ≤ 300 ms"]
    response = browser.post(
        f"{API}quality-standards/",
        {"project": project.pk, "category": "service", "title": "问题响应"},
        format="json",
    )
    assert response.status_code == 201


ROLE_REFUSED = {"detail": "Your project role does not allow this change."}


def test_a_member_is_refused_an_acceptance_by_role(
    api_as, project, deliverable, contact
):
    response = api_as("member").post(
        f"{API}acceptances/",
        _acceptance(project, deliverable, contact),
        format="multipart",
    )

    assert (response.status_code, response.json()) == (403, ROLE_REFUSED)
    assert not Acceptance.objects.exists()
    deliverable.refresh_from_db()
    assert deliverable.status == "submitted"


def test_a_viewer_cannot_change_a_deliverable_or_open_an_issue(
    api_as, project, deliverable
):
    review = services.save_review(
        QualityReview(
            project=project,
            deliverable=deliverable,
            title="设计评审",
            reviewed_on=datetime.date(2026, 10, 9),
        ),
        [ReviewItem(criterion="部署架构图", result="fail")],
    )
    item = review.items.get()
    browser = api_as("viewer")

    changed = browser.patch(
        f"{API}deliverables/{deliverable.pk}/",
        {"name": "改名", "version": deliverable.version},
        format="json",
    )
    opened = browser.post(
        f"{API}quality-reviews/{review.pk}/open-issue/",
        {"item": item.pk},
        format="json",
    )

    assert (changed.status_code, opened.status_code) == (403, 403)
    deliverable.refresh_from_db()
    assert deliverable.name == "架构设计说明书"
    item.refresh_from_db()
    assert item.issue is None


def test_an_outsider_cannot_add_a_standard_to_a_project_they_are_not_on(
    api_as, project
):
    response = api_as("staff").post(
        f"{API}quality-standards/",
        {"project": project.pk, "category": "service", "title": "问题响应"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "project": [f'Invalid pk "{project.pk}" - object does not exist.']
    }
    assert not project.quality_standards.exists()


def test_a_deliverable_of_another_project_does_not_exist_for_a_review(api_as, project):
    elsewhere = services.save_deliverable(
        Deliverable(project=ProjectFactory(), name="别人的交付物"), None
    )

    response = api_as("member").post(
        f"{API}quality-reviews/",
        {
            "project": project.pk,
            "deliverable": elsewhere.pk,
            "title": "偷看",
            "reviewed_on": "2026-10-09",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "deliverable": [f'Invalid pk "{elsewhere.pk}" - object does not exist.']
    }
    assert not QualityReview.objects.exists()
