"""The client import's column mapping over the API: read a file's columns with the mapping
guessed (or a preset's), check the file under a mapping, import it; and the firm's saved
mapping presets.

Each call uploads the file again (multipart, field ``file``): nothing is kept between
calls. Row numbers in reports are the spreadsheet's (the header is row 1)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from clientfolio.clients import exchange, mapping, services
from clientfolio.clients.models import Client, ImportPreset
from clientfolio.core.api import ScopedViewSet, VersionedSerializer
from clientfolio.core.permissions import Action, can

__all__ = ["ImportCheckView", "ImportColumnsView", "ImportPresetViewSet"]

FIELD_KEYS = [key for key, _label, _n in exchange.COLUMNS]


def _check_columns(value: Any) -> dict[str, str | None]:
    if not isinstance(value, dict) or not value:
        raise serializers.ValidationError(
            _("Give the columns as an object: header → field key, or null.")
        )
    if len(value) > exchange.MAX_COLUMNS:
        raise serializers.ValidationError(
            _("At most %(n)d columns.") % {"n": exchange.MAX_COLUMNS}
        )
    for header, field in value.items():
        if not isinstance(header, str) or not header.strip() or len(header) > 200:
            raise serializers.ValidationError(
                _("Every header is a text of 1 to 200 characters.")
            )
        if field is not None and field not in FIELD_KEYS:
            raise serializers.ValidationError(
                _("“%(field)s” is not a field clients can be imported into.")
                % {"field": field}
            )
    return value


class ImportPresetSerializer(VersionedSerializer):
    columns = serializers.JSONField(
        help_text="Header (as the other tool writes it) → import field key, or null "
        "to leave the column out. Keys: " + ", ".join(FIELD_KEYS) + "."
    )

    class Meta:
        model = ImportPreset
        fields = ["id", "name", "columns", "version", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def validate_columns(self, value: Any) -> dict[str, str | None]:
        return _check_columns(value)

    def create(self, validated_data):
        validated_data.pop("version", None)
        return ImportPreset.objects.create(
            created_by=self.context["request"].user, **validated_data
        )

    def update(self, instance, validated_data):
        version = validated_data.pop("version")
        for key, value in validated_data.items():
            setattr(instance, key, value)
        return services.update_import_preset(instance, version)


class ImportPresetViewSet(ScopedViewSet):
    """The firm's saved column mappings for client imports (the built-in ones are
    listed by ``client-imports/columns/``)."""

    queryset = ImportPreset.objects.all()
    serializer_class = ImportPresetSerializer


class _UploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    preset = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="builtin:<slug> or saved:<id> (see columns/ → presets).",
    )


class _CheckSerializer(_UploadSerializer):
    mapping = serializers.CharField(
        required=False,
        help_text="JSON list, one entry per column of the file: a field key or null. "
        "Without it: the preset's mapping, else the file must be in our own layout "
        "or is mapped by its column names.",
    )
    confirm = serializers.BooleanField(
        default=False, help_text="Import the file if every row is valid."
    )


def _read(request, serializer_class) -> tuple[dict[str, Any], bytes, exchange.Table]:
    if not can(request.user, Action.IMPORT, Client):
        raise exceptions.PermissionDenied
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    upload = serializer.validated_data["file"]
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise exceptions.ValidationError({"file": [_("The file is too large.")]})
    data = upload.read()
    try:
        table = exchange.read_table(data, upload.name)
    except exchange.ImportError_ as error:
        raise exceptions.ValidationError({"file": [str(error)]}) from error
    preset = serializer.validated_data.get("preset", "")
    if preset and exchange.preset_columns(preset) is None:
        raise exceptions.ValidationError({"preset": [_("No such preset.")]})
    return {**serializer.validated_data, "name": upload.name}, data, table


class ImportColumnsView(APIView):
    """The mapping step: the file's columns with a few cells each and the field each
    feeds, guessed from its name (or from ``preset``), the fields a column can feed and
    the presets."""

    queryset = Client.objects.all()
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": _UploadSerializer},
        responses=inline_serializer(
            "ImportColumns",
            {
                "own_layout": serializers.BooleanField(),
                "columns": inline_serializer(
                    "ImportColumn",
                    {
                        "header": serializers.CharField(),
                        "samples": serializers.ListField(child=serializers.CharField()),
                        "field": serializers.CharField(allow_null=True),
                    },
                    many=True,
                ),
                "fields": serializers.DictField(child=serializers.CharField()),
                "presets": serializers.DictField(child=serializers.CharField()),
            },
        ),
    )
    def post(self, request) -> Response:
        params, _data, table = _read(request, _UploadSerializer)
        guessed = exchange.mapping_for(table.header, params.get("preset", ""))
        examples = exchange.samples(table)
        return Response(
            {
                "own_layout": exchange.is_own_layout(table.header),
                "columns": [
                    {"header": h, "samples": examples[i], "field": guessed[i]}
                    for i, h in enumerate(table.header)
                ],
                "fields": dict(exchange.field_choices()),
                "presets": dict(exchange.preset_choices()),
            }
        )


class ImportCheckView(APIView):
    """Check a file under a column mapping (nothing written), or with ``confirm``
    import it, all or nothing: 200 with the report when every row is valid, 201 with
    the counts once imported, 400 with the report (row, column, problem) or the reason
    the file or mapping cannot be used."""

    queryset = Client.objects.all()
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": _CheckSerializer},
        responses={
            200: inline_serializer(
                "ImportCheckReport",
                {
                    "mapping": serializers.ListField(
                        child=serializers.CharField(allow_null=True), allow_null=True
                    ),
                    "rows": serializers.IntegerField(),
                    "clients": serializers.IntegerField(),
                    "contacts": serializers.IntegerField(),
                    "truncated": serializers.BooleanField(),
                    "errors": serializers.ListField(
                        child=serializers.ListField(),
                        help_text="[row, column, problem]",
                    ),
                    "preview": serializers.ListField(child=serializers.DictField()),
                },
            ),
            201: inline_serializer(
                "ImportDone",
                {
                    "imported": serializers.IntegerField(),
                    "contacts": serializers.IntegerField(),
                },
            ),
            400: OpenApiTypes.OBJECT,
        },
    )
    def post(self, request) -> Response:
        params, data, table = _read(request, _CheckSerializer)
        columns = self._mapping(params, table)
        try:
            report = exchange.parse_file(data, params["name"], mapping=columns)
        except exchange.ImportError_ as error:
            raise exceptions.ValidationError({"mapping": [str(error)]}) from error
        body = {"mapping": columns, **report.to_json()}
        if not report.ok:
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        if not params["confirm"]:
            return Response(body)
        with transaction.atomic():
            created = exchange.import_clients(report, user=request.user)
        return Response(
            {"imported": created, "contacts": report.contact_count},
            status=status.HTTP_201_CREATED,
        )

    def _mapping(self, params, table) -> list[str | None] | None:
        if "mapping" in params:
            try:
                columns = json.loads(params["mapping"])
            except ValueError as error:
                raise exceptions.ValidationError(
                    {"mapping": [_("Give the mapping as a JSON list.")]}
                ) from error
            if not isinstance(columns, list) or not all(
                c is None or isinstance(c, str) for c in columns
            ):
                raise exceptions.ValidationError(
                    {"mapping": [_("Give one field key or null per column.")]}
                )
            try:
                return exchange.check_mapping(table.header, columns)
            except exchange.ImportError_ as error:
                raise exceptions.ValidationError({"mapping": [str(error)]}) from error
        if params.get("preset"):
            return exchange.mapping_for(table.header, params["preset"])
        if exchange.is_own_layout(table.header):
            return None
        return mapping.guess_mapping(table.header, exchange.known_headers())
