"""The Jira CSV export (pure reader) and its import through the API.

``data/jira-cloud-export.csv`` follows the layout of Jira Cloud's "Export → CSV (all
fields)": the header names and their order (``Summary, Issue key, Issue id, Issue
Type, Status, …, Assignee, Assignee Id, …, Due date, Description, Original estimate,
Σ Original Estimate, …``), repeated columns for multi-valued fields (``Labels``,
``Sprint``, ``Comment``, ``Inward/Outward issue link (Blocks)``), custom fields as
``Custom field (Story Points)`` / ``Custom field (Start date)``, ``Parent`` holding the
parent's issue id, estimates in seconds, dates as ``04/Dec/26 10:15 AM`` and comments as
``date;account id;text``. Based on Atlassian's "Create issues using the CSV importer" and
"Importing data from CSV" (support.atlassian.com, confluence.atlassian.com/servicedeskcloud:
Summary column required, multi-value fields as repeated columns) and on real exports'
headers as used in public code (e.g. prescottbreeden/my-task-buddy
``src/types/Jira.type.ts``: ``Issue Type, Issue Key, Issue Id, Summary, Assignee, …, Due
date``; benbroadley/JiraHelper ``src/config.js``: ``…,Sprint,Sprint,…,Custom field (Story
Points),…``).
"""

from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from clientfolio.interchange import jira, table
from clientfolio.interchange.models import ImportRun
from clientfolio.schedule.models import Dependency, Task
from tests.core.factories import UserFactory

EXPORT = (Path(__file__).parent / "data" / "jira-cloud-export.csv").read_bytes()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=UTC), tick=False):
        yield


def read(data: bytes = EXPORT):
    return jira.read(table.read_csv(data))


def test_issues_become_the_tree_jira_shows_with_their_details():
    plan, report = read()
    assert report.ok, report.problems
    assert [(t.outline_level, t.key, t.name) for t in plan.tasks] == [
        (1, "WEB-1", "官网改版"),  # the epic
        (2, "WEB-2", "首页设计"),
        (2, "WEB-3", "接口联调"),
        (3, "WEB-4", "联调脚本"),  # the sub-task
        (1, "WEB-5", "上线"),
    ]
    assert plan.name == "官网改版项目"  # the first Project name
    design, integration, script, launch = plan.tasks[1:]
    assert (design.status, design.percent_complete) == ("done", 100)
    assert integration.status == "in_progress"
    assert (design.constraint, str(design.constraint_date)) == ("snet", "2026-03-02")
    assert design.duration == 2  # 57,600 seconds at 8 hours a day
    assert script.duration == 1  # 4 hours, rounded up to a day
    assert (launch.is_milestone, launch.constraint) == (True, "fnlt")
    assert (design.priority, integration.priority) == ("medium", "critical")
    assert "2026-03-03 10:15 712020:aaa: 客户要求加视频" in design.notes
    assert "Sprint: Sprint 1, Sprint 2" in design.notes
    assert "Labels: design, 品牌" in design.notes
    assert "Story points: 3" in design.notes
    # formula-looking text stays text
    assert script.notes == '=HYPERLINK("http://evil")'
    # WEB-2 blocks WEB-3, which has a sub-task: the link goes to the work under it
    assert {(lk.predecessor, lk.successor, lk.kind) for lk in plan.links} == {
        ("WEB-2", "WEB-4", "FS"),
        ("WEB-4", "WEB-5", "FS"),
    }
    assert report.fields["link"].dropped == 1  # the Relates link
    assert [(r.name, r.email) for r in plan.resources] == [
        ("li.na@example.com", "li.na@example.com"),
        ("Wang Qiang", ""),
    ]


def test_unknown_columns_are_listed_as_dropped_not_an_error():
    data = b"Summary,Issue key,Flux capacitor,Custom field (Team)\nA,X-1,1.21,T\n"
    plan, report = read(data)
    assert report.ok
    columns = report.fields["column"]
    assert columns.dropped == 2
    assert "Flux capacitor, Custom field (Team)" in str(columns.examples[0][3])
    assert [t.name for t in plan.tasks] == ["A"]


def test_an_export_without_a_summary_column_is_refused():
    with pytest.raises(jira.NoSummary):
        read(b"Issue key,Status\nX-1,Done\n")


def test_a_bad_date_is_a_problem_of_its_row_and_a_parent_loop_too():
    data = b"Summary,Issue key,Issue id,Due date,Parent\nA,X-1,1,soon,2\nB,X-2,2,,1\n"
    _plan, report = read(data)
    assert {(p.code, p.element) for p in report.problems} == {
        ("date_unreadable", "row 2 · X-1"),
        ("parent_cycle", "row 2 · X-1"),
    }


