"""API endpoints of the client library, scoped by the permission layer."""

from decimal import Decimal

from django.db.models import Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from clientfolio.clients import services
from clientfolio.clients.api import serializers
from clientfolio.clients.filters import ClientFilter, ContractFilter
from clientfolio.clients.models import (
    Client,
    Contact,
    Contract,
    Feedback,
    FollowUp,
    Payment,
    Requirement,
)
from clientfolio.core.api import ScopedViewSet
from clientfolio.core.permissions import Action

__all__ = ["ClientViewSet"]


class ClientViewSet(ScopedViewSet):
    """Clients. DELETE archives (restorable); `purge` destroys an archived client (admins)."""

    queryset = (
        Client.objects.with_tier().select_related("owner").prefetch_related("tags")
    )
    serializer_class = serializers.ClientSerializer
    filterset_class = ClientFilter
    ordering_fields = ["name_sort", "updated_at", "created_at", "status"]
    # No default `ordering`: OrderingFilter would apply it over the FilterSet's `sort`.
    # The model's ordering (name_sort, id) is the default.
    permission_actions = {"purge": Action.PURGE, "restore": Action.DELETE}

    def filter_queryset(self, queryset):
        # The filters (which hide archived clients by default) shape the list only;
        # an archived client must still be found to be read, restored or purged.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def perform_destroy(self, instance):
        services.archive_client(instance)

    @extend_schema(request=None, responses={200: serializers.ClientSerializer})
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        client = self.get_object()
        self.check_write(Action.DELETE, client)
        client = services.restore_client(client)
        return Response(self.get_serializer(client).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def purge(self, request, pk=None):
        client = self.get_object()
        self.check_write(Action.PURGE, client)
        if not client.is_archived:
            return Response(
                {"detail": _("Archive the client before purging it.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        services.purge_client(client)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RecordViewSet(ScopedViewSet):
    def perform_destroy(self, instance):
        services.delete_record(instance)


class ContactViewSet(RecordViewSet):
    queryset = Contact.objects.all()
    serializer_class = serializers.ContactSerializer
    filterset_fields = ["client", "is_primary"]
    ordering_fields = ["name", "id"]


class RequirementViewSet(RecordViewSet):
    queryset = Requirement.objects.all()
    serializer_class = serializers.RequirementSerializer
    filterset_fields = ["client", "status", "priority"]
    ordering_fields = ["wanted_by", "id"]


class ContractViewSet(RecordViewSet):
    queryset = Contract.objects.annotate(
        paid=Coalesce(Sum("payments__amount"), Value(Decimal("0")))
    ).order_by("-signed_on", "-id")
    serializer_class = serializers.ContractSerializer
    filterset_class = ContractFilter
    ordering_fields = ["signed_on", "amount", "id"]


class PaymentViewSet(RecordViewSet):
    queryset = Payment.objects.all()
    serializer_class = serializers.PaymentSerializer
    filterset_fields = ["contract", "contract__client"]
    ordering_fields = ["received_on", "amount", "id"]


class FeedbackViewSet(RecordViewSet):
    queryset = Feedback.objects.all()
    serializer_class = serializers.FeedbackSerializer
    filterset_fields = ["client", "kind", "severity", "status"]
    ordering_fields = ["received_on", "id"]


class FollowUpViewSet(RecordViewSet):
    queryset = FollowUp.objects.all()
    serializer_class = serializers.FollowUpSerializer
    filterset_fields = ["client", "owner"]
    ordering_fields = ["planned_on", "id"]
