"""API of personal-data requests (PIPL / GDPR), for administrators as on the pages:
``GET personal-data/`` the log; ``GET personal-data/contacts/{id}/export/`` everything
held about a contact (logged as handed over); ``POST personal-data/contacts/{id}/erase/``
anonymises them (``confirm`` is their current name; 409 if erased before)."""

from __future__ import annotations

import json
from typing import Any, cast

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from clientfolio.clients.models import Contact
from clientfolio.core.api import ScopedGenericViewSet
from clientfolio.core.models import User
from clientfolio.core.permissions import Action
from clientfolio.ops import privacy
from clientfolio.ops.api import serializers
from clientfolio.ops.models import PersonalDataRecord

__all__ = ["PersonalDataViewSet"]


class PersonalDataViewSet(
    ScopedGenericViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    """The log of personal-data exports and erasures, and the two requests."""

    queryset = PersonalDataRecord.objects.select_related("actor")
    serializer_class = serializers.PersonalDataRecordSerializer
    filterset_fields = ["kind", "contact_ref", "client_ref"]
    ordering_fields = ["at", "id"]
    ordering = ["-at", "-id"]
    permission_actions = {"export": Action.EXPORT, "erase": Action.PURGE}

    def _contact(self, contact_id: str) -> Contact:
        return get_object_or_404(
            Contact.objects.select_related("portal_user"), pk=contact_id
        )

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    @action(
        detail=False,
        methods=["get"],
        url_path=r"contacts/(?P<contact_id>[0-9]+)/export",
    )
    def export(self, request: Request, contact_id: str) -> Response:
        """Everything held about the contact and their portal login (the same JSON as
        the page's file); the export is logged with the file's SHA-256."""
        contact = self._contact(contact_id)
        payload, record = privacy.record_export(
            contact,
            actor=cast(User, request.user),
            reason=str(request.query_params.get("reason", ""))[:300],
            now=timezone.now(),
        )
        response = Response(json.loads(payload))
        response["X-Export-SHA256"] = record.sha256
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        request=serializers.EraseSerializer,
        responses={200: serializers.PersonalDataRecordSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path=r"contacts/(?P<contact_id>[0-9]+)/erase",
    )
    def erase(self, request: Request, contact_id: str) -> Response:
        contact = self._contact(contact_id)
        if contact.erased_at is not None:
            return Response(
                {"detail": _("This contact's personal data was erased before.")},
                status=status.HTTP_409_CONFLICT,
            )
        body = serializers.EraseSerializer(
            data=request.data, context={"name": contact.name}
        )
        body.is_valid(raise_exception=True)
        try:
            record = privacy.erase(
                contact,
                actor=cast(User, request.user),
                reason=body.validated_data["reason"],
                now=timezone.now(),
            )
        except privacy.AlreadyErased:
            return Response(
                {"detail": _("This contact's personal data was erased before.")},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(serializers.PersonalDataRecordSerializer(record).data)

    def get_serializer_class(self) -> Any:
        if getattr(self, "action", None) == "erase":
            return serializers.EraseSerializer
        return super().get_serializer_class()
