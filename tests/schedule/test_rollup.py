"""Summary tasks follow their tasks: span, duration, weighted progress and status."""

from datetime import date

import pytest

from clientfolio.schedule import services
from clientfolio.schedule.models import Dependency, Task

pytestmark = pytest.mark.django_db


def test_a_summary_spans_its_tasks_and_is_done_when_they_all_are(project):
    project.starts_on = date(2027, 3, 1)
    project.save()
    # the plan as of its start, whatever today is (unstarted work starts no earlier)
    schedule = services.ensure_schedule(project)
    schedule.status_date = project.starts_on
    schedule.save(update_fields=["status_date"])
    phase = services.create_task(Task(project=project, name="设计"))
    first = services.create_task(
        Task(project=project, parent=phase, name="架构", duration=3)
    )
    second = services.create_task(
        Task(project=project, parent=phase, name="接口", duration=2)
    )
    services.add_dependency(
        Dependency(predecessor=first, successor=second, project=project)
    )

    phase.refresh_from_db()
    assert (phase.start, phase.finish) == (date(2027, 3, 1), date(2027, 3, 5))
    assert phase.duration == 5
    assert phase.is_summary
    assert phase.status == Task.Status.TODO

    first.status = Task.Status.DONE
    services.update_task(first, first.version)
    phase.refresh_from_db()
    assert phase.status == Task.Status.IN_PROGRESS
    assert phase.percent_complete == 60  # 3 of 5 days' worth, weighted by duration

    second.refresh_from_db()
    second.status = Task.Status.DONE
    services.update_task(second, second.version)
    phase.refresh_from_db()
    assert phase.status == Task.Status.DONE
    assert phase.percent_complete == 100
