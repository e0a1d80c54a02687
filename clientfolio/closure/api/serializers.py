"""API shapes of the closure app. Validation matches the forms; writes go to
closure.services (a ClosureError is a 400 with its translated message); the viewset base
checks them against the permission layer."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clientfolio.clients.models import Contact
from clientfolio.closure import services
from clientfolio.closure.models import Evaluation, Handover, Lesson
from clientfolio.core.api import VersionedSerializer
from clientfolio.core.permissions import sees_finance
from clientfolio.core.serializers import ScopedRelatedField, TagNamesField
from clientfolio.core.validators import validate_plan_date
from clientfolio.documents.models import Document
from clientfolio.projects.models import Project
from clientfolio.quality.models import Deliverable

__all__ = [
    "CloseSerializer",
    "EvaluationSerializer",
    "HandoverSerializer",
    "LessonSerializer",
    "ReopenSerializer",
    "refuse",
]


def refuse(error: services.ClosureError) -> serializers.ValidationError:
    return serializers.ValidationError({error.field or "detail": [error.message]})


def _same_project(validated_data, instance) -> None:
    if instance is not None and validated_data.get("project", instance.project) != (
        instance.project
    ):
        raise serializers.ValidationError(
            {"project": [_("A record stays in its project.")]}
        )


class LessonSerializer(VersionedSerializer):
    project = ScopedRelatedField(queryset=Project.objects.all())
    tags = TagNamesField(
        child=serializers.CharField(max_length=40), required=False, max_length=20
    )
    author: serializers.StringRelatedField = serializers.StringRelatedField()
    recorded_on = serializers.DateField(required=False, validators=[validate_plan_date])

    class Meta:
        model = Lesson
        fields = [
            "id",
            "project",
            "kind",
            "title",
            "text",
            "tags",
            "author",
            "recorded_on",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["author", "created_at", "updated_at"]

    def create(self, validated_data):
        user = self.context["request"].user
        tags = validated_data.pop("tags", [])
        validated_data.pop("version", None)
        return services.save_lesson(Lesson(author=user, **validated_data), tags=tags)

    def update(self, instance, validated_data):
        _same_project(validated_data, instance)
        tags = validated_data.pop("tags", None)
        version = validated_data.pop("version", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_lesson(instance, tags=tags, expected_version=version)


class HandoverSerializer(VersionedSerializer):
    project = ScopedRelatedField(queryset=Project.objects.all())
    # Any contact: the service refuses another client's contact with a clear message.
    recipients = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.all(), many=True, required=False
    )
    documents = ScopedRelatedField(
        queryset=Document.objects.filter(deleted_at__isnull=True),
        many=True,
        required=False,
    )
    deliverables = ScopedRelatedField(
        queryset=Deliverable.objects.all(), many=True, required=False
    )
    handed_over_by: serializers.StringRelatedField = serializers.StringRelatedField()

    class Meta:
        model = Handover
        fields = [
            "id",
            "project",
            "handed_over_on",
            "handed_over_by",
            "recipients",
            "documents",
            "deliverables",
            "training",
            "notes",
            "updated_at",
            "version",
        ]
        read_only_fields = ["handed_over_by", "updated_at"]

    def _save(self, handover, validated_data, version):
        related = {
            name: validated_data.pop(name, None)
            for name in ("recipients", "documents", "deliverables")
        }
        for name, value in validated_data.items():
            setattr(handover, name, value)
        if handover.pk is not None:
            related = {
                name: getattr(handover, name).all() if value is None else value
                for name, value in related.items()
            }
        try:
            return services.save_handover(
                handover,
                expected_version=version,
                **{name: value or [] for name, value in related.items()},
            )
        except services.ClosureError as error:
            raise refuse(error) from error

    def create(self, validated_data):
        user = self.context["request"].user
        project = validated_data["project"]
        if Handover.objects.filter(project=project).exists():
            raise serializers.ValidationError(
                {"project": [_("This project already has a handover record.")]}
            )
        validated_data.pop("version", None)
        return self._save(Handover(handed_over_by=user), validated_data, None)

    def update(self, instance, validated_data):
        _same_project(validated_data, instance)
        version = validated_data.pop("version", None)
        return self._save(instance, validated_data, version)


class EvaluationSerializer(VersionedSerializer):
    project = ScopedRelatedField(queryset=Project.objects.all())
    # No model validators here: the service answers with its own message.
    satisfaction = serializers.IntegerField(required=False, allow_null=True)
    evaluated_by: serializers.StringRelatedField = serializers.StringRelatedField()
    figures = serializers.SerializerMethodField()

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "project",
            "satisfaction",
            "narrative",
            "evaluated_by",
            "figures",
            "updated_at",
            "version",
        ]
        read_only_fields = ["evaluated_by", "updated_at"]

    def get_figures(self, evaluation) -> dict | None:
        """Schedule, cost and quality figures; only on a single evaluation."""
        if not self.context.get("with_figures"):
            return None
        figures = services.evaluation_figures(evaluation.project)
        # Budget, cost and CPI only for those who may read the project's finance.
        cost = (
            {
                "budget": None if figures.budget is None else str(figures.budget),
                "actual_cost": None
                if figures.actual_cost is None
                else str(figures.actual_cost),
                "cpi": None if figures.cpi is None else str(figures.cpi),
            }
            if sees_finance(self.context["request"].user, evaluation.project)
            else {}
        )
        return {
            "planned_finish": figures.planned_finish,
            "actual_finish": figures.actual_finish,
            "slip_days": figures.slip_days,
            "spi": None if figures.spi is None else str(figures.spi),
            **cost,
            "reviews_passed": figures.reviews_passed,
            "reviews_failed": figures.reviews_failed,
            "acceptances_rejected": figures.acceptances_rejected,
            "satisfaction": figures.satisfaction,
        }

    def _save(self, evaluation, validated_data, version):
        for name, value in validated_data.items():
            setattr(evaluation, name, value)
        evaluation.evaluated_by = self.context["request"].user
        try:
            return services.save_evaluation(evaluation, version)
        except services.ClosureError as error:
            raise refuse(error) from error

    def create(self, validated_data):
        project = validated_data["project"]
        if Evaluation.objects.filter(project=project).exists():
            raise serializers.ValidationError(
                {"project": [_("This project already has a final evaluation.")]}
            )
        validated_data.pop("version", None)
        return self._save(Evaluation(), validated_data, None)

    def update(self, instance, validated_data):
        _same_project(validated_data, instance)
        version = validated_data.pop("version", None)
        return self._save(instance, validated_data, version)


class CloseSerializer(serializers.Serializer):
    override = serializers.BooleanField(required=False, default=False)
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000
    )
    follow_up_days = serializers.IntegerField(
        required=False, default=services.DEFAULT_FOLLOW_UP_DAYS
    )


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
