"""Factories of project folders. Projects, requirements and change requests are saved
through their services, so codes, numbers, manager memberships and first transitions are
what the application would have stored."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from clientfolio.projects import change_control, services
from clientfolio.projects.models import (
    ChangeRequest,
    ChangeRequestTransition,
    Membership,
    Project,
    ProjectRequirement,
)
from tests.clients.factories import ClientFactory
from tests.core.factories import UserFactory


class ProjectFactory(DjangoModelFactory):
    """A project saved with ``services.create_project``: its manager joins as manager."""

    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"测试项目{n}")
    client = factory.SubFactory(ClientFactory)
    manager = factory.SubFactory(UserFactory)
    starts_on = datetime.date(2026, 3, 2)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        tags = kwargs.pop("tags", ())
        project = model_class(*args, **kwargs)
        return services.create_project(project, user=project.manager, tags=tags)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = "member"


class ProjectRequirementFactory(DjangoModelFactory):
    """A requirement added with ``change_control.create_requirement`` (status collected);
    pass ``status=`` to put it further along without the confirmation rules."""

    class Meta:
        model = ProjectRequirement

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"项目需求{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        status = kwargs.pop("status", None)
        requirement = change_control.create_requirement(
            kwargs.pop("project"),
            source=kwargs.pop("source", None),
            title=kwargs.pop("title", ""),
            description=kwargs.pop("description", ""),
            priority=kwargs.pop("priority", ""),
        )
        extra = {**kwargs, **({"status": status} if status else {})}
        if extra:
            ProjectRequirement.objects.filter(pk=requirement.pk).update(**extra)
            requirement.refresh_from_db()
        return requirement


class ChangeRequestFactory(DjangoModelFactory):
    """A change request submitted with ``change_control.create_change_request`` by
    ``user`` (default: the project manager); pass ``status=`` to place it in a later
    state directly (no transitions are recorded for that)."""

    class Meta:
        model = ChangeRequest

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"变更{n}")
    requested_on = datetime.date(2026, 4, 1)
    schedule_impact_days = 0
    cost_impact = Decimal("0.00")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        status = kwargs.pop("status", None)
        user = kwargs.pop("user", None)
        change_request = model_class(*args, **kwargs)
        change_control.create_change_request(
            change_request, user=user or change_request.project.manager
        )
        if status:
            ChangeRequest.objects.filter(pk=change_request.pk).update(status=status)
            change_request.refresh_from_db()
        return change_request


class ChangeRequestTransitionFactory(DjangoModelFactory):
    class Meta:
        model = ChangeRequestTransition

    change_request = factory.SubFactory(ChangeRequestFactory)
    from_status = "submitted"
    to_status = "evaluating"
    user = factory.SubFactory(UserFactory)
    comment = factory.Sequence(lambda n: f"评论{n}")
