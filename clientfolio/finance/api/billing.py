"""API endpoints of invoices, scoped by the permission layer (manager, finance role and
administrators; 404 outside the user's projects): drafts with nested lines, ``issue``,
``void`` and ``payments`` (GET lists them, POST records one)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from clientfolio.clients.models import Payment
from clientfolio.core.api import ScopedViewSet
from clientfolio.core.permissions import Action
from clientfolio.finance import billing
from clientfolio.finance.api import billing_serializers as serializers
from clientfolio.finance.models import Invoice

__all__ = ["InvoiceViewSet", "register"]


class InvoiceViewSet(ScopedViewSet):
    """Invoices of projects. Create and edit drafts with their ``lines``;
    ``POST …/issue/`` (``version``, optional ``issued_on``/``due_on``),
    ``POST …/void/`` (``version``, ``reason``), ``GET``/``POST …/payments/``."""

    queryset = Invoice.objects.select_related("project", "contract").prefetch_related(
        "lines"
    )
    serializer_class = serializers.InvoiceSerializer
    filterset_fields = ["project", "status", "contract", "client"]
    ordering = ["-issued_on", "-id"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    permission_actions = {"issue": Action.CHANGE, "void": Action.CHANGE}

    def _detail(self, invoice) -> Response:
        invoice.refresh_from_db()
        return Response(self.get_serializer(invoice).data)

    @extend_schema(
        request=serializers.IssueSerializer,
        responses={200: serializers.InvoiceSerializer},
    )
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        invoice = self.get_object()
        self.check_write(Action.CHANGE, invoice)
        data = serializers.IssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            billing.issue_invoice(
                invoice,
                data.validated_data["version"],
                issued_on=data.validated_data.get("issued_on"),
                due_on=data.validated_data.get("due_on"),
            )
        except billing.BillingError as error:
            raise serializers.refused(error) from error
        return self._detail(invoice)

    @extend_schema(
        request=serializers.VoidSerializer,
        responses={200: serializers.InvoiceSerializer},
    )
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        invoice = self.get_object()
        self.check_write(Action.CHANGE, invoice)
        data = serializers.VoidSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            billing.void_invoice(
                invoice, data.validated_data["reason"], data.validated_data["version"]
            )
        except billing.BillingError as error:
            raise serializers.refused(error) from error
        return self._detail(invoice)

    @extend_schema(
        methods=["GET"], responses={200: serializers.PaymentSerializer(many=True)}
    )
    @extend_schema(
        methods=["POST"],
        request=serializers.PaymentSerializer,
        responses={201: serializers.PaymentSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def payments(self, request, pk=None):
        """GET: the invoice's payments, newest first, paged like every list. POST:
        record one (201)."""
        invoice = self.get_object()
        if request.method == "GET":
            rows = Payment.objects.filter(invoice=invoice).order_by(
                "-received_on", "-id"
            )
            page = self.paginate_queryset(rows)
            return self.get_paginated_response(
                serializers.PaymentSerializer(page, many=True).data
            )
        self.check_write(
            Action.ADD, Payment(invoice=invoice, contract_id=invoice.contract_id)
        )
        data = serializers.PaymentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            payment = billing.record_payment(
                invoice,
                values["amount"],
                values["received_on"],
                values.get("method") or Payment.Method.BANK,
                values.get("reference", ""),
                values.get("note", ""),
                request.user,
                currency=values.get("currency"),
            )
        except billing.BillingError as error:
            raise serializers.refused(error) from error
        return Response(
            serializers.PaymentSerializer(payment).data, status=status.HTTP_201_CREATED
        )


def register(router: DefaultRouter) -> None:
    """Add this module's API resources to the finance router."""
    router.register("invoices", InvoiceViewSet, basename="invoice")
