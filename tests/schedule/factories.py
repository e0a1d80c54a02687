"""Factories of the schedule. Tasks and links are saved through schedule.services, so WBS
codes and computed dates are what the application would have stored."""

import factory
from factory.django import DjangoModelFactory

from clientfolio.schedule import services
from clientfolio.schedule.models import Dependency, Task
from tests.projects.factories import ProjectFactory


class TaskFactory(DjangoModelFactory):
    """A task added with ``services.create_task`` (``milestone=True`` for a milestone)."""

    class Meta:
        model = Task

    class Params:
        milestone = factory.Trait(is_milestone=True, duration=0)

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"任务{n}")
    duration = 3

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.create_task(model_class(*args, **kwargs))


class DependencyFactory(DjangoModelFactory):
    """A link added with ``services.add_dependency``."""

    class Meta:
        model = Dependency

    kind = Dependency.Kind.FS
    lag = 0

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        dependency = model_class(*args, **kwargs)
        dependency.project_id = dependency.successor.project_id
        return services.add_dependency(dependency)
