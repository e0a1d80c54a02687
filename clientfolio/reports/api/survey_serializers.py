"""Serializers of the satisfaction surveys' API."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clientfolio.core.permissions import scope
from clientfolio.projects.models import Project
from clientfolio.reports.survey_models import Answer, Invitation, Survey
from clientfolio.reports.surveys import DIMENSION_LABELS

__all__ = [
    "AnswerSerializer",
    "InvitationSerializer",
    "SurveyCreateSerializer",
    "SurveySerializer",
    "TokenAnswerSerializer",
]


class SurveySerializer(serializers.ModelSerializer):
    invited = serializers.IntegerField(read_only=True)
    answered = serializers.IntegerField(read_only=True)

    class Meta:
        model = Survey
        fields = [
            "id",
            "project",
            "occasion",
            "title",
            "created_by",
            "sent_at",
            "invited",
            "answered",
            "version",
        ]
        read_only_fields = fields


class _ScopedProjects(serializers.PrimaryKeyRelatedField):
    """Projects in the caller's scope; any other id does not exist (400)."""

    checks_scope = True

    def get_queryset(self):
        return scope(self.context["request"].user, Project.objects.all())


class SurveyCreateSerializer(serializers.Serializer):
    """Create a survey of ``project`` and send it to every contact of its client."""

    project = _ScopedProjects(queryset=Project.objects.all())
    occasion = serializers.ChoiceField(
        choices=Survey.Occasion.choices, default=Survey.Occasion.MANUAL
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)


class InvitationSerializer(serializers.ModelSerializer):
    contact_name = serializers.CharField(source="contact.name", read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "survey",
            "contact",
            "contact_name",
            "language",
            "emailed_at",
            "reminded_at",
            "answered_at",
        ]
        read_only_fields = fields


class AnswerSerializer(serializers.ModelSerializer):
    contact_name = serializers.CharField(source="contact.name", read_only=True)

    class Meta:
        model = Answer
        fields = [
            "id",
            "survey",
            "invitation",
            "contact",
            "contact_name",
            "quality",
            "schedule",
            "communication",
            "responsiveness",
            "value",
            "nps",
            "comment",
            "language",
            "answered_at",
            "follow_up",
        ]
        read_only_fields = fields


def _csat(label):
    return serializers.IntegerField(
        label=label,
        min_value=1,
        max_value=5,
        error_messages={
            "min_value": _("Choose a score from 1 (very unhappy) to 5 (very happy)."),
            "max_value": _("Choose a score from 1 (very unhappy) to 5 (very happy)."),
        },
    )


class TokenAnswerSerializer(serializers.Serializer):
    """A contact's answer, carried by the signed token of their invitation."""

    token = serializers.CharField(max_length=500)
    quality = _csat(DIMENSION_LABELS["quality"])
    schedule = _csat(DIMENSION_LABELS["schedule"])
    communication = _csat(DIMENSION_LABELS["communication"])
    responsiveness = _csat(DIMENSION_LABELS["responsiveness"])
    value = _csat(DIMENSION_LABELS["value"])
    nps = serializers.IntegerField(
        min_value=0,
        max_value=10,
        error_messages={
            "min_value": _("Choose a score from 0 to 10."),
            "max_value": _("Choose a score from 0 to 10."),
        },
    )
    comment = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default=""
    )
