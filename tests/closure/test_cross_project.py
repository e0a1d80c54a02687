"""A handover listing a document or deliverable since moved to another project (or added
there by an administrator or an import) never names it to a reader who is not on that
project. The links are made with the ORM."""

import pytest
from django.urls import reverse

from clientfolio.quality.models import Deliverable
from tests.closure.factories import HandoverFactory
from tests.documents.factories import DocumentFactory
from tests.projects.factories import ProjectFactory

SECRET = "机密并购尽调"


@pytest.fixture
def handover(project):
    other = ProjectFactory(name="另一家客户的项目")
    mine = DocumentFactory(project=project, title="用户手册")
    theirs = DocumentFactory(project=other, title=f"{SECRET}报告")
    deliverable = Deliverable.objects.create(project=other, name=f"{SECRET}交付物")
    handover = HandoverFactory(project=project, documents=[mine])
    handover.documents.add(theirs)
    handover.deliverables.add(deliverable)
    return {
        "handover": handover,
        "mine": mine,
        "theirs": theirs,
        "deliverable": deliverable,
    }


def test_the_handover_api_leaves_out_another_projects_records(handover, api_as):
    api = api_as("member")

    listed = api.get("/api/v1/handovers/")
    one = api.get(f"/api/v1/handovers/{handover['handover'].pk}/")

    assert listed.status_code == 200
    assert one.status_code == 200
    [row] = listed.json()["results"]
    assert row["documents"] == [handover["mine"].pk]
    assert row["deliverables"] == []
    assert one.json()["documents"] == [handover["mine"].pk]


def test_an_administrator_sees_every_handed_over_record(handover, admin_api):
    one = admin_api.get(f"/api/v1/handovers/{handover['handover'].pk}/").json()

    assert sorted(one["documents"]) == sorted(
        [handover["mine"].pk, handover["theirs"].pk]
    )
    assert one["deliverables"] == [handover["deliverable"].pk]


def test_the_handover_page_names_no_record_of_another_project(
    handover, project, as_persona
):
    response = as_persona("member").get(
        reverse("closure:handover", kwargs={"pk": project.pk})
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "用户手册" in body
    assert SECRET not in body
