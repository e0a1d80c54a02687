"""Fixtures of the risks tests: English messages, a task of the shared project, and a
helper that registers a risk through the service."""

import pytest

from clientfolio.risks import services
from clientfolio.risks.models import Risk


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages in English, whatever the default language."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def task(project):
    from clientfolio.schedule import services as schedule_services
    from clientfolio.schedule.models import Task

    return schedule_services.create_task(Task(project=project, name="接口联调"))


@pytest.fixture
def make_risk(project, project_manager):
    def _make(title="需求变更频繁", *, probability=3, impact=3, **fields):
        return services.create_risk(
            Risk(
                project=fields.pop("target_project", project),
                title=title,
                probability=probability,
                impact=impact,
                **fields,
            ),
            user=project_manager,
        )

    return _make
