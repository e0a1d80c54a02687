"""Saving a project as a template and starting a project from one: the whole structure
in one transaction, dates from the schedule engine on the project's calendar."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.utils import translation

from clientfolio.blueprints import builtin, services
from clientfolio.blueprints.models import ProjectOrigin, ProjectTemplate
from clientfolio.documents.models import Folder
from clientfolio.projects.models import Membership, Project
from clientfolio.projects.services import CodeTaken
from clientfolio.quality.models import Deliverable, QualityStandard
from clientfolio.risks.models import Risk, RiskAssessment
from clientfolio.schedule import services as schedule_services
from clientfolio.schedule.models import Dependency, Task
from tests.clients.factories import ClientFactory
from tests.conftest import make_staff, shared_records

# 2026-10-01 is National Day: the holiday runs to 10-08 (make-up workdays around it).
NATIONAL_DAY = date(2026, 10, 1)


@pytest.fixture(scope="module")
def records(django_db_setup, django_db_blocker):
    def build():
        staff = make_staff()
        install = builtin.install(staff)
        return {
            "staff": staff,
            "client": ClientFactory(name="杭州远景科技有限公司", owner=staff),
            "software": ProjectTemplate.objects.get(
                builtin_key="software-implementation"
            ),
            "installed": install,
        }

    with shared_records(django_db_blocker) as shared:
        yield shared.build(build)


@pytest.fixture(autouse=True)
def before_the_plans():
    """Today is before every start date below: the engine schedules the work that has
    not started from the status date (today) on."""
    with time_machine.travel(datetime(2026, 2, 2, 9, tzinfo=UTC), tick=False):
        yield


def start(records, **kwargs):
    options = {
        "user": records["staff"],
        "client": records["client"],
        "name": "远景 ERP 实施",
        "manager": records["staff"],
        "starts_on": NATIONAL_DAY,
        "calendar": "cn",
        "language": "zh",
        **kwargs,
    }
    return services.start_project(records["software"], **options)


def test_a_start_on_a_holiday_moves_to_the_next_working_day(records, db):
    # when a project starts from the software template on National Day
    result = start(records)

    # then the plan starts on the first working day after the holiday, and says so
    project = Project.objects.get(pk=result.project.pk)
    calendar = schedule_services.calendar_for(project).calendar
    assert result.moved
    assert result.start == calendar.next_workday(NATIONAL_DAY) > date(2026, 10, 7)
    assert project.starts_on == result.start
    # and every task is scheduled on the working calendar by the engine
    tasks = list(Task.objects.filter(project=project))
    assert len(tasks) == 30
    leaves = [t for t in tasks if not t.is_summary]
    assert all(calendar.is_workday(t.start) for t in leaves if t.duration)
    assert min(t.start for t in tasks) == result.start
    assert project.planned_finish_on == max(t.finish for t in tasks) == result.finish
    discovery = Task.objects.get(project=project, name="业务现状调研与访谈")
    kickoff = Task.objects.get(project=project, name="项目启动会")
    assert discovery.start > kickoff.finish


def test_the_whole_structure_is_created_in_the_chosen_language(records, db):
    result = start(records, language="en", calendar="plain", starts_on=date(2026, 3, 2))
    project = result.project

    assert not result.moved
    assert Task.objects.filter(project=project, name="Requirements discovery").exists()
    assert Dependency.objects.filter(project=project).count() == 28
    link = Dependency.objects.get(
        project=project,
        successor__name="Requirements specification",
        predecessor__name="Current-state interviews",
    )
    assert (link.kind, link.lag) == ("SS", 2)
    milestone = Task.objects.get(project=project, name="Project accepted")
    assert milestone.is_milestone
    assert "Acceptance certificate" in (milestone.acceptance_criteria)
    cut_over_infra = Task.objects.get(project=project, name="Environments set up")
    assert not cut_over_infra.is_client_visible
    # folders: the firm's defaults are not added on top, subfolders sit in their parent
    testing = Folder.objects.get(project=project, name="05 Testing")
    assert set(testing.children.values_list("name", flat=True)) == {
        "Test cases",
        "Defect reports",
    }
    assert Risk.objects.filter(project=project).count() == 5
    assert RiskAssessment.objects.filter(risk__project=project).count() == 5
    assert not Risk.objects.filter(project=project, owner__isnull=False).exists()
    assert QualityStandard.objects.filter(project=project).count() == 4
    report = Deliverable.objects.get(project=project, name="Acceptance report")
    assert report.milestone == milestone
    assert report.due_on == milestone.finish
    # the roles wait to be staffed: only the manager is on the team
    assert list(Membership.objects.filter(project=project).values_list("role")) == [
        ("manager",)
    ]
    assert "Business analyst" in result.roles
    origin = ProjectOrigin.objects.get(project=project)
    assert (origin.template, origin.revision_number) == (records["software"], 1)


def test_a_saved_project_starts_the_same_plan_again(records, db):
    # given a project started from the software template
    first = start(records, starts_on=date(2026, 4, 1))

    # when it is saved as a template and a project is started from that
    saved = services.save_project_as_template(
        first.project, user=records["staff"], name="远景实施", language="zh"
    )
    second = services.start_project(
        saved,
        user=records["staff"],
        client=records["client"],
        name="远景二期",
        manager=records["staff"],
        starts_on=date(2026, 4, 1),
        language="zh",
    )

    # then it has the same tasks, durations, links and dates
    def shape(project):
        return sorted(
            Task.objects.filter(project=project).values_list(
                "wbs", "name", "duration", "is_milestone", "start", "finish"
            )
        )

    def links(project):
        return sorted(
            Dependency.objects.filter(project=project).values_list(
                "predecessor__wbs", "successor__wbs", "kind", "lag"
            )
        )

    assert shape(second.project) == shape(first.project)
    assert links(second.project) == links(first.project)
    assert saved.name_zh == "远景实施"
    assert saved.source_project == first.project
    assert Risk.objects.filter(project=second.project).count() == 5
    assert (
        Folder.objects.filter(project=second.project).count()
        == Folder.objects.filter(project=first.project).count()
    )


def test_saving_into_a_template_adds_a_version(records, db):
    first = start(records, starts_on=date(2026, 4, 1))
    saved = services.save_project_as_template(
        first.project, user=records["staff"], name="远景实施"
    )

    services.save_project_as_template(
        first.project, user=records["staff"], name="", template=saved
    )

    assert list(saved.revisions.values_list("number", flat=True)) == [2, 1]


def test_a_template_whose_links_make_a_cycle_is_refused(records, db):
    content = {
        "tasks": [{"ref": "a", "name": "设计"}, {"ref": "b", "name": "开发"}],
        "links": [{"from": "a", "to": "b"}, {"from": "b", "to": "a"}],
    }

    with translation.override("en"), pytest.raises(services.TemplateError) as error:
        services.create_template(user=records["staff"], content=content, name_zh="环")

    assert "cycle" in error.value.message
    assert "设计 (a) → 开发 (b) → 设计 (a)" in error.value.message
    assert not ProjectTemplate.objects.filter(name_zh="环").exists()


def test_a_taken_code_creates_nothing(records, db):
    start(records, code="P-TPL-1")
    before = Task.objects.count()

    with pytest.raises(CodeTaken):
        start(records, code="P-TPL-1")

    assert Task.objects.count() == before
    assert Project.objects.filter(code="P-TPL-1").count() == 1


def test_installing_the_built_ins_again_adds_no_copies(records, db):
    assert records["installed"] == 3
    builtin.install()
    assert ProjectTemplate.objects.filter(builtin_key__isnull=False).count() == 3
    assert records["software"].revisions.count() == 1
