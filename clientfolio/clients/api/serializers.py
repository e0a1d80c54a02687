"""API shapes of the client library. Validation matches the forms; writes go to services."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clientfolio.clients import services
from clientfolio.clients.models import (
    Client,
    Contact,
    Contract,
    Feedback,
    FollowUp,
    Payment,
    Requirement,
)
from clientfolio.core.api import VersionedSerializer
from clientfolio.core.models import User
from clientfolio.core.serializers import ScopedRelatedField, TagNamesField

__all__ = [
    "ClientSerializer",
    "ContactSerializer",
    "ContractSerializer",
    "FeedbackSerializer",
    "FollowUpSerializer",
    "PaymentSerializer",
    "RequirementSerializer",
]


class ClientSerializer(VersionedSerializer):
    tags = TagNamesField(
        child=serializers.CharField(max_length=40), required=False, max_length=20
    )
    tier = serializers.CharField(read_only=True)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.internal().active(),
        allow_null=True,
        required=False,
    )
    is_archived = serializers.BooleanField(read_only=True)

    class Meta:
        model = Client
        fields = [
            "id",
            "kind",
            "name",
            "status",
            "industry",
            "source",
            "owner",
            "address",
            "website",
            "tags",
            "notes",
            "tier",
            "tier_computed",
            "tier_override",
            "is_archived",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["tier_computed", "created_at", "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["tags"] = [t.name for t in instance.tags.all()]
        return data

    def validate_name(self, value):
        value = " ".join(value.split())
        if not value:
            raise serializers.ValidationError(_("Enter the client's name."))
        return value

    def create(self, validated_data):
        tags = validated_data.pop("tags", [])
        validated_data.pop("version", None)
        return services.create_client(Client(**validated_data), tags=tags)

    def update(self, instance, validated_data):
        tags = validated_data.pop("tags", None)
        version = validated_data.pop("version")
        for key, value in validated_data.items():
            setattr(instance, key, value)
        return services.update_client(instance, version, tags=tags)


class RecordSerializer(VersionedSerializer):
    """Contacts, requirements, contracts, payments, feedback and follow-ups."""

    def _save(self, instance, validated_data):
        version = validated_data.pop("version", None)
        for key, value in validated_data.items():
            setattr(instance, key, value)
        try:
            # save_record moves "primary" from the old contact to this one, so the
            # one-primary constraint is not an input error here.
            instance.full_clean(exclude=["is_primary"])
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        return services.save_record(instance, version)

    def create(self, validated_data):
        model: Any = self.Meta.model
        return self._save(model(), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)


def _client_field():
    return ScopedRelatedField(queryset=Client.objects.all())


class ContactSerializer(RecordSerializer):
    client = _client_field()

    class Meta:
        model = Contact
        fields = [
            "id",
            "client",
            "name",
            "title",
            "phone",
            "email",
            "wechat",
            "is_primary",
            "notes",
            "version",
        ]
        # No generated one-primary validator: save_record moves "primary" to this contact.
        validators: list[Any] = []

    def validate_email(self, value):
        return value.strip().lower()


class RequirementSerializer(RecordSerializer):
    client = _client_field()

    class Meta:
        model = Requirement
        fields = [
            "id",
            "client",
            "title",
            "description",
            "priority",
            "status",
            "wanted_by",
            "version",
        ]


PAID = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)


class ContractSerializer(RecordSerializer):
    client = _client_field()
    paid = serializers.SerializerMethodField(
        help_text="The sum of the payments received; 0.00 before the first."
    )

    class Meta:
        model = Contract
        fields = [
            "id",
            "client",
            "number",
            "title",
            "amount",
            "currency",
            "signed_on",
            "starts_on",
            "ends_on",
            "status",
            "paid",
            "version",
        ]

    @extend_schema_field(PAID)
    def get_paid(self, contract: Contract) -> str:
        paid = getattr(contract, "paid", None)  # annotated on lists and details
        if paid is None:  # a contract just created or updated
            paid = contract.payments.aggregate(total=Sum("amount"))["total"]
        return PAID.to_representation(paid or Decimal("0"))


class PaymentSerializer(RecordSerializer):
    contract = ScopedRelatedField(queryset=Contract.objects.all())

    class Meta:
        model = Payment
        fields = [
            "id",
            "contract",
            "received_on",
            "amount",
            "method",
            "reference",
            "note",
            "version",
        ]


class FeedbackSerializer(RecordSerializer):
    client = _client_field()
    contact = ScopedRelatedField(
        queryset=Contact.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Feedback
        fields = [
            "id",
            "client",
            "contact",
            "kind",
            "severity",
            "channel",
            "received_on",
            "subject",
            "detail",
            "status",
            "resolution",
            "resolved_on",
            "version",
        ]


class FollowUpSerializer(RecordSerializer):
    client = _client_field()
    contact = ScopedRelatedField(
        queryset=Contact.objects.all(), allow_null=True, required=False
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.internal(),
        allow_null=True,
        required=False,
    )
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "client",
            "contact",
            "owner",
            "planned_on",
            "purpose",
            "done_on",
            "outcome",
            "next_on",
            "is_overdue",
            "version",
        ]

    def get_is_overdue(self, obj) -> bool:
        from django.utils import timezone

        return obj.is_overdue(timezone.localdate())
