"""Serializers of the template API: they check the shape of input; services write."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clientfolio.blueprints.models import ProjectTemplate
from clientfolio.blueprints.services import CALENDARS, TemplateError
from clientfolio.clients.models import Client
from clientfolio.core.api import VersionedSerializer
from clientfolio.core.models import User
from clientfolio.core.serializers import ScopedRelatedField
from clientfolio.core.validators import validate_plan_date
from clientfolio.projects.models import Project

__all__ = [
    "FromProjectSerializer",
    "StartProjectSerializer",
    "StartedSerializer",
    "TemplateDetailSerializer",
    "TemplateSerializer",
    "refuse",
]


def refuse(error: TemplateError) -> serializers.ValidationError:
    return serializers.ValidationError({error.field or "detail": [error.message]})


class TemplateSerializer(VersionedSerializer):
    """A template's basics and counts (its latest version's)."""

    name = serializers.CharField(source="label", read_only=True)
    latest_version = serializers.SerializerMethodField()
    is_builtin = serializers.BooleanField(read_only=True)

    class Meta:
        model = ProjectTemplate
        fields = [
            "id",
            "name",
            "name_zh",
            "name_en",
            "description_zh",
            "description_en",
            "is_builtin",
            "task_count",
            "milestone_count",
            "working_days",
            "latest_version",
            "created_by",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["created_by", "created_at", "updated_at"]

    def get_latest_version(self, template: ProjectTemplate) -> int | None:
        return getattr(template, "latest_number", None)


class TemplateDetailSerializer(TemplateSerializer):
    """A template with the JSON document of its latest version (``content``; see
    docs/templates.md for its schema). Creating one validates ``content``: a link cycle,
    an unknown ref or a value out of range is refused with the place named."""

    content = serializers.JSONField(
        write_only=False,
        required=False,
        help_text="The template document (schema 1): tasks, links, folders, risks, "
        "standards, deliverables, roles.",
    )

    class Meta(TemplateSerializer.Meta):
        fields = [*TemplateSerializer.Meta.fields, "content"]

    def to_representation(self, instance: ProjectTemplate) -> dict[str, Any]:
        data = super().to_representation(instance)
        revision = instance.revisions.order_by("-number").first()
        data["content"] = revision.content if revision else None
        data["latest_version"] = revision.number if revision else None
        return data


class StartProjectSerializer(serializers.Serializer):
    """Start a project from the template: for which client, named how, managed by whom,
    from which day on which calendar, in which language."""

    client = ScopedRelatedField(
        queryset=Client.objects.current(),
        error_messages={"required": _("Choose the client the project is for.")},
    )
    name = serializers.CharField(max_length=200)
    code = serializers.CharField(max_length=32, required=False, allow_blank=True)
    manager = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.internal().active()  # type: ignore[attr-defined]
    )
    starts_on = serializers.DateField(validators=[validate_plan_date])
    calendar = serializers.ChoiceField(choices=list(CALENDARS), default="cn")
    language = serializers.ChoiceField(choices=["zh", "en"], required=False)


class StartedSerializer(serializers.Serializer):
    """The project started: its id and code, the day it starts (``moved`` when the day
    asked for was not a working day), its computed finish and the roles to staff."""

    project = serializers.IntegerField()
    code = serializers.CharField()
    requested_start = serializers.DateField()
    start = serializers.DateField()
    moved = serializers.BooleanField()
    finish = serializers.DateField(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())
    notice = serializers.CharField(allow_blank=True)


class FromProjectSerializer(serializers.Serializer):
    """Save a project as a new template (``name``), or as the next version of
    ``template`` (one the caller may change)."""

    project = ScopedRelatedField(queryset=Project.objects.all())
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(
        max_length=5000, required=False, allow_blank=True
    )
    template = serializers.PrimaryKeyRelatedField(
        queryset=ProjectTemplate.objects.filter(builtin_key__isnull=True),
        required=False,
        allow_null=True,
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("template") and not (attrs.get("name") or "").strip():
            raise serializers.ValidationError(
                {"name": [_("Give the new template a name.")]}
            )
        return attrs
