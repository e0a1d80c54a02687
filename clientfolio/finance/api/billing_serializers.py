"""API shapes of invoices (with nested lines) and the payments received against them.
Writes go to ``finance.billing`` (the viewset base checks them against the permission
layer); its refusals are 400 with the message under the field
they concern (``number``, ``amount``…); a stale ``version`` is 409."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from clientfolio.clients.models import Contract, Payment
from clientfolio.core.api import VersionedSerializer
from clientfolio.core.serializers import ScopedRelatedField
from clientfolio.core.validators import validate_plan_date
from clientfolio.finance import billing
from clientfolio.finance.models import Invoice, InvoiceLine
from clientfolio.projects.models import Project

__all__ = [
    "InvoiceLineSerializer",
    "InvoiceSerializer",
    "IssueSerializer",
    "PaymentSerializer",
    "VoidSerializer",
    "refused",
]


def refused(error: billing.BillingError) -> serializers.ValidationError:
    return serializers.ValidationError(
        {error.field or "non_field_errors": [str(error.message)]}
    )


class InvoiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = ["position", "description", "quantity", "unit_price", "amount"]
        read_only_fields = ["position", "amount"]
        extra_kwargs: dict[str, dict[str, Any]] = {
            "quantity": {"min_value": None, "validators": []},
            "unit_price": {"min_value": None, "validators": []},
        }


class InvoiceSerializer(VersionedSerializer):
    """A draft is created and edited with its ``lines``; the amounts are computed."""

    project = ScopedRelatedField(queryset=Project.objects.all())
    # A contract the reader may not see, or one of another client than the project's (set
    # by an import or an administrator), reads as null; in a body, either is refused
    # exactly as an id that does not exist (after the role check).
    contract = ScopedRelatedField(queryset=Contract.objects.all(), check_input=False)
    lines = InvoiceLineSerializer(many=True, required=False)
    is_overdue = serializers.BooleanField(read_only=True)
    outstanding = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True
    )

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "project",
            "client",
            "contract",
            "currency",
            "tax_rate",
            "status",
            "issued_on",
            "due_on",
            "subtotal",
            "tax_amount",
            "total",
            "paid_amount",
            "outstanding",
            "is_overdue",
            "notes",
            "void_reason",
            "lines",
            "version",
        ]
        read_only_fields = [
            "client",
            "status",
            "issued_on",
            "due_on",
            "subtotal",
            "tax_amount",
            "total",
            "paid_amount",
            "void_reason",
        ]
        extra_kwargs: dict[str, dict[str, Any]] = {
            "number": {"validators": []},  # the service says it clearly
            "tax_rate": {"validators": []},
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is not None and (
            "project" in attrs and attrs["project"] != self.instance.project
        ):
            raise serializers.ValidationError(
                {"project": _("A record cannot move to another project.")}
            )
        return attrs

    def to_representation(self, instance):
        data = super().to_representation(instance)
        contract = instance.contract
        if contract is not None and contract.client_id != instance.project.client_id:
            data["contract"] = None
        return data

    def _check_contract(self, project: Project, contract: Contract | None) -> None:
        """Refuse a contract of another client than the project's as one that does not
        exist: the viewset's write check has already refused the others."""
        if contract is not None and contract.client_id != project.client_id:
            message = self.fields["contract"].error_messages["does_not_exist"]
            raise serializers.ValidationError(
                {"contract": [str(message).format(pk_value=contract.pk)]}
            )

    @staticmethod
    def _lines(data) -> list[billing.LineInput]:
        return [
            billing.LineInput(
                line.get("description", ""),
                line.get("quantity"),
                line.get("unit_price"),
            )
            for line in data
        ]

    def create(self, validated_data):
        lines = self._lines(validated_data.pop("lines", []))
        validated_data.pop("version", None)
        self._check_contract(validated_data["project"], validated_data["contract"])
        if "currency" not in validated_data:
            validated_data["currency"] = validated_data["contract"].currency
        invoice = Invoice(**validated_data)
        try:
            return billing.create_invoice(
                invoice, lines, user=self.context["request"].user
            )
        except billing.BillingError as error:
            raise refused(error) from error

    def update(self, instance, validated_data):
        version = validated_data.pop("version", None)
        lines_data = validated_data.pop("lines", None)
        if lines_data is None:
            lines = [
                billing.LineInput(x.description, x.quantity, x.unit_price)
                for x in instance.lines.all()
            ]
        else:
            lines = self._lines(lines_data)
        self._check_contract(instance.project, validated_data.get("contract"))
        for key, value in validated_data.items():
            setattr(instance, key, value)
        try:
            return billing.update_invoice(instance, version, lines)
        except billing.BillingError as error:
            raise refused(error) from error


@extend_schema_serializer(component_name="InvoiceIssue")
class IssueSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    issued_on = serializers.DateField(required=False, validators=[validate_plan_date])
    due_on = serializers.DateField(required=False, validators=[validate_plan_date])


@extend_schema_serializer(component_name="InvoiceVoid")
class VoidSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    reason = serializers.CharField(max_length=500)


@extend_schema_serializer(component_name="InvoicePayment")
class PaymentSerializer(serializers.ModelSerializer):
    """Money received against the invoice (a client payment with ``invoice`` set)."""

    currency = serializers.CharField(
        write_only=True, required=False, help_text="Refused if not the invoice's."
    )
    invoice = ScopedRelatedField(read_only=True)
    contract = ScopedRelatedField(read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "invoice",
            "contract",
            "amount",
            "received_on",
            "method",
            "reference",
            "note",
            "currency",
        ]
        read_only_fields = ["invoice", "contract"]
        extra_kwargs: dict[str, dict[str, Any]] = {"amount": {"validators": []}}
