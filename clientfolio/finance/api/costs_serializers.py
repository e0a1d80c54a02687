"""API shapes of the costs: budget lines, expenses, time entries, rates and exchange
rates. Writes go to finance.services, whose refusals (``CostError``) are 400 with the
message under the field they concern; a stale ``version`` is 409."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clientfolio.core.api import VersionedSerializer
from clientfolio.core.models import User
from clientfolio.core.permissions import sees_finance
from clientfolio.core.serializers import ScopedRelatedField
from clientfolio.finance import services
from clientfolio.finance.models import (
    BudgetLine,
    ExchangeRate,
    Expense,
    Rate,
    TimeEntry,
)
from clientfolio.projects.models import Project
from clientfolio.schedule.models import Task

__all__ = [
    "BudgetLineSerializer",
    "DecisionSerializer",
    "ExchangeRateSerializer",
    "ExpenseSerializer",
    "RateSerializer",
    "TimeEntrySerializer",
]

NOT_NEGATIVE = _("The amount cannot be negative.")
POSITIVE = _("The amount must be greater than zero.")
RATE_NOT_NEGATIVE = _("A rate cannot be negative.")
STAFF = User.objects.internal().active()


def refused(error: services.CostError) -> serializers.ValidationError:
    return serializers.ValidationError(
        {error.field or "non_field_errors": [error.message]}
    )


class _ProjectRecord(VersionedSerializer):
    """A record of one project: the project cannot change (the viewset base checks the
    role)."""

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

    def _apply(self, instance, validated_data: dict[str, Any]):
        validated_data.pop("version", None)
        for key, value in validated_data.items():
            setattr(instance, key, value)
        return instance


class BudgetLineSerializer(_ProjectRecord):
    task = ScopedRelatedField(
        queryset=Task.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "project",
            "category",
            "task",
            "description",
            "amount",
            "currency",
            "notes",
            "change_request",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["change_request", "created_at", "updated_at"]
        extra_kwargs = {
            "amount": {"error_messages": {"min_value": NOT_NEGATIVE}},
        }

    def create(self, validated_data):
        validated_data.pop("version", None)
        try:
            return services.create_budget_line(BudgetLine(**validated_data))
        except services.CostError as error:
            raise refused(error) from error

    def update(self, instance, validated_data):
        version = validated_data.get("version")
        try:
            return services.update_budget_line(
                self._apply(instance, validated_data), version
            )
        except services.CostError as error:
            raise refused(error) from error


class ExpenseSerializer(_ProjectRecord):
    task = ScopedRelatedField(
        queryset=Task.objects.all(), allow_null=True, required=False
    )
    submitted_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Expense
        fields = [
            "id",
            "project",
            "task",
            "category",
            "spent_on",
            "amount",
            "currency",
            "description",
            "vendor",
            "receipt",
            "status",
            "submitted_by",
            "submitted_by_name",
            "decided_by",
            "decided_at",
            "decision_note",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = [
            "receipt",
            "status",
            "submitted_by",
            "decided_by",
            "decided_at",
            "decision_note",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "amount": {"error_messages": {"min_value": POSITIVE}},
        }

    def get_submitted_by_name(self, expense: Expense) -> str:
        return str(expense.submitted_by)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is None:
            attrs["submitted_by"] = self.context["request"].user  # one's own expense
        return attrs

    def create(self, validated_data):
        validated_data.pop("version", None)
        try:
            return services.submit_expense(
                Expense(**validated_data), user=self.context["request"].user
            )
        except services.CostError as error:
            raise refused(error) from error

    def update(self, instance, validated_data):
        version = validated_data.get("version")
        try:
            return services.update_expense(
                self._apply(instance, validated_data),
                version,
                user=self.context["request"].user,
            )
        except services.CostError as error:
            raise refused(error) from error


class DecisionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class TimeEntrySerializer(_ProjectRecord):
    task = ScopedRelatedField(
        queryset=Task.objects.all(), allow_null=True, required=False
    )
    user = serializers.PrimaryKeyRelatedField(queryset=STAFF, required=False)
    # The amounts reveal the rates: null for those who may not read the finance.
    cost_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, allow_null=True
    )
    bill_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, allow_null=True
    )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        shown: dict[int, bool] = self.context.setdefault("_sees_finance", {})
        if instance.project_id not in shown:
            shown[instance.project_id] = sees_finance(
                self.context["request"].user, Project(pk=instance.project_id)
            )
        if not shown[instance.project_id]:
            data["cost_amount"] = data["bill_amount"] = None
        return data

    class Meta:
        model = TimeEntry
        fields = [
            "id",
            "project",
            "task",
            "user",
            "worked_on",
            "hours",
            "billable",
            "note",
            "cost_amount",
            "bill_amount",
            "currency",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = [
            "cost_amount",
            "bill_amount",
            "currency",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "hours": {
                "error_messages": {
                    "min_value": _("Enter more than zero hours."),
                    "max_value": _("A day has 24 hours."),
                }
            },
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        request_user = self.context["request"].user
        project = attrs.get("project") or getattr(self.instance, "project", None)
        person = attrs.get("user")
        if (
            project is not None
            and person is not None
            and person != getattr(self.instance, "user", request_user)
        ):
            # Recording time for someone else is for those who see everyone's time: the
            # viewset base asks the permission layer (members own only their own).
            if not project.memberships.filter(user=person).exists():
                raise serializers.ValidationError(
                    {"user": _("Choose a member of the project team.")}
                )
        if self.instance is None:
            attrs.setdefault("user", request_user)  # one's own time, unless named
        return attrs

    def create(self, validated_data):
        validated_data.pop("version", None)
        try:
            return services.create_time_entry(TimeEntry(**validated_data))
        except services.CostError as error:
            raise refused(error) from error

    def update(self, instance, validated_data):
        version = validated_data.get("version")
        try:
            return services.update_time_entry(
                self._apply(instance, validated_data), version
            )
        except services.CostError as error:
            raise refused(error) from error


class RateSerializer(VersionedSerializer):
    project = ScopedRelatedField(
        queryset=Project.objects.all(), allow_null=True, required=False
    )
    user = serializers.PrimaryKeyRelatedField(
        queryset=STAFF, allow_null=True, required=False
    )

    class Meta:
        model = Rate
        fields = [
            "id",
            "project",
            "user",
            "role",
            "cost_rate",
            "bill_rate",
            "currency",
            "valid_from",
            "valid_until",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators: list = []  # combinations and overlaps are the service's to refuse
        extra_kwargs = {
            "cost_rate": {"error_messages": {"min_value": RATE_NOT_NEGATIVE}},
            "bill_rate": {"error_messages": {"min_value": RATE_NOT_NEGATIVE}},
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Firm-wide rates (no project) are for administrators: the viewset base asks.
        attrs = super().validate(attrs)
        if self.instance is not None and (
            "project" in attrs and attrs["project"] != self.instance.project
        ):
            raise serializers.ValidationError(
                {"project": _("A record cannot move to another project.")}
            )
        return attrs

    def create(self, validated_data):
        validated_data.pop("version", None)
        try:
            return services.create_rate(Rate(**validated_data))
        except services.CostError as error:
            raise refused(error) from error

    def update(self, instance, validated_data):
        version = validated_data.pop("version", None)
        for key, value in validated_data.items():
            setattr(instance, key, value)
        try:
            return services.update_rate(instance, version)
        except services.CostError as error:
            raise refused(error) from error


class ExchangeRateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExchangeRate
        fields = [
            "id",
            "from_currency",
            "to_currency",
            "rate",
            "valid_from",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        validators: list = []

    def create(self, validated_data):
        try:
            return services.create_exchange_rate(ExchangeRate(**validated_data))
        except services.CostError as error:
            raise refused(error) from error

    def update(self, instance, validated_data):
        for key, value in validated_data.items():
            setattr(instance, key, value)
        try:
            return services.update_exchange_rate(instance)
        except services.CostError as error:
            raise refused(error) from error
