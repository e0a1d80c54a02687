import datetime

import pytest

from clientfolio.schedule.models import ProjectSchedule
from tests.schedule.factories import DependencyFactory, TaskFactory


@pytest.fixture
def plan(project, member):
    """The shared project from Monday 2026-09-28: 需求分析 (3 days) → 开发 (5 days, over
    the National Day holiday) → 验收 (milestone), under a summary 一期."""
    project.starts_on = datetime.date(2026, 9, 28)
    project.save()
    ProjectSchedule.objects.update_or_create(
        project=project, defaults={"status_date": datetime.date(2026, 9, 28)}
    )
    phase = TaskFactory(project=project, name="一期", duration=1)
    analysis = TaskFactory(
        project=project, parent=phase, name="需求分析", duration=3, owner=member
    )
    build = TaskFactory(project=project, parent=phase, name="开发", duration=5)
    accept = TaskFactory(
        project=project, name="验收", milestone=True, is_client_visible=True
    )
    DependencyFactory(predecessor=analysis, successor=build)
    DependencyFactory(predecessor=build, successor=accept)
    for task in (phase, analysis, build, accept):
        task.refresh_from_db()
    return {"phase": phase, "analysis": analysis, "build": build, "accept": accept}
