"""The Asana CSV export (pure reader) and its import through the API.

``data/asana-export.csv`` follows the columns of Asana's project export (Export/Print →
CSV), in its order: ``Task ID, Created At, Completed At, Last Modified, Name,
Section/Column, Assignee, Assignee Email, Start Date, Due Date, Tags, Notes, Projects,
Parent task, Blocked By (Dependencies), Blocking (Dependencies)`` and then the
project's custom fields (here ``Priority``), with ISO dates and a subtask naming its
parent. Based on the header of real exports as used in public code, e.g.
prescottbreeden/my-task-buddy ``src/types/Asana.type.ts`` (``Task ID``, ``Created At``,
``Completed At``, ``Last Modified``, ``Name``, ``Section/Column``, ``Assignee``, ``Start
Date``, ``Due Date``, ``Tags``, ``Notes``, ``Projects``, ``Parent Task``) and tools that
read Asana exports listing ``Assignee Email`` and the two dependency columns.
"""

from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from clientfolio.interchange import asana, table
from clientfolio.schedule.models import Dependency, Task
from tests.core.factories import UserFactory

EXPORT = (Path(__file__).parent / "data" / "asana-export.csv").read_bytes()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=UTC), tick=False):
        yield


def read(data: bytes = EXPORT):
    return asana.read(table.read_csv(data))


def test_sections_become_phases_with_their_tasks_and_subtasks():
    plan, report = read()
    assert report.ok, report.problems
    assert [(t.outline_level, t.name) for t in plan.tasks] == [
        (1, "需求阶段"),
        (2, "需求调研"),
        (2, "原型设计"),
        (3, "首页原型"),  # the subtask, under its parent
        (1, "开发阶段"),
        (2, "开发"),
    ]
    research = plan.tasks[1]
    assert (research.constraint, str(research.constraint_date)) == (
        "snet",
        "2026-03-02",
    )
    assert research.duration == 5  # Monday 2 to Friday 6 March
    assert research.priority == "high"
    assert research.notes == "访谈 5 位用户, 整理纪要\n\nTags: 客户, 紧急"
    assert plan.tasks[2].status == "done"  # it has a Completed At
    # 1201 blocks 1202, which has a subtask: the link goes to the work under it
    assert {(lk.predecessor, lk.successor) for lk in plan.links} == {
        ("1201", "1203"),
        ("1203", "1204"),
    }
    assert [(r.name, r.email) for r in plan.resources] == [
        ("李娜", "LI.NA@example.com"),
        ("Wang Qiang", "wq@example.com"),
    ]
    assert plan.name == "官网改版"
    assert "Created At, Last Modified" in str(report.fields["column"].examples[0][3])


def test_a_parent_not_in_the_file_and_an_unreadable_date_are_reported_by_row():
    data = (
        "Task ID,Name,Section/Column,Parent task,Due Date\n"
        "1,子任务,,不存在的任务,\n"
        "2,任务,待办,,明天\n"
    ).encode("gb18030")
    plan, report = read(data)
    assert [(p.code, p.element) for p in report.problems] == [
        ("date_unreadable", "row 3")
    ]
    assert report.fields["parent"].examples[0][1:3] == ("row 2", "parent_missing")
    assert plan.tasks[0].name == "子任务"


def test_an_export_without_a_name_column_is_refused(api_as):
    with pytest.raises(asana.NoName):
        read(b"Task ID,Section/Column\n1,A\n")
    response = api_as("staff").post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("a.csv", b"Task ID,Section/Column\n1,A\n")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "no “Name” column" in response.json()["file"][0]


def test_an_asana_export_is_imported_into_an_empty_project_over_the_api(
    api_as, project_manager, client_record
):
    from clientfolio.projects import services as project_services
    from clientfolio.projects.models import Project

    li_na = UserFactory(username="li.na", email="li.na@example.com")
    project = project_services.create_project(
        Project(name="官网改版", client=client_record, manager=project_manager),
        user=project_manager,
    )
    api = api_as("project_manager")
    run = api.post(
        "/api/v1/imports/",
        {
            "file": SimpleUploadedFile("asana.csv", b"\xef\xbb\xbf" + EXPORT),
            "project": project.pk,
        },
        format="multipart",
    ).json()
    assert (run["source"], run["status"]) == ("asana", "checked")
    done = api.post(f"/api/v1/imports/{run['id']}/confirm/", {}, format="json")
    assert done.status_code == 200, done.json()
    research = Task.objects.get(project=project, name="需求调研")
    assert research.owner == li_na
    assert research.parent.name == "需求阶段"
    assert Task.objects.get(project=project, name="首页原型").status == "done"
    assert Dependency.objects.filter(project=project).count() == 2
