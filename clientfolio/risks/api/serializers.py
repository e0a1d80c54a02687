"""API shapes of the risk register and the issue log. Validation matches the forms; writes
go to risks.services, whose refusals (``RiskError``) are 400 under the field concerned."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clientfolio.core.api import VersionedSerializer
from clientfolio.core.models import User
from clientfolio.core.serializers import ScopedRelatedField
from clientfolio.projects.models import Project
from clientfolio.risks import services
from clientfolio.risks.models import Issue, Risk, RiskAssessment
from clientfolio.schedule.models import Task

__all__ = [
    "IssueSerializer",
    "ReassessSerializer",
    "RiskAssessmentSerializer",
    "RiskSerializer",
]

STAFF = User.objects.internal().active()
RATING_ERRORS: dict[str, Any] = {
    "invalid": _("Choose a rating from 1 to 5."),
    "min_value": _("Choose a rating from 1 to 5."),
    "max_value": _("Choose a rating from 1 to 5."),
    "max_string_length": _("Choose a rating from 1 to 5."),
}


def rating(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1, max_value=5, error_messages=RATING_ERRORS, **kwargs
    )


def _refused(error: services.RiskError) -> serializers.ValidationError:
    return serializers.ValidationError(
        {error.field or "non_field_errors": [error.text]}
    )


class _ProjectRecordSerializer(VersionedSerializer):
    model_class: Any = None

    def _project(self, attrs: dict[str, Any]) -> Project:
        project = attrs.get("project") or getattr(self.instance, "project", None)
        if project is None:
            raise serializers.ValidationError({"project": _("This field is required.")})
        if (
            self.instance is not None
            and "project" in attrs
            and attrs["project"] != self.instance.project
        ):
            raise serializers.ValidationError(
                {"project": _("A record cannot move to another project.")}
            )
        return project


class RiskSerializer(_ProjectRecordSerializer):
    model_class = Risk
    project = ScopedRelatedField(queryset=Project.objects.all())
    probability = rating()
    impact = rating()
    owner = serializers.PrimaryKeyRelatedField(
        queryset=STAFF, allow_null=True, required=False
    )
    owner_name = serializers.SerializerMethodField()
    # A task of another project (left behind by a move, or linked by an administrator)
    # is not listed to a reader who is not on that project.
    tasks = ScopedRelatedField(queryset=Task.objects.all(), many=True, required=False)
    overdue = serializers.SerializerMethodField()
    note = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=1000,
        help_text="Kept with the assessment when the rating changes.",
    )

    class Meta:
        model = Risk
        fields = [
            "id",
            "project",
            "title",
            "description",
            "category",
            "probability",
            "impact",
            "score",
            "level",
            "strategy",
            "response_plan",
            "contingency_plan",
            "trigger",
            "owner",
            "owner_name",
            "tasks",
            "review_on",
            "overdue",
            "status",
            "note",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["score", "level", "created_at", "updated_at"]

    def get_owner_name(self, risk: Risk) -> str | None:
        return str(risk.owner) if risk.owner_id else None

    def get_overdue(self, risk: Risk) -> bool:
        return risk.review_overdue()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        self._project(attrs)
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Risk:
        tasks = validated_data.pop("tasks", [])
        note = validated_data.pop("note", "")
        validated_data.pop("version", None)
        risk = Risk(**validated_data)
        try:
            return services.create_risk(
                risk, user=self.context["request"].user, tasks=tasks, note=note
            )
        except services.RiskError as error:
            raise _refused(error) from error

    def update(self, instance: Risk, validated_data: dict[str, Any]) -> Risk:
        tasks = validated_data.pop("tasks", None)
        note = validated_data.pop("note", "")
        version = validated_data.pop("version", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        try:
            return services.update_risk(
                instance,
                version,
                user=self.context["request"].user,
                tasks=tasks,
                note=note,
            )
        except services.RiskError as error:
            raise _refused(error) from error


class RiskAssessmentSerializer(serializers.ModelSerializer):
    assessed_by_name = serializers.SerializerMethodField()

    class Meta:
        model = RiskAssessment
        fields = [
            "id",
            "risk",
            "probability",
            "impact",
            "score",
            "assessed_by",
            "assessed_by_name",
            "assessed_at",
            "note",
        ]
        read_only_fields = fields

    def get_assessed_by_name(self, assessment: RiskAssessment) -> str | None:
        return str(assessment.assessed_by) if assessment.assessed_by_id else None


class ReassessSerializer(serializers.Serializer):
    """A new rating of a risk; ``version`` is the risk's version it is based on."""

    probability = rating()
    impact = rating()
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    version = serializers.IntegerField(required=False)


class IssueSerializer(_ProjectRecordSerializer):
    model_class = Issue
    project = ScopedRelatedField(queryset=Project.objects.all())
    owner = serializers.PrimaryKeyRelatedField(
        queryset=STAFF, allow_null=True, required=False
    )
    owner_name = serializers.SerializerMethodField()
    source_risk = ScopedRelatedField(
        queryset=Risk.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Issue
        fields = [
            "id",
            "project",
            "title",
            "description",
            "severity",
            "owner",
            "owner_name",
            "due_on",
            "root_cause",
            "resolution",
            "status",
            "source_risk",
            "created_by",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["created_by", "created_at", "updated_at"]

    def get_owner_name(self, issue: Issue) -> str | None:
        return str(issue.owner) if issue.owner_id else None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        self._project(attrs)
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Issue:
        validated_data.pop("version", None)
        extra = {
            k: validated_data.pop(k)
            for k in ("root_cause", "resolution", "status")
            if k in validated_data
        }
        try:
            issue = services.open_issue(
                validated_data.pop("project"),
                user=self.context["request"].user,
                **validated_data,
            )
            if extra:
                for name, value in extra.items():
                    setattr(issue, name, value)
                services.update_issue(issue, issue.version)
        except services.RiskError as error:
            raise _refused(error) from error
        return issue

    def update(self, instance: Issue, validated_data: dict[str, Any]) -> Issue:
        version = validated_data.pop("version", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        try:
            return services.update_issue(instance, version)
        except services.RiskError as error:
            raise _refused(error) from error
