"""Factories of the closure app's records (written through the services)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from clientfolio.closure import services
from clientfolio.closure.models import Evaluation, Handover, Lesson
from tests.projects.factories import ProjectFactory

__all__ = ["EvaluationFactory", "HandoverFactory", "LessonFactory"]


class LessonFactory(DjangoModelFactory):
    """A lesson saved with ``services.save_lesson``; pass ``tags=[...]`` for tags."""

    class Meta:
        model = Lesson

    project = factory.SubFactory(ProjectFactory)
    kind = Lesson.Kind.WENT_WELL
    title = factory.Sequence(lambda n: f"每周与客户对齐范围{n}")
    text = "每周五与客户产品负责人对齐需求范围，减少了返工。"
    recorded_on = factory.LazyFunction(lambda: datetime.date(2026, 5, 1))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        tags = kwargs.pop("tags", [])
        return services.save_lesson(model_class(*args, **kwargs), tags=tags)


class HandoverFactory(DjangoModelFactory):
    class Meta:
        model = Handover

    project = factory.SubFactory(ProjectFactory)
    handed_over_on = factory.LazyFunction(lambda: datetime.date(2026, 6, 1))
    training = "管理员培训两次"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        related = {
            name: kwargs.pop(name, [])
            for name in ("documents", "deliverables", "recipients")
        }
        return services.save_handover(model_class(*args, **kwargs), **related)


class EvaluationFactory(DjangoModelFactory):
    class Meta:
        model = Evaluation

    project = factory.SubFactory(ProjectFactory)
    satisfaction = 4
    narrative = "## 总结\n项目按期交付，客户**满意**。"
