"""Imports through the services, the pages and the API: into an empty project or a new
one, all or nothing, and the plan exported and imported again."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clientfolio.interchange import mspdi, services
from clientfolio.interchange.models import ImportRun
from clientfolio.projects import services as project_services
from clientfolio.projects.models import Membership, Project
from clientfolio.schedule.models import (
    Assignment,
    Baseline,
    CalendarDay,
    Dependency,
    Task,
)
from tests.core.factories import UserFactory
from tests.interchange.test_mspdi import TESTDATA, needs_testdata

# A Monday in 2026: the status date of every computation here.
TODAY = datetime(2026, 3, 2, 9, tzinfo=UTC)

PLAN = (
    '<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project">'
    "<Title>官网改版</Title><StartDate>2026-03-02T08:00:00</StartDate>"
    "<MinutesPerDay>480</MinutesPerDay><CalendarUID>1</CalendarUID><Calendars><Calendar>"
    "<UID>1</UID><Name>Standard</Name><WeekDays>"
    "<WeekDay><DayType>1</DayType><DayWorking>0</DayWorking></WeekDay>"
    "<WeekDay><DayType>7</DayType><DayWorking>0</DayWorking></WeekDay></WeekDays>"
    "<Exceptions><Exception><TimePeriod><FromDate>2026-03-05T00:00:00</FromDate>"
    "<ToDate>2026-03-05T23:59:00</ToDate></TimePeriod><Name>团建</Name>"
    "<DayWorking>0</DayWorking></Exception></Exceptions></Calendar></Calendars><Tasks>"
    "<Task><UID>1</UID><Name>设计</Name><OutlineLevel>1</OutlineLevel><Summary>1</Summary>"
    "<Duration>PT40H0M0S</Duration></Task>"
    "<Task><UID>2</UID><Name>原型</Name><OutlineLevel>2</OutlineLevel>"
    "<Duration>PT24H0M0S</Duration><Baseline><Number>0</Number>"
    "<Start>2026-03-02T08:00:00</Start><Finish>2026-03-04T17:00:00</Finish>"
    "<Duration>PT24H0M0S</Duration></Baseline></Task>"
    "<Task><UID>3</UID><Name>评审</Name><OutlineLevel>2</OutlineLevel>"
    "<Duration>PT12H0M0S</Duration><PredecessorLink><PredecessorUID>2</PredecessorUID>"
    "<Type>1</Type><LinkLag>4800</LinkLag><LagFormat>7</LagFormat></PredecessorLink></Task>"
    "<Task><UID>4</UID><Name>上线</Name><OutlineLevel>1</OutlineLevel><Milestone>1</Milestone>"
    "<Duration>PT0H0M0S</Duration><PredecessorLink><PredecessorUID>3</PredecessorUID>"
    "</PredecessorLink></Task></Tasks>"
    "<Resources><Resource><UID>1</UID><Name>Li Na</Name>"
    "<EmailAddress>LI.NA@example.com</EmailAddress><Type>1</Type></Resource>"
    "<Resource><UID>2</UID><Name>Nobody</Name><EmailAddress>nobody@example.com</EmailAddress>"
    "<Type>1</Type></Resource></Resources>"
    "<Assignments><Assignment><UID>1</UID><TaskUID>2</TaskUID><ResourceUID>1</ResourceUID>"
    "<Work>PT24H0M0S</Work></Assignment><Assignment><UID>2</UID><TaskUID>3</TaskUID>"
    "<ResourceUID>2</ResourceUID><Work>PT8H0M0S</Work></Assignment></Assignments></Project>"
).encode()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def empty_project(project_manager, client_record):
    return project_services.create_project(
        Project(name="官网改版项目", client=client_record, manager=project_manager),
        user=project_manager,
    )


@pytest.fixture
def li_na(db):
    return UserFactory(username="li.na", email="li.na@example.com")


def test_a_plan_is_imported_into_an_empty_project(
    empty_project, project_manager, li_na
):
    # given a checked MS Project file for the empty project
    run = services.check_upload(
        user=project_manager, data=PLAN, filename="plan.xml", project=empty_project
    )
    assert run.status == ImportRun.Status.CHECKED
    assert run.summary["tasks"] == 4
    assert run.summary["people_matched"] == 1

    # when it is confirmed
    run = services.confirm_run(run, user=project_manager)

    # then the tree, links, calendar, baseline and people are in the project
    assert run.status == ImportRun.Status.IMPORTED, run.result
    tasks = {t.name: t for t in Task.objects.filter(project=empty_project)}
    assert [(t.wbs, t.name) for t in Task.objects.filter(project=empty_project)] == [
        ("1", "设计"),
        ("1.1", "原型"),
        ("1.2", "评审"),
        ("2", "上线"),
    ]
    assert tasks["评审"].duration == 2  # 12 hours, rounded up from 1.5 days
    assert tasks["上线"].is_milestone
    link = Dependency.objects.get(successor=tasks["评审"])
    assert (link.kind, link.lag) == ("FS", 1)
    # 原型 Mon 2 – Wed 4; Thursday is the file's holiday; one day lag: 评审 from Mon 9
    assert (tasks["原型"].start.isoformat(), tasks["原型"].finish.isoformat()) == (
        "2026-03-02",
        "2026-03-04",
    )
    assert tasks["评审"].start.isoformat() == "2026-03-09"
    assert CalendarDay.objects.get(schedule__project=empty_project).name == "团建"
    assert Baseline.objects.get(project=empty_project).tasks.count() == 1
    assert Assignment.objects.get(task=tasks["原型"]).user == li_na
    assert Membership.objects.filter(project=empty_project, user=li_na).exists()
    assert run.report["fields"]["people"]["dropped"] == 1


def test_a_plan_that_cannot_be_scheduled_leaves_nothing_behind(
    project_manager, client_record
):
    # given a plan whose lag pushes it past the last plan date, for a new project
    far = PLAN.replace(b"<LinkLag>4800</LinkLag>", b"<LinkLag>4800000</LinkLag>")
    far = far.replace(
        b"PT24H0M0S</Duration><Baseline>", b"PT39000H0M0S</Duration><Baseline>"
    )
    far = far.replace(
        b"2026-03-02T08:00:00</StartDate>", b"2195-01-02T08:00:00</StartDate>"
    )
    run = services.check_upload(user=project_manager, data=far, filename="far.xml")
    assert run.status == ImportRun.Status.CHECKED
    projects = Project.objects.count()

    # when it is confirmed
    run = services.confirm_run(
        run, user=project_manager, new_project={"client": client_record, "name": "远"}
    )

    # then it failed with the reason, and no project or task was made
    assert run.status == ImportRun.Status.FAILED
    assert "2200-12-31" in run.result["error"]
    assert Project.objects.count() == projects
    assert not Task.objects.filter(name="原型").exists()


def test_a_project_with_tasks_refuses_the_import(project, project_manager):
    from tests.schedule.factories import TaskFactory

    TaskFactory(project=project)
    run = services.check_upload(
        user=project_manager, data=PLAN, filename="plan.xml", project=project
    )
    assert run.status == ImportRun.Status.REFUSED
    assert run.upload == b""
    assert [p["code"] for p in run.report["problems"]] == ["project_not_empty"]


@needs_testdata
def test_a_real_file_round_trips_through_a_project(project_manager, client_record):
    # given sample.xml imported into a new project
    data = (TESTDATA / "sample.xml").read_bytes()
    first = services.confirm_run(
        services.check_upload(user=project_manager, data=data, filename="sample.xml"),
        user=project_manager,
        new_project={"client": client_record, "name": "样例"},
    )
    assert first.status == ImportRun.Status.IMPORTED, first.result

    # when the project is exported and the file imported into another project
    exported = mspdi.write(services.plan_from_project(first.project))
    second = services.confirm_run(
        services.check_upload(user=project_manager, data=exported, filename="back.xml"),
        user=project_manager,
        new_project={"client": client_record, "name": "样例二"},
    )

    # then both schedules are the same, task by task
    def schedule(project):
        return list(
            Task.objects.filter(project=project).values_list(
                "wbs",
                "name",
                "duration",
                "is_milestone",
                "constraint",
                "start",
                "finish",
            )
        )

    assert schedule(second.project) == schedule(first.project)
    links = lambda project: sorted(  # noqa: E731
        Dependency.objects.filter(project=project).values_list(
            "predecessor__wbs", "successor__wbs", "kind", "lag"
        )
    )
    assert links(second.project) == links(first.project)


# --- pages -------------------------------------------------------------------------------------


def test_the_page_checks_an_upload_and_shows_the_field_report(
    as_persona, empty_project, li_na
):
    browser = as_persona("project_manager")
    url = reverse("interchange:project_import", kwargs={"pk": empty_project.pk})
    response = browser.post(url, {"file": SimpleUploadedFile("plan.xml", PLAN)})
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("interchange:run_detail", args=[run.pk])

    page = browser.get(response["Location"]).content.decode()
    assert "Ready to import" in page
    assert 'data-field="duration"' in page
    assert "1.5 days rounded to 2 working days" in page
    assert "task UID 3" in page
    assert "Nobody" in page  # the person no user matched, named


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"just some text",
            "neither a Microsoft Project XML file, an Excel workbook",
        ),
        (b"<html><body>hello</body></html>", "not a Microsoft Project document"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><Project/>', "refused for safety"),
    ],
)
def test_a_file_that_is_not_a_plan_gets_a_clear_message(
    as_persona, empty_project, content, message
):
    url = reverse("interchange:project_import", kwargs={"pk": empty_project.pk})
    response = as_persona("project_manager").post(
        url, {"file": SimpleUploadedFile("plan.xml", content)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_huge_file_is_refused_before_it_is_read(as_persona, settings):
    settings.IMPORT_MAX_BYTES = 1000
    response = as_persona("project_manager").post(
        reverse("interchange:new_project_import"),
        {"file": SimpleUploadedFile("big.xml", b"<Project>" + b" " * 2000)},
    )
    assert response.status_code == 400
    assert "files up to 0 MB can be imported" in response.content.decode()


def test_a_new_project_is_made_from_the_file_on_confirmation(
    as_persona, project_manager, client_record
):
    browser = as_persona("project_manager")
    browser.post(
        reverse("interchange:new_project_import"),
        {"file": SimpleUploadedFile("plan.xml", PLAN)},
    )
    run = ImportRun.objects.get()
    url = reverse("interchange:run_detail", args=[run.pk])
    missing = browser.post(url, {"name": "官网改版"})
    assert missing.status_code == 400  # no client chosen: the form says so

    response = browser.post(url, {"name": "官网改版", "client": client_record.pk})

    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportRun.Status.IMPORTED
    assert run.project.name == "官网改版"
    assert run.project.manager == project_manager
    assert run.project.tasks.count() == 4
    assert "Imported 4 tasks and 2 links." in browser.get(url).content.decode()


def test_the_run_list_shows_only_the_users_own_runs(as_persona, project_manager, staff):
    mine = ImportRun.objects.create(
        user=project_manager, source="mspdi", filename="我的.xml"
    )
    ImportRun.objects.create(user=staff, source="mspdi", filename="别人的.xml")
    page = as_persona("project_manager").get(reverse("interchange:run_list"))
    body = page.content.decode()
    assert mine.filename in body
    assert "别人的.xml" not in body


def test_the_plan_exports_to_both_formats(as_persona, project, project_manager):
    from tests.schedule.factories import TaskFactory

    TaskFactory(project=project, name="接口开发")
    browser = as_persona("member")
    xml = browser.get(reverse("interchange:project_export_mspdi", args=[project.pk]))
    assert xml["Content-Disposition"].endswith('-plan.xml"')
    plan, report = mspdi.read(xml.content)
    assert [t.name for t in plan.tasks] == ["接口开发"]
    assert report.ok
    xlsx = browser.get(reverse("interchange:project_export_xlsx", args=[project.pk]))
    assert xlsx.content[:2] == b"PK"


# --- API ----------------------------------------------------------------------------------------


def test_the_api_uploads_checks_and_confirms(api_as, empty_project, li_na):
    api = api_as("project_manager")
    response = api.post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("plan.xml", PLAN), "project": empty_project.pk},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "checked"
    assert body["summary"]["tasks"] == 4
    duration = next(f for f in body["fields_report"] if f["code"] == "duration")
    assert (duration["mapped"], duration["approximated"]) == (3, 1)
    assert duration["examples"][0]["element"] == "task UID 3"

    confirmed = api.post(f"/api/v1/imports/{body['id']}/confirm/", {}, format="json")

    assert confirmed.status_code == 200
    assert confirmed.json()["result"]["tasks"] == 4
    again = api.post(f"/api/v1/imports/{body['id']}/confirm/", {}, format="json")
    assert again.status_code == 400
    assert "status" in again.json()


def test_the_api_refuses_what_is_not_a_plan_with_a_field_error(api_as):
    response = api_as("staff").post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("x.xml", b"hello")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "neither a Microsoft Project XML file" in response.json()["file"][0]


def test_a_new_project_import_over_the_api_needs_a_client(api_as, client_record):
    api = api_as("staff")
    run = api.post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("plan.xml", PLAN)},
        format="multipart",
    ).json()
    missing = api.post(f"/api/v1/imports/{run['id']}/confirm/", {}, format="json")
    assert missing.status_code == 400
    assert "client" in missing.json()
    done = api.post(
        f"/api/v1/imports/{run['id']}/confirm/",
        {"client": client_record.pk, "name": "接口建的项目"},
        format="json",
    )
    assert done.status_code == 200
    assert Project.objects.get(pk=done.json()["project"]).name == "接口建的项目"


def test_the_api_exports_the_plan(api_as, project):
    response = api_as("project_manager").get(
        f"/api/v1/projects/{project.pk}/plan-export/?file=xlsx"
    )
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    bad = api_as("project_manager").get(
        f"/api/v1/projects/{project.pk}/plan-export/?file=pdf"
    )
    assert bad.status_code == 400
