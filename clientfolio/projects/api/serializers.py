"""API shapes of projects and teams. Validation matches the forms; writes go to services."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clientfolio.clients.api.serializers import ScopedRelatedField, TagNamesField
from clientfolio.clients.models import Client
from clientfolio.core.api import VersionedSerializer
from clientfolio.core.models import User
from clientfolio.projects import services
from clientfolio.projects.models import Membership, Project

__all__ = ["MembershipSerializer", "ProjectSerializer"]


class ProjectSerializer(VersionedSerializer):
    client = ScopedRelatedField(queryset=Client.objects.current())
    manager = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role__in=["admin", "staff"], is_active=True)
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
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role__in=["admin", "staff"], is_active=True)
    )

    class Meta:
        model = Membership
        fields = ["id", "project", "user", "role", "responsibilities", "version"]
        validators: list[Any] = []

    def validate(self, attrs):
        attrs = super().validate(attrs)
        request = self.context["request"]
        project = attrs.get("project") or (
            self.instance.project if self.instance else None
        )
        from clientfolio.core.permissions import Action, can

        action = Action.CHANGE if self.instance else Action.ADD
        if project is not None and not can(
            request.user, action, Membership, project=project
        ):
            raise serializers.ValidationError(
                {"project": _("Only the project's manager can change its team.")}
            )
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
