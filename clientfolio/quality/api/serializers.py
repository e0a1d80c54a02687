"""API shapes of quality records. Validation matches the forms; writes go to
quality.services, whose refusals (``QualityError``) are 400 with the message under the
field it concerns."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clientfolio.clients.models import Contact
from clientfolio.core.api import VersionedSerializer
from clientfolio.core.logins import client_address
from clientfolio.core.models import User
from clientfolio.core.serializers import ScopedRelatedField
from clientfolio.projects.models import Project
from clientfolio.quality import services
from clientfolio.quality.models import (
    Acceptance,
    Deliverable,
    ImprovementAction,
    QualityReview,
    QualityStandard,
    ReviewItem,
)
from clientfolio.schedule.models import Task

__all__ = [
    "AcceptanceSerializer",
    "DeliverableSerializer",
    "ImprovementActionSerializer",
    "QualityReviewSerializer",
    "QualityStandardSerializer",
]

STAFF = User.objects.internal().active()


def _refused(error: services.QualityError, default: str = "non_field_errors"):
    return serializers.ValidationError({error.field or default: [error.message]})


class ProjectRecordSerializer(VersionedSerializer):
    """A record of a project folder: it never moves to another project; the service
    writes (the viewset base checks the role first)."""

    project = ScopedRelatedField(queryset=Project.objects.all())

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is None:
            if attrs.get("project") is None:
                raise serializers.ValidationError(
                    {"project": _("This field is required.")}
                )
        elif "project" in attrs and attrs["project"] != self.instance.project:
            raise serializers.ValidationError(
                {"project": _("A record cannot move to another project.")}
            )
        return attrs

    def write(self, instance, version):
        raise NotImplementedError

    def create(self, validated_data):
        validated_data.pop("version", None)
        model: Any = self.Meta.model  # type: ignore[attr-defined]
        instance = model(**validated_data)
        try:
            return self.write(instance, None)
        except services.QualityError as error:
            raise _refused(error) from error

    def update(self, instance, validated_data):
        version = validated_data.pop("version")
        for key, value in validated_data.items():
            setattr(instance, key, value)
        try:
            return self.write(instance, version)
        except services.QualityError as error:
            raise _refused(error) from error


class QualityStandardSerializer(ProjectRecordSerializer):
    class Meta:
        model = QualityStandard
        fields = [
            "id",
            "project",
            "category",
            "title",
            "description",
            "target",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def write(self, instance, version):
        return services.save_standard(instance, version)


class DeliverableSerializer(ProjectRecordSerializer):
    milestone = ScopedRelatedField(
        queryset=Task.objects.all(), allow_null=True, required=False
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=STAFF, allow_null=True, required=False
    )
    criteria = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="One per line."
    )

    class Meta:
        model = Deliverable
        fields = [
            "id",
            "project",
            "milestone",
            "name",
            "description",
            "acceptance_criteria",
            "criteria",
            "owner",
            "due_on",
            "status",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def write(self, instance, version):
        return services.save_deliverable(instance, version)


class ReviewItemSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False)
    standard = ScopedRelatedField(
        queryset=QualityStandard.objects.all(), allow_null=True, required=False
    )
    issue = ScopedRelatedField(read_only=True)

    class Meta:
        model = ReviewItem
        fields = [
            "id",
            "position",
            "criterion",
            "standard",
            "result",
            "findings",
            "issue",
        ]
        read_only_fields = ["position", "issue"]


class QualityReviewSerializer(ProjectRecordSerializer):
    """A review with its checklist. On update, ``items`` (when sent) is the whole
    checklist: rows with an ``id`` are updated, rows without one added, the rest removed."""

    deliverable = ScopedRelatedField(
        queryset=Deliverable.objects.all(), allow_null=True, required=False
    )
    reviewer = serializers.PrimaryKeyRelatedField(
        queryset=STAFF, allow_null=True, required=False
    )
    items = ReviewItemSerializer(many=True, required=False)

    class Meta:
        model = QualityReview
        fields = [
            "id",
            "project",
            "deliverable",
            "title",
            "reviewed_on",
            "reviewer",
            "summary",
            "result",
            "items",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["result", "created_at", "updated_at"]

    def _items(self, review, rows):
        existing = {item.pk: item for item in review.items.all()} if review.pk else {}
        items = []
        for row in rows:
            pk = row.pop("id", None)
            if pk is not None:
                if pk not in existing:
                    raise serializers.ValidationError(
                        {"items": [_("This checklist item belongs to another review.")]}
                    )
                item = existing.pop(pk)
                for key, value in row.items():
                    setattr(item, key, value)
            else:
                item = ReviewItem(**row)
            items.append(item)
        return items, list(existing.values())

    def create(self, validated_data):
        validated_data.pop("version", None)
        rows = validated_data.pop("items", [])
        review = QualityReview(**validated_data)
        items, _removed = self._items(review, rows)
        try:
            return services.save_review(review, items)
        except services.QualityError as error:
            raise _refused(error) from error

    def update(self, instance, validated_data):
        version = validated_data.pop("version")
        rows = validated_data.pop("items", None)
        for key, value in validated_data.items():
            setattr(instance, key, value)
        with transaction.atomic():
            if rows is None:
                items, removed = list(instance.items.all()), []
            else:
                items, removed = self._items(instance, rows)
            try:
                return services.save_review(
                    instance, items, expected_version=version, removed=removed
                )
            except services.QualityError as error:
                raise _refused(error) from error


class AcceptanceSerializer(serializers.ModelSerializer):
    """A client's decision, created once (multipart with the signed ``file``)."""

    project = ScopedRelatedField(queryset=Project.objects.all())
    deliverable = ScopedRelatedField(
        queryset=Deliverable.objects.all(), allow_null=True, required=False
    )
    milestone = ScopedRelatedField(
        queryset=Task.objects.all(), allow_null=True, required=False
    )
    contact = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.all())
    file = serializers.FileField(
        write_only=True, required=False, help_text="The signed acceptance document."
    )
    contact_name = serializers.CharField(source="contact.name", read_only=True)
    document = ScopedRelatedField(read_only=True)

    class Meta:
        model = Acceptance
        fields = [
            "id",
            "project",
            "deliverable",
            "milestone",
            "decision",
            "contact",
            "contact_name",
            "decided_on",
            "comments",
            "file",
            "document",
            "channel",
            "recorded_by",
            "created_at",
            "ip_address",
            "user_agent",
            "accepted_snapshot",
        ]
        read_only_fields = [
            "document",
            "channel",
            "recorded_by",
            "created_at",
            "ip_address",
            "user_agent",
            "accepted_snapshot",
        ]

    def create(self, validated_data):
        upload = validated_data.pop("file", None)
        request = self.context["request"]
        try:
            return services.record_acceptance(
                validated_data.pop("project"),
                files=[upload] if upload else [],
                user=request.user,
                ip_address=client_address(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
                **validated_data,
            )
        except services.QualityError as error:
            raise _refused(error) from error


class ImprovementActionSerializer(ProjectRecordSerializer):
    review = ScopedRelatedField(
        queryset=QualityReview.objects.all(), allow_null=True, required=False
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=STAFF, allow_null=True, required=False
    )

    class Meta:
        model = ImprovementAction
        fields = [
            "id",
            "project",
            "review",
            "problem",
            "cause",
            "action",
            "owner",
            "planned_on",
            "status",
            "completed_on",
            "evaluation",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def write(self, instance, version):
        return services.save_action(instance, version)
