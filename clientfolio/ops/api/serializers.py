"""Serializers of the ops API: personal-data requests."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clientfolio.ops.models import PersonalDataRecord

__all__ = ["EraseSerializer", "PersonalDataRecordSerializer"]


class PersonalDataRecordSerializer(serializers.ModelSerializer):
    actor: serializers.Field = serializers.StringRelatedField()

    class Meta:
        model = PersonalDataRecord
        fields = [
            "id",
            "kind",
            "contact_ref",
            "client_ref",
            "actor",
            "at",
            "reason",
            "summary",
            "sha256",
        ]
        read_only_fields = fields


class EraseSerializer(serializers.Serializer):
    """``confirm`` must be the contact's current name, as on the page."""

    reason = serializers.CharField(max_length=300)
    confirm = serializers.CharField(max_length=100)

    def validate_confirm(self, value: str) -> str:
        name: Any = self.context["name"]
        if value.strip() != str(name).strip():
            raise serializers.ValidationError(
                _("This is not the contact's name; nothing was erased.")
            )
        return value
