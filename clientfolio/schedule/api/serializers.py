"""API shapes of the schedule: tasks, links, assignments, baselines and the calendar
settings. Validation matches the forms; writes go to schedule.services, whose refusals
(``PlanError``) are 400 with the message under the field it concerns."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clientfolio.core.api import VersionedSerializer
from clientfolio.core.lean import LeanRepresentation
from clientfolio.core.locking import save_versioned
from clientfolio.core.models import User
from clientfolio.core.serializers import ScopedRelatedField
from clientfolio.projects.models import Project
from clientfolio.schedule import services
from clientfolio.schedule.models import (
    Assignment,
    Baseline,
    BaselineTask,
    CalendarDay,
    Dependency,
    ProjectSchedule,
    Task,
)

__all__ = [
    "AssignmentSerializer",
    "BaselineSerializer",
    "DependencySerializer",
    "ProjectScheduleSerializer",
    "TaskDetailSerializer",
    "TaskLinkSerializer",
    "TaskSerializer",
]

STAFF = User.objects.internal().active()


def _refused(error: services.PlanError, default: str = "non_field_errors"):
    return serializers.ValidationError({error.field or default: [error.message]})


class TaskSerializer(LeanRepresentation, VersionedSerializer):
    project = ScopedRelatedField(queryset=Project.objects.all())
    parent = ScopedRelatedField(  # type: ignore[assignment]
        queryset=Task.objects.all(), allow_null=True, required=False
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=STAFF, allow_null=True, required=False
    )
    owner_name = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "project",
            "parent",
            "wbs",
            "name",
            "description",
            "owner",
            "owner_name",
            "duration",
            "is_milestone",
            "acceptance_criteria",
            "is_client_visible",
            "buffer_days",
            "constraint",
            "constraint_date",
            "priority",
            "status",
            "percent_complete",
            "actual_start",
            "actual_finish",
            "optimistic_days",
            "likely_days",
            "pessimistic_days",
            "start",
            "finish",
            "late_start",
            "late_finish",
            "total_float",
            "free_float",
            "is_critical",
            "is_summary",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = [
            "wbs",
            "start",
            "finish",
            "late_start",
            "late_finish",
            "total_float",
            "free_float",
            "is_critical",
            "is_summary",
            "created_at",
            "updated_at",
        ]

    def get_owner_name(self, task: Task) -> str | None:
        return str(task.owner) if task.owner_id else None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        project = attrs.get("project") or getattr(self.instance, "project", None)
        if project is None:
            raise serializers.ValidationError({"project": _("This field is required.")})
        if (
            self.instance is not None
            and "project" in attrs
            and attrs["project"] != self.instance.project
        ):
            raise serializers.ValidationError(
                {"project": _("A task cannot move to another project.")}
            )
        parent = attrs.get("parent")
        if parent is not None and parent.project_id != project.pk:
            raise serializers.ValidationError(
                {"parent": _("The parent task belongs to another project.")}
            )
        owner = attrs.get("owner")
        if owner is not None and not project.memberships.filter(user=owner).exists():
            raise serializers.ValidationError(
                {"owner": _("Choose a member of the project team.")}
            )
        candidate = Task(
            **{**self._current(), **{k: v for k, v in attrs.items() if k != "version"}}
        )
        if candidate.is_milestone:
            candidate.duration = 0
        try:
            candidate.clean()
        except Exception as error:  # django ValidationError with a message dict
            raise serializers.ValidationError(
                getattr(error, "message_dict", str(error))
            ) from error
        return attrs

    def _current(self) -> dict[str, Any]:
        if self.instance is None:
            return {}
        return {
            field: getattr(self.instance, field)
            for field in (
                "project",
                "parent",
                "constraint",
                "constraint_date",
                "actual_start",
                "actual_finish",
                "optimistic_days",
                "likely_days",
                "pessimistic_days",
                "is_milestone",
            )
        } | {"pk": self.instance.pk}

    def create(self, validated_data):
        validated_data.pop("version", None)
        try:
            return services.create_task(
                Task(**validated_data), actor=self.context["request"].user
            )
        except services.PlanError as error:
            raise _refused(error) from error

    def update(self, instance, validated_data):
        version = validated_data.pop("version")
        new_parent = validated_data.pop("parent", instance.parent)
        for key, value in validated_data.items():
            setattr(instance, key, value)
        try:
            with transaction.atomic():
                if new_parent != instance.parent:
                    instance = services.move_task(instance, new_parent, 10**6, version)
                    version = instance.version
                return services.update_task(
                    instance, version, actor=self.context["request"].user
                )
        except services.PlanError as error:
            raise _refused(error) from error


class TaskLinkSerializer(serializers.Serializer):
    """One dependency as seen from one of its tasks (the schema of ``predecessors`` and
    ``successors``; the rows are written by ``TaskDetailSerializer``)."""

    id = serializers.IntegerField(
        help_text="The dependency's id (/api/v1/dependencies/)."
    )
    task = serializers.IntegerField(
        help_text="The task at the other end: the predecessor or the successor."
    )
    kind = serializers.ChoiceField(choices=Dependency.Kind.choices)
    lag = serializers.IntegerField(
        help_text="Working days between the two tasks; negative for a lead."
    )


class TaskDetailSerializer(TaskSerializer):
    """A task with its dependencies: ``predecessors`` (the tasks it waits for) and
    ``successors`` (the tasks that wait for it), by link id, each with the task at the
    other end, the type and the lag. A link whose other end the reader may not see is
    left out. The view loads them (``task.links``: the links' rows as dictionaries)."""

    predecessors = serializers.SerializerMethodField()
    successors = serializers.SerializerMethodField()

    class Meta(TaskSerializer.Meta):
        fields = [*TaskSerializer.Meta.fields, "predecessors", "successors"]
        read_only_fields = [
            *TaskSerializer.Meta.read_only_fields,
            "predecessors",
            "successors",
        ]

    @extend_schema_field(TaskLinkSerializer(many=True))
    def get_predecessors(self, task: Task) -> list[dict[str, Any]]:
        return [
            {
                "id": link["id"],
                "task": link["predecessor_id"],
                "kind": link["kind"],
                "lag": link["lag"],
            }
            for link in getattr(task, "links", ())
            if link["successor_id"] == task.pk
        ]

    @extend_schema_field(TaskLinkSerializer(many=True))
    def get_successors(self, task: Task) -> list[dict[str, Any]]:
        return [
            {
                "id": link["id"],
                "task": link["successor_id"],
                "kind": link["kind"],
                "lag": link["lag"],
            }
            for link in getattr(task, "links", ())
            if link["predecessor_id"] == task.pk
        ]


class DependencySerializer(VersionedSerializer):
    predecessor = ScopedRelatedField(queryset=Task.objects.all())
    successor = ScopedRelatedField(queryset=Task.objects.all())

    class Meta:
        model = Dependency
        fields = ["id", "project", "predecessor", "successor", "kind", "lag", "version"]
        read_only_fields = ["project"]
        validators: list = []  # duplicates and cycles are the service's to refuse

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        # A link belongs to its successor's project (the viewset checks the role there).
        attrs["project"] = attrs["successor"].project
        return attrs

    def create(self, validated_data):
        validated_data.pop("version", None)
        try:
            return services.add_dependency(Dependency(**validated_data))
        except services.PlanError as error:
            raise _refused(error) from error


class AssignmentSerializer(VersionedSerializer):
    task = ScopedRelatedField(queryset=Task.objects.all())
    user = serializers.PrimaryKeyRelatedField(queryset=STAFF)

    class Meta:
        model = Assignment
        fields = ["id", "task", "user", "hours", "created_at", "updated_at", "version"]
        read_only_fields = ["created_at", "updated_at"]
        validators: list = []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        task = attrs.get("task") or getattr(self.instance, "task", None)
        if task is None:
            raise serializers.ValidationError({"task": _("This field is required.")})
        if (
            self.instance is not None
            and "task" in attrs
            and attrs["task"] != self.instance.task
        ):
            raise serializers.ValidationError(
                {"task": _("An assignment cannot move to another task.")}
            )
        person = attrs.get("user") or getattr(self.instance, "user", None)
        if not task.project.memberships.filter(user=person).exists():
            raise serializers.ValidationError(
                {"user": _("Choose a member of the project team.")}
            )
        duplicate = Assignment.objects.filter(task=task, user=person)
        if self.instance is not None:
            duplicate = duplicate.exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise serializers.ValidationError(
                {"user": _("This person is already assigned.")}
            )
        return attrs

    def create(self, validated_data):
        validated_data.pop("version", None)
        return services.add_assignment(
            validated_data["task"],
            validated_data["user"],
            validated_data.get("hours", Decimal("0")),
            actor=self.context["request"].user,
        )

    def update(self, instance, validated_data):
        version = validated_data.pop("version")
        for key, value in validated_data.items():
            setattr(instance, key, value)
        return save_versioned(instance, version)


class BaselineTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = BaselineTask
        fields = ["task", "start", "finish", "duration", "hours"]


class BaselineSerializer(serializers.ModelSerializer):
    project = ScopedRelatedField(queryset=Project.objects.all())
    tasks = BaselineTaskSerializer(many=True, read_only=True)

    class Meta:
        model = Baseline
        fields = [
            "id",
            "project",
            "name",
            "note",
            "created_by",
            "created_at",
            "finish",
            "tasks",
        ]
        read_only_fields = ["created_by", "created_at", "finish"]
        validators: list = []

    def create(self, validated_data):
        try:
            return services.save_baseline(
                validated_data["project"],
                validated_data["name"],
                user=self.context["request"].user,
                note=validated_data.get("note", ""),
            )
        except services.PlanError as error:
            raise _refused(error) from error


class CalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["day", "kind", "name"]


class ProjectScheduleSerializer(VersionedSerializer):
    calendar_days = CalendarDaySerializer(many=True, required=False)
    workdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        min_length=1,
        max_length=7,
        source="weekday_list",
        help_text="Working weekdays, Monday = 0.",
    )

    class Meta:
        model = ProjectSchedule
        fields = [
            "id",
            "project",
            "workdays",
            "use_statutory_holidays",
            "buffer_days",
            "status_date",
            "computed_at",
            "computed_finish",
            "unknown_years",
            "calendar_days",
            "version",
        ]
        read_only_fields = [
            "project",
            "computed_at",
            "computed_finish",
            "unknown_years",
        ]

    def to_representation(self, instance):
        instance.weekday_list = sorted(instance.weekday_numbers)
        return super().to_representation(instance)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        days = [d["day"] for d in attrs.get("calendar_days", [])]
        if len(days) != len(set(days)):
            raise serializers.ValidationError(
                {"calendar_days": _("A date appears twice.")}
            )
        return attrs

    def update(self, instance, validated_data):
        version = validated_data.pop("version")
        days = validated_data.pop("calendar_days", None)
        weekdays = validated_data.pop("weekday_list", None)
        if weekdays is not None:
            instance.workdays = ",".join(str(d) for d in sorted(set(weekdays)))
        for key, value in validated_data.items():
            setattr(instance, key, value)
        try:
            with transaction.atomic():
                save_versioned(instance, version)
                if days is not None:
                    CalendarDay.objects.filter(schedule=instance).delete()
                    CalendarDay.objects.bulk_create(
                        [CalendarDay(schedule=instance, **day) for day in days]
                    )
                services.recompute(instance.project)
        except services.PlanError as error:
            raise _refused(error) from error
        instance.refresh_from_db()
        return instance
