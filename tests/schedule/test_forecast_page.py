"""The forecast page: P50/P80/P95 of the project and its milestones."""

from datetime import date

import pytest
from django.urls import reverse

from clientfolio.schedule import services
from clientfolio.schedule.models import Dependency, Task

pytestmark = pytest.mark.django_db


def _plan(project):
    project.starts_on = date(2026, 3, 2)
    project.save()
    design = services.create_task(
        Task(
            project=project,
            name="设计",
            duration=5,
            optimistic_days=4,
            likely_days=5,
            pessimistic_days=12,
        )
    )
    milestone = services.create_task(
        Task(project=project, name="设计评审通过", duration=0, is_milestone=True)
    )
    services.add_dependency(
        Dependency(predecessor=design, successor=milestone, project=project)
    )
    return design, milestone


def test_the_forecast_lists_the_project_and_each_milestone(project, as_persona):
    _plan(project)

    response = as_persona("member").get(
        reverse("schedule:forecast", kwargs={"pk": project.pk}), {"runs": 1000}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "设计评审通过" in body
    assert "P80" in body
    assert 'data-testid="forecast"' in body
    assert "1 tasks have three-point estimates" in body


def test_without_estimates_the_page_says_the_forecast_is_the_plan(project, as_persona):
    services.create_task(Task(project=project, name="开发", duration=3))

    response = as_persona("viewer").get(
        reverse("schedule:forecast", kwargs={"pk": project.pk})
    )

    assert response.status_code == 200
    assert "No task has a three-point estimate yet" in response.content.decode()


def test_an_outsider_gets_404(project, as_persona):
    response = as_persona("staff").get(
        reverse("schedule:forecast", kwargs={"pk": project.pk})
    )

    assert response.status_code == 404
