"""The risks API: risks with their assessments, the matrix, and the issue log."""

import pytest

from clientfolio.risks import services
from clientfolio.risks.models import Issue, Risk


def test_a_risk_is_created_with_its_first_assessment(api_as, project, member, task):
    # when a member registers a risk through the API
    response = api_as("member").post(
        "/api/v1/risks/",
        {
            "project": project.pk,
            "title": "接口联调延期",
            "category": "external",
            "probability": 4,
            "impact": 4,
            "owner": member.pk,
            "tasks": [task.pk],
            "note": "首次评估",
        },
        format="json",
    )

    # then it is scored and levelled, and its first assessment is kept
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["score"], body["level"], body["tasks"]) == (16, "high", [task.pk])
    assert body["version"] == 1
    assert body["overdue"] is False
    assert "note" not in body
    assert Risk.objects.get().assessments.get().note == "首次评估"


@pytest.mark.parametrize("value", [0, 6, "x"])
def test_a_rating_off_the_scale_is_400(api_as, project, value):
    response = api_as("member").post(
        "/api/v1/risks/",
        {"project": project.pk, "title": "风险", "probability": value, "impact": 3},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"probability": ["Choose a rating from 1 to 5."]}
    assert not Risk.objects.exists()


def test_an_owner_off_the_team_or_a_foreign_task_is_400(
    api_as, project, staff, project_manager, client_record
):
    from clientfolio.projects import services as project_services
    from clientfolio.projects.models import Project
    from clientfolio.schedule import services as schedule_services
    from clientfolio.schedule.models import Task

    other = project_services.create_project(
        Project(name="另一个项目", client=client_record, manager=project_manager),
        user=project_manager,
    )
    foreign = schedule_services.create_task(Task(project=other, name="别处的任务"))
    base = {"project": project.pk, "title": "风险", "probability": 2, "impact": 2}
    owner = api_as("member").post(
        "/api/v1/risks/", {**base, "owner": staff.pk}, format="json"
    )
    tasks = api_as("member").post(
        "/api/v1/risks/", {**base, "tasks": [foreign.pk]}, format="json"
    )
    assert owner.status_code == 400
    assert owner.json() == {"owner": ["The owner must be on the project team."]}
    assert tasks.status_code == 400
    # a task of a project the member is not on does not exist for them
    assert tasks.json() == {
        "tasks": [f'Invalid pk "{foreign.pk}" - object does not exist.']
    }
    assert not Risk.objects.exists()


def test_an_update_needs_the_version_and_a_stale_one_is_409(api_as, make_risk):
    risk = make_risk(probability=2, impact=2)
    url = f"/api/v1/risks/{risk.pk}/"
    browser = api_as("member")

    missing = browser.patch(url, {"impact": 5}, format="json")
    assert missing.status_code == 400
    assert "version" in missing.json()

    ok = browser.patch(url, {"impact": 5, "version": 1}, format="json")
    assert ok.status_code == 200, ok.content
    assert (ok.json()["score"], ok.json()["version"]) == (10, 2)
    assert risk.assessments.count() == 2

    stale = browser.patch(url, {"impact": 1, "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    risk.refresh_from_db()
    assert risk.impact == 5


def test_reassessing_through_the_api_keeps_the_trend(api_as, make_risk, member):
    # given a risk rated 4 × 4
    risk = make_risk(probability=4, impact=4)
    url = f"/api/v1/risks/{risk.pk}/assessments/"

    # when the member reassesses it
    response = api_as("member").post(
        url, {"probability": 2, "impact": 4, "note": "已缓解"}, format="json"
    )

    # then the assessment is created and the list has the whole trend, oldest first
    assert response.status_code == 201, response.content
    assert response.json()["score"] == 8
    assert response.json()["assessed_by"] == member.pk
    listed = api_as("viewer").get(url).json()
    assert listed["count"] == 2
    assert [a["score"] for a in listed["results"]] == [16, 8]
    assert listed["results"][1]["note"] == "已缓解"

    # and a rating off the scale is 400, a viewer is 403, an outsider 404
    bad = api_as("member").post(url, {"probability": 6, "impact": 1}, format="json")
    assert bad.status_code == 400
    assert bad.json() == {"probability": ["Choose a rating from 1 to 5."]}
    assert (
        api_as("viewer").post(url, {"probability": 1, "impact": 1}).status_code == 403
    )
    assert api_as("staff").get(url).status_code == 404
    assert risk.assessments.count() == 2


def test_the_matrix_counts_open_risks_per_cell(api_as, make_risk, project):
    make_risk(probability=4, impact=3)
    make_risk(probability=4, impact=3)
    make_risk(probability=5, impact=5, status="closed")
    body = api_as("viewer").get(f"/api/v1/risks/matrix/?project={project.pk}").json()
    cells = {(c["probability"], c["impact"]): c for c in body["cells"]}
    assert len(cells) == 25
    assert cells[(4, 3)]["count"] == 2
    assert cells[(5, 5)]["count"] == 0
    assert cells[(5, 5)]["level"] == "critical"
    assert body["thresholds"] == [4, 9, 16]
    assert (
        api_as("staff").get("/api/v1/risks/matrix/").json()["cells"][18]["count"] == 0
    )


def test_outsiders_see_no_risks(api_as, make_risk):
    risk = make_risk()
    assert api_as("staff").get("/api/v1/risks/").json()["results"] == []
    assert api_as("staff").get(f"/api/v1/risks/{risk.pk}/").status_code == 404


def test_only_the_manager_deletes_a_risk(api_as, make_risk):
    risk = make_risk()
    assert api_as("member").delete(f"/api/v1/risks/{risk.pk}/").status_code == 403
    assert (
        api_as("project_manager").delete(f"/api/v1/risks/{risk.pk}/").status_code == 204
    )
    assert not Risk.objects.exists()


def test_issues_through_the_api(api_as, project, make_risk, member):
    # given a risk
    risk = make_risk()

    # when the member opens an issue from it
    response = api_as("member").post(
        "/api/v1/issues/",
        {"project": project.pk, "title": "接口联调失败", "severity": "critical",
         "owner": member.pk, "source_risk": risk.pk, "due_on": "2026-12-01"},
        format="json",
    )  # fmt: skip

    # then it is open and linked; a bad severity is 400; it is resolved with its version
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["source_risk"], body["created_by"]) == (
        "open",
        risk.pk,
        member.pk,
    )
    bad = api_as("member").post(
        "/api/v1/issues/",
        {"project": project.pk, "title": "x", "severity": "urgent"},
        format="json",
    )
    assert bad.status_code == 400
    assert "severity" in bad.json()
    url = f"/api/v1/issues/{body['id']}/"
    done = api_as("member").patch(
        url,
        {"status": "resolved", "resolution": "更换证书", "version": 1},
        format="json",
    )
    assert done.status_code == 200
    assert done.json()["status"] == "resolved"
    assert (
        api_as("member")
        .patch(url, {"status": "open", "version": 1}, format="json")
        .status_code
        == 409
    )
    assert Issue.objects.get().status == "resolved"


def test_open_issue_contract_is_importable_by_other_apps(project, project_manager):
    # the quality app calls this exact signature
    issue = services.open_issue(
        project, title="验收不通过", description="", severity="medium", owner=None,
        due_on=None, user=project_manager, source_risk=None,
    )  # fmt: skip
    assert Issue.objects.get() == issue
    assert issue._meta.label == "risks.Issue"
