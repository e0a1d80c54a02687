"""The comments tests' cast: the shared project with one record of each kind comments
are allowed on (a task, a change request, a risk, an issue, a requirement and a
deliverable), and a task of another project."""

import datetime

import pytest

from clientfolio.quality import services as quality
from clientfolio.quality.models import Deliverable
from clientfolio.risks import services as risks
from clientfolio.risks.models import Risk
from tests.projects.factories import ChangeRequestFactory, ProjectRequirementFactory
from tests.schedule.factories import TaskFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages in English, whatever the default language."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def task(project, member):
    return TaskFactory(project=project, name="接口设计", owner=member)


@pytest.fixture
def change_request(project, project_manager):
    return ChangeRequestFactory(project=project, title="增加报表模块")


@pytest.fixture
def risk(project, project_manager, member):
    return risks.create_risk(
        Risk(
            project=project,
            title="需求变更频繁",
            category="client",
            probability=4,
            impact=3,
            owner=member,
        ),
        user=project_manager,
    )


@pytest.fixture
def issue(project, project_manager):
    return risks.open_issue(project, title="联调环境不可用", user=project_manager)


@pytest.fixture
def requirement(project):
    return ProjectRequirementFactory(project=project, title="统一身份认证")


@pytest.fixture
def deliverable(project, member):
    milestone = TaskFactory(project=project, name="设计评审通过", milestone=True)
    return quality.save_deliverable(
        Deliverable(
            project=project,
            milestone=milestone,
            name="架构设计说明书",
            owner=member,
            due_on=datetime.date(2026, 11, 30),
        )
    )


@pytest.fixture
def records(task, change_request, risk, issue, requirement, deliverable):
    """One record of each kind, by model label."""
    return {
        "schedule.task": task,
        "projects.changerequest": change_request,
        "risks.risk": risk,
        "risks.issue": issue,
        "projects.projectrequirement": requirement,
        "quality.deliverable": deliverable,
    }


@pytest.fixture
def foreign_task(db):
    """A task of another project, which the shared project's team cannot see."""
    return TaskFactory(name="别的项目的任务")
