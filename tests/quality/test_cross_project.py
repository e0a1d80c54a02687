"""Quality records linked to a record of another project (a milestone whose task moved, a
review of another project's deliverable, a signed document moved away, an issue of another
project) never show that record to a reader who is not on its project, and editing the
rest still works. The links are made with the ORM, as an import or the admin would."""

import datetime
import re

import pytest
from django.urls import Resolver404, resolve, reverse

from clientfolio.quality.models import (
    Acceptance,
    Deliverable,
    ImprovementAction,
    QualityReview,
    ReviewItem,
)
from clientfolio.risks.models import Issue
from tests.documents.factories import DocumentFactory
from tests.projects.factories import ProjectFactory
from tests.schedule.factories import TaskFactory

SECRET = "机密并购尽调"


@pytest.fixture
def foreign(project, deliverable, contact, project_manager):
    """Every relation of the shared project's quality records pointing into a project
    nobody on the shared project is on."""
    other = ProjectFactory(name="另一家客户的项目")
    milestone = TaskFactory(project=other, name=f"{SECRET}里程碑", milestone=True)
    their = Deliverable.objects.create(project=other, name=f"{SECRET}交付物")
    document = DocumentFactory(project=other, title=f"{SECRET}签字页")
    issue = Issue.objects.create(project=other, title=f"{SECRET}问题")
    Deliverable.objects.filter(pk=deliverable.pk).update(milestone=milestone)
    review = QualityReview.objects.create(
        project=project,
        deliverable=their,
        title="设计评审",
        reviewed_on=datetime.date(2026, 10, 9),
    )
    item = ReviewItem.objects.create(
        review=review, position=1, criterion="接口", result="fail", issue=issue
    )
    their_review = QualityReview.objects.create(
        project=other, title=f"{SECRET}评审", reviewed_on=datetime.date(2026, 10, 9)
    )
    action = ImprovementAction.objects.create(
        project=project, review=their_review, problem="接口文档不全"
    )
    acceptance = Acceptance.objects.create(
        project=project,
        deliverable=deliverable,
        milestone=milestone,
        decision="accepted",
        contact=contact,
        decided_on=datetime.date(2026, 10, 20),
        document=document,
        recorded_by=project_manager,
    )
    return {
        "milestone": milestone,
        "deliverable": their,
        "document": document,
        "issue": issue,
        "review": review,
        "item": item,
        "their_review": their_review,
        "action": action,
        "acceptance": acceptance,
    }


def _no_foreign_id(rows, field, pk):
    return all(row[field] != pk for row in rows)


def test_the_api_shows_no_foreign_end_of_a_quality_record(foreign, deliverable, api_as):
    api = api_as("member")

    deliverables = api.get("/api/v1/deliverables/")
    one = api.get(f"/api/v1/deliverables/{deliverable.pk}/")
    reviews = api.get("/api/v1/quality-reviews/")
    review = api.get(f"/api/v1/quality-reviews/{foreign['review'].pk}/")
    actions = api.get(f"/api/v1/improvement-actions/{foreign['action'].pk}/")
    acceptances = api.get("/api/v1/acceptances/")

    for response in (deliverables, one, reviews, review, actions, acceptances):
        assert response.status_code == 200, response.content
        assert SECRET not in response.content.decode()
    assert [row["milestone"] for row in deliverables.json()["results"]] == [None]
    assert one.json()["milestone"] is None
    assert review.json()["deliverable"] is None
    assert [item["issue"] for item in review.json()["items"]] == [None]
    assert actions.json()["review"] is None
    [accepted] = acceptances.json()["results"]
    assert (accepted["milestone"], accepted["document"]) == (None, None)
    assert accepted["deliverable"] == deliverable.pk


def test_an_administrator_sees_the_foreign_ends(foreign, deliverable, admin_api):
    review = admin_api.get(f"/api/v1/quality-reviews/{foreign['review'].pk}/").json()
    one = admin_api.get(f"/api/v1/deliverables/{deliverable.pk}/").json()
    [accepted] = admin_api.get("/api/v1/acceptances/").json()["results"]

    assert review["deliverable"] == foreign["deliverable"].pk
    assert [item["issue"] for item in review["items"]] == [foreign["issue"].pk]
    assert one["milestone"] == foreign["milestone"].pk
    assert accepted["document"] == foreign["document"].pk


@pytest.mark.parametrize(
    ("name", "record"),
    [
        ("deliverable_list", None),
        ("deliverable_detail", "deliverable"),
        ("review_list", None),
        ("review_detail", "review"),
        ("action_list", None),
        ("action_detail", "action"),
        ("acceptance_list", None),
    ],
)
def test_the_quality_pages_name_no_foreign_record(
    foreign, project, deliverable, as_persona, name, record
):
    kwargs = {"pk": project.pk}
    if record == "deliverable":
        kwargs["deliverable_pk"] = deliverable.pk
    elif record == "review":
        kwargs["review_pk"] = foreign["review"].pk
    elif record == "action":
        kwargs["action_pk"] = foreign["action"].pk

    response = as_persona("member").get(reverse(f"quality:{name}", kwargs=kwargs))

    assert response.status_code == 200
    body = response.content.decode()
    assert SECRET not in body
    assert _links_to_foreign_records(body, foreign) == []


# URL keyword -> the foreign record of that kind it must never name.
_FOREIGN_KWARGS = {
    "deliverable_pk": "deliverable",
    "review_pk": "their_review",
    "task_pk": "milestone",
    "document_pk": "document",
    "issue_pk": "issue",
}


def _links_to_foreign_records(body, foreign):
    """The links of ``body`` that lead to a foreign record, by resolving each of them
    (a bare id in the page could be any local record's, so ids alone prove nothing)."""
    other_project = foreign["milestone"].project_id
    found = []
    for href in re.findall(r'(?:href|action|hx-get|hx-post)="([^"?#]+)', body):
        try:
            match = resolve(href)
        except Resolver404:
            continue
        kwargs = match.kwargs
        if match.route.startswith("projects/") and kwargs.get("pk") == other_project:
            found.append(href)
        for keyword, name in _FOREIGN_KWARGS.items():
            if kwargs.get(keyword) == foreign[name].pk:
                found.append(href)
    return found


def test_a_deliverable_on_a_moved_milestone_can_still_be_edited(
    foreign, deliverable, api_as
):
    deliverable.refresh_from_db()

    response = api_as("member").patch(
        f"/api/v1/deliverables/{deliverable.pk}/",
        {"description": "补充部署架构图", "version": deliverable.version},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["milestone"] is None
    deliverable.refresh_from_db()
    assert deliverable.milestone_id == foreign["milestone"].pk


def test_choosing_another_projects_milestone_is_still_refused(
    foreign, deliverable, other_milestone, admin_api
):
    deliverable.refresh_from_db()

    response = admin_api.patch(
        f"/api/v1/deliverables/{deliverable.pk}/",
        {"milestone": other_milestone.pk, "version": deliverable.version},
        format="json",
    )

    assert response.status_code == 400
    assert "milestone" in response.json()
