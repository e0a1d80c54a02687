"""An attachment of a communication record that has since moved to another project (or
was attached there by an administrator or an import) is not listed to a reader who is not
on that project. The links are made with the ORM."""

import pytest
from django.urls import reverse

from tests.comms.factories import CommRecordFactory
from tests.documents.factories import DocumentFactory
from tests.projects.factories import ProjectFactory

SECRET = "机密并购尽调"


@pytest.fixture
def record(project, project_manager):
    other = ProjectFactory(name="另一家客户的项目")
    record = CommRecordFactory(project=project, created_by=project_manager)
    mine = DocumentFactory(project=project, title="会议纪要")
    theirs = DocumentFactory(project=other, title=f"{SECRET}附件")
    record.attachments.add(mine, theirs)
    return {"record": record, "mine": mine, "theirs": theirs}


def test_the_api_lists_only_attachments_the_reader_can_see(record, api_as):
    api = api_as("member")

    listed = api.get(reverse("comm-record-list"))
    one = api.get(reverse("comm-record-detail", args=[record["record"].pk]))

    assert listed.status_code == 200
    assert one.status_code == 200
    [row] = listed.json()["results"]
    assert [a["id"] for a in row["attachments"]] == [record["mine"].pk]
    assert [a["id"] for a in one.json()["attachments"]] == [record["mine"].pk]
    assert SECRET not in listed.content.decode() + one.content.decode()


def test_an_administrator_sees_every_attachment(record, admin_api):
    one = admin_api.get(reverse("comm-record-detail", args=[record["record"].pk]))

    assert sorted(a["id"] for a in one.json()["attachments"]) == sorted(
        [record["mine"].pk, record["theirs"].pk]
    )


def test_the_record_page_names_no_attachment_of_another_project(
    record, project, as_persona
):
    response = as_persona("member").get(
        reverse(
            "comms:record_detail",
            kwargs={"pk": project.pk, "record_pk": record["record"].pk},
        )
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "会议纪要" in body
    assert SECRET not in body
