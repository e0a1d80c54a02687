"""API shapes of projects and teams. Validation matches the forms; writes go to services."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clientfolio.clients.models import Client, Contact, Currency
from clientfolio.clients.models import Requirement as ClientNeed
from clientfolio.core.api import VersionedSerializer
from clientfolio.core.lean import LeanRepresentation
from clientfolio.core.models import User
from clientfolio.core.serializers import ScopedRelatedField, TagNamesField
from clientfolio.core.validators import validate_plan_date
from clientfolio.projects import change_control, services
from clientfolio.projects.models import (
    ChangeRequest,
    ChangeRequestTransition,
    Membership,
    Priority,
    Project,
    ProjectRequirement,
)

__all__ = [
    "ChangeRequestSerializer",
    "ChangeTransitionSerializer",
    "MembershipSerializer",
    "ProjectRequirementSerializer",
    "ProjectSerializer",
    "RequirementMoveSerializer",
]


class ProjectSerializer(LeanRepresentation, VersionedSerializer):
    client = ScopedRelatedField(queryset=Client.objects.current())
    manager = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.internal().active()
    )
    code = serializers.CharField(max_length=32, required=False, allow_blank=True)
    tags = TagNamesField(
        child=serializers.CharField(max_length=40), required=False, max_length=20
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "client",
            "manager",
            "goals",
            "scope_in",
            "scope_out",
            "outcomes",
            "starts_on",
            "planned_finish_on",
            "actual_finish_on",
            "priority",
            "status",
            "phase",
            "tags",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators: list[Any] = []

    def validate_code(self, value: str) -> str:
        value = value.strip().upper()
        clash = Project.objects.filter(code=value)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if value and clash.exists():
            raise serializers.ValidationError(
                _("A project with this code already exists.")
            )
        return value

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if (
            self.instance is not None
            and "client" in attrs
            and attrs["client"] != self.instance.client
        ):
            raise serializers.ValidationError(
                {"client": _("A project cannot move to another client.")}
            )
        probe = Project(
            **{k: v for k, v in attrs.items() if k not in ("tags", "version")}
        )
        if self.instance is not None:
            for field in ("starts_on", "planned_finish_on", "actual_finish_on"):
                if field not in attrs:
                    setattr(probe, field, getattr(self.instance, field))
        try:
            probe.clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        return attrs

    def create(self, validated_data):
        tags = validated_data.pop("tags", [])
        validated_data.pop("version", None)
        user = self.context["request"].user
        return services.create_project(Project(**validated_data), user=user, tags=tags)

    def update(self, instance, validated_data):
        tags = validated_data.pop("tags", None)
        version = validated_data.pop("version")
        for key, value in validated_data.items():
            setattr(instance, key, value)
        user = self.context["request"].user
        return services.update_project(instance, version, user=user, tags=tags)


class MembershipSerializer(VersionedSerializer):
    project = ScopedRelatedField(queryset=Project.objects.all())
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.internal().active())

    class Meta:
        model = Membership
        fields = ["id", "project", "user", "role", "responsibilities", "version"]
        validators: list[Any] = []

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if (
            self.instance is not None
            and "project" in attrs
            and attrs["project"] != self.instance.project
        ):
            raise serializers.ValidationError(
                {"project": _("A membership cannot move.")}
            )
        return attrs

    def create(self, validated_data):
        validated_data.pop("version", None)
        try:
            return services.add_member(Membership(**validated_data))
        except services.TeamError as error:
            raise serializers.ValidationError({"user": str(error)}) from error

    def update(self, instance, validated_data):
        version = validated_data.pop("version")
        for key, value in validated_data.items():
            setattr(instance, key, value)
        try:
            return services.update_member(instance, version)
        except services.TeamError as error:
            raise serializers.ValidationError({"role": str(error)}) from error


# --- requirements and change requests ------------------------------------------------------


def _field_error(error: change_control.ChangeControlError):
    return serializers.ValidationError(
        {error.field or "non_field_errors": [error.message]}
    )


class ProjectRequirementSerializer(VersionedSerializer):
    project = ScopedRelatedField(queryset=Project.objects.all())
    # DRF's base Field has a ``source`` attribute; the metaclass turns this into a field.
    source = ScopedRelatedField(  # type: ignore[assignment]
        queryset=ClientNeed.objects.all(), required=False, allow_null=True
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    priority = serializers.ChoiceField(
        choices=Priority.choices, required=False, allow_blank=True
    )

    class Meta:
        model = ProjectRequirement
        fields = [
            "id",
            "project",
            "source",
            "title",
            "description",
            "priority",
            "status",
            "confirmed_by",
            "confirmed_on",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = [
            "status",
            "confirmed_by",
            "confirmed_on",
            "created_at",
            "updated_at",
        ]
        validators: list[Any] = []

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None:
            for field in ("project", "source"):
                if field in attrs and attrs[field] != getattr(self.instance, field):
                    raise serializers.ValidationError(
                        {field: _("This cannot change after the requirement is added.")}
                    )
            if "priority" in attrs and not attrs["priority"]:
                raise serializers.ValidationError(
                    {"priority": _("This field may not be blank.")}
                )
        return attrs

    def create(self, validated_data):
        try:
            return change_control.create_requirement(
                validated_data["project"],
                source=validated_data.get("source"),
                title=validated_data.get("title", ""),
                description=validated_data.get("description", ""),
                priority=validated_data.get("priority", ""),
            )
        except change_control.ChangeControlError as error:
            raise _field_error(error) from error

    def update(self, instance, validated_data):
        version = validated_data.pop("version")
        validated_data.pop("project", None)
        validated_data.pop("source", None)
        for key, value in validated_data.items():
            setattr(instance, key, value)
        try:
            return change_control.update_requirement(instance, version)
        except change_control.ChangeControlError as error:
            raise _field_error(error) from error


class RequirementMoveSerializer(serializers.Serializer):
    """A requirement's next status; confirming names the client contact and the date."""

    to_status = serializers.ChoiceField(choices=ProjectRequirement.Status.choices)
    confirmed_by = ScopedRelatedField(
        queryset=Contact.objects.all(), required=False, allow_null=True
    )
    confirmed_on = serializers.DateField(
        required=False, allow_null=True, validators=[validate_plan_date]
    )
    version = serializers.IntegerField(
        required=False,
        help_text="The version the step is based on; a stale one is answered with 409.",
    )


