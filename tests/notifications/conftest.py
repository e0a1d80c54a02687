"""Publishing events the way the domain services do, and delivering them (the test
transaction never commits, so the on-commit delivery is run by hand)."""

import pytest

from clientfolio.core import events
from tests.schedule.factories import TaskFactory


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """``publish(kind, target, actor=..., recipients=[...], data=...)``: publish and
    deliver at once (JOBS_BACKEND=immediate), like a committed request."""

    def run(kind, target, **kwargs):
        kwargs.setdefault("data", {"title": str(target)})
        with django_capture_on_commit_callbacks(execute=True):
            return events.publish(kind, target, **kwargs)

    return run


@pytest.fixture
def task(project, member):
    """需求调研 of the shared project, owned by the member."""
    return TaskFactory(project=project, name="需求调研", owner=member)
