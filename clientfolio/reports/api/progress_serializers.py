"""API shapes of progress reports. Validation matches the forms; writes go to
reports.services (a ReportError is a 400 with its translated message); the viewset base
checks them against the permission layer."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clientfolio.clients.models import Contact
from clientfolio.core.api import VersionedSerializer
from clientfolio.core.permissions import sees_finance
from clientfolio.core.serializers import ScopedRelatedField
from clientfolio.core.validators import validate_plan_date
from clientfolio.projects.models import Project
from clientfolio.reports import services
from clientfolio.reports.models import Period, ProgressReport, ProgressReportVersion
from clientfolio.reports.sections import INTERNAL_SECTIONS, SECTIONS

__all__ = [
    "DraftSerializer",
    "ProgressReportSerializer",
    "PublishSerializer",
    "VersionSerializer",
    "refuse",
]


def refuse(error: services.ReportError) -> serializers.ValidationError:
    return serializers.ValidationError({error.field or "detail": [error.message]})


class VersionSerializer(serializers.ModelSerializer):
    published_by: serializers.StringRelatedField = serializers.StringRelatedField()

    class Meta:
        model = ProgressReportVersion
        fields = ["number", "published_at", "published_by", "language"]
        read_only_fields = fields


class ProgressReportSerializer(VersionedSerializer):
    project = ScopedRelatedField(read_only=True)
    client_sections = serializers.ListField(
        child=serializers.ChoiceField(choices=list(SECTIONS)),
        required=False,
        max_length=len(SECTIONS),
    )
    figures = serializers.SerializerMethodField()
    versions = VersionSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "project",
            "period",
            "period_start",
            "period_end",
            "status",
            "summary",
            "next_steps",
            "client_notes",
            "internal_notes",
            "client_sections",
            "figures",
            "drafted_at",
            "versions",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "period",
            "period_start",
            "period_end",
            "status",
            "drafted_at",
            "created_at",
            "updated_at",
        ]

    def get_figures(self, report) -> dict:
        """The drafted figures; the internal sections only for those who read the
        project's finance figures."""
        request = self.context.get("request")
        if request is not None and sees_finance(request.user, report.project):
            return report.data
        return {k: v for k, v in report.data.items() if k not in INTERNAL_SECTIONS}

    def update(self, instance, validated_data):
        try:
            return services.save_narrative(
                instance,
                summary=validated_data.get("summary", instance.summary),
                next_steps=validated_data.get("next_steps", instance.next_steps),
                client_notes=validated_data.get("client_notes", instance.client_notes),
                internal_notes=validated_data.get(
                    "internal_notes", instance.internal_notes
                ),
                client_sections=validated_data.get(
                    "client_sections", instance.client_sections
                ),
                expected_version=validated_data["version"],
            )
        except services.ReportError as error:
            raise refuse(error) from error


class DraftSerializer(serializers.Serializer):
    project = ScopedRelatedField(queryset=Project.objects.all())
    period = serializers.ChoiceField(choices=Period.choices, default=Period.WEEKLY)
    day = serializers.DateField(
        required=False,
        validators=[validate_plan_date],
        help_text=_("A day of the period to report on; today by default."),
    )


class PublishSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    recipients = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.all(), many=True, required=False
    )