def test_a_chinese_jira_export_in_gbk_is_read():
    text = "概要,问题关键字,状态,到期日\r\n需求调研,KF-1,完成,04/十二月/26\r\n"
    plan, report = read(text.encode("gbk"))
    assert report.ok, report.problems
    task = plan.tasks[0]
    assert (task.name, task.status, str(task.constraint_date)) == (
        "需求调研",
        "done",
        "2026-12-04",
    )


@pytest.fixture
def li_na(db):
    return UserFactory(username="li.na", email="LI.NA@example.com")


def test_a_jira_export_is_imported_as_a_new_project_over_the_api(
    api_as, client_record, li_na
):
    api = api_as("staff")
    run = api.post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("jira.csv", EXPORT, "text/csv")},
        format="multipart",
    )
    assert run.status_code == 201, run.json()
    body = run.json()
    assert (body["source"], body["status"], body["summary"]["tasks"]) == (
        "jira",
        "checked",
        5,
    )
    column = next(f for f in body["fields_report"] if f["code"] == "column")
    assert "Custom field (Team)" in column["examples"][0]["message"]
    people = next(f for f in body["fields_report"] if f["code"] == "people")
    assert (people["mapped"], people["dropped"]) == (1, 1)  # Wang Qiang has no user
    done = api.post(
        f"/api/v1/imports/{body['id']}/confirm/",
        {"client": client_record.pk},
        format="json",
    )
    assert done.status_code == 200, done.json()
    project = done.json()["project"]
    design = Task.objects.get(project=project, name="首页设计")
    assert (design.owner, design.status) == (li_na, Task.Status.DONE)
    assert Task.objects.get(project=project, name="接口联调").is_summary
    assert Dependency.objects.filter(project=project).count() == 2


def test_an_export_without_a_summary_column_stores_nothing(api_as):
    response = api_as("staff").post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("jira.csv", b"Issue key,Status\nX-1,Done\n")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "no “Summary” column" in response.json()["file"][0]
    assert not ImportRun.objects.exists()


def test_a_client_list_is_sent_to_the_client_import(api_as):
    response = api_as("staff").post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("c.csv", "客户名称,行业\n云帆,软件\n".encode())},
        format="multipart",
    )
    assert response.status_code == 400
    assert "client list" in response.json()["file"][0]


def test_a_bad_row_refuses_the_run_with_its_row_and_nothing_is_written(api_as):
    data = b"Summary,Issue key,Due date\nA,X-1,04/Dec/26\nB,X-2,someday\n"
    api = api_as("staff")
    run = api.post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("jira.csv", data)},
        format="multipart",
    )
    assert run.status_code == 201
    body = run.json()
    assert body["status"] == "refused"
    assert body["problems"] == [
        {"element": "row 3 (X-2)", "message": "“someday” in Due date is not a date."}
    ]
    again = api.post(f"/api/v1/imports/{body['id']}/confirm/", {}, format="json")
    assert again.status_code == 400
    assert not Task.objects.exists()


def test_a_formula_named_issue_stays_text_and_is_defused_in_the_plan_export(
    project_manager, client_record
):
    import io

    from openpyxl import load_workbook

    from clientfolio.interchange import services

    data = b'Summary,Issue key\n"=HYPERLINK(""http://evil"",""x"")",X-1\n'
    run = services.check_upload(user=project_manager, data=data, filename="j.csv")
    run = services.confirm_run(
        run, user=project_manager, new_project={"client": client_record}
    )
    task = Task.objects.get(project=run.project)
    assert task.name == '=HYPERLINK("http://evil","x")'
    sheet = services.sheet.write(
        services.plan_from_project(run.project), {"name": "Task name"}
    )
    assert load_workbook(io.BytesIO(sheet)).active["C2"].value.startswith("'=")


def test_the_plan_layout_saved_as_csv_in_gbk_imports_with_its_row_numbers(
    project_manager,
):
    from clientfolio.interchange import services

    text = "标识号,任务名称,工期,前置任务\r\n1,需求调研,5,\r\n2,开发,3,1FS+2\r\n3,上线,1,9\r\n"
    run = services.check_upload(
        user=project_manager, data=text.encode("gbk"), filename="plan.csv"
    )
    assert (run.source, run.status) == ("csv", "refused")
    assert run.report["problems"] == [
        {"code": "predecessor_missing", "element": "row 4", "params": {"key": 9}}
    ]