class ChangeRequestTransitionSerializer(serializers.ModelSerializer):
    user: Any = serializers.StringRelatedField()

    class Meta:
        model = ChangeRequestTransition
        fields = ["from_status", "to_status", "user", "at", "comment"]


class ChangeRequestSerializer(VersionedSerializer):
    project = ScopedRelatedField(queryset=Project.objects.all())
    requested_by_contact = ScopedRelatedField(
        queryset=Contact.objects.all(), required=False, allow_null=True
    )
    requested_by_user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.internal().active(),
        required=False,
        allow_null=True,
    )
    requested_on = serializers.DateField(
        required=False, validators=[validate_plan_date]
    )
    currency = serializers.ChoiceField(choices=Currency.choices, required=False)
    code = serializers.CharField(read_only=True)
    transitions = ChangeRequestTransitionSerializer(many=True, read_only=True)

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "project",
            "number",
            "code",
            "title",
            "requested_by_contact",
            "requested_by_user",
            "requested_on",
            "description",
            "reason",
            "scope_impact",
            "schedule_impact_days",
            "cost_impact",
            "currency",
            "risk_notes",
            "status",
            "decided_by",
            "decided_on",
            "transitions",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = [
            "number",
            "status",
            "decided_by",
            "decided_on",
            "created_at",
            "updated_at",
        ]
        validators: list[Any] = []

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if (
            self.instance is not None
            and "project" in attrs
            and attrs["project"] != self.instance.project
        ):
            raise serializers.ValidationError(
                {"project": _("A change request cannot move to another project.")}
            )
        return attrs

    def create(self, validated_data):
        validated_data.pop("version", None)
        user = self.context["request"].user
        try:
            return change_control.create_change_request(
                ChangeRequest(**validated_data), user=user
            )
        except change_control.ChangeControlError as error:
            raise _field_error(error) from error

    def update(self, instance, validated_data):
        version = validated_data.pop("version")
        for key, value in validated_data.items():
            setattr(instance, key, value)
        try:
            return change_control.update_change_request(instance, version)
        except change_control.ChangeControlError as error:
            raise _field_error(error) from error


class ChangeTransitionSerializer(serializers.Serializer):
    """One step of a change request. Approving or rejecting a change that awaits the
    client names the contact who decided (``decided_by``) and may date it."""

    to_status = serializers.ChoiceField(choices=ChangeRequest.Status.choices)
    comment = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    decided_by = ScopedRelatedField(
        queryset=Contact.objects.all(), required=False, allow_null=True
    )
    decided_on = serializers.DateField(
        required=False, allow_null=True, validators=[validate_plan_date]
    )
    version = serializers.IntegerField(
        required=False,
        help_text="The version the step is based on; a stale one is answered with 409.",
    )
