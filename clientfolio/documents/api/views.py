"""API endpoints of folders, documents and versions, scoped by the permission layer;
project roles decide per record (404 outside the user's projects)."""

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import mixins, parsers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from clientfolio.core.api import ScopedGenericViewSet, ScopedViewSet
from clientfolio.core.logins import client_address as _client_ip
from clientfolio.core.permissions import Action
from clientfolio.documents import services
from clientfolio.documents.api import serializers
from clientfolio.documents.models import (
    Document,
    DocumentVersion,
    Folder,
    FolderTemplate,
)
from clientfolio.documents.responses import file_response as _file_response

__all__ = [
    "DocumentVersionViewSet",
    "DocumentViewSet",
    "FolderTemplateViewSet",
    "FolderViewSet",
]

UPLOAD_PARSERS = [parsers.MultiPartParser, parsers.FormParser, parsers.JSONParser]


class FolderTemplateViewSet(ScopedViewSet):
    """The folders every new project's document tree starts with (administrators)."""

    queryset = FolderTemplate.objects.all()
    serializer_class = serializers.FolderTemplateSerializer


class FolderViewSet(ScopedViewSet):
    """Folders of projects' document trees; PATCH `name` and `parent` to rename or move."""

    queryset = Folder.objects.select_related("template")
    serializer_class = serializers.FolderSerializer
    filterset_fields = ["project", "parent"]
    ordering = ["position", "id"]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]


class DocumentViewSet(ScopedViewSet):
    """Documents. Create with a multipart `file` (version 1); DELETE moves to the trash,
    `restore` brings it back, `purge` (administrators) destroys a trashed document.
    Filter with `project`, `folder`, `visibility`, `trashed=true` and `q` (search)."""

    queryset = Document.objects.select_related("current_version__uploaded_by", "folder")
    serializer_class = serializers.DocumentSerializer
    parser_classes = UPLOAD_PARSERS
    filterset_fields = ["project", "folder", "visibility"]
    ordering_fields = ["title", "created_at", "id"]
    ordering = ["title", "id"]
    permission_actions = {"restore": Action.DELETE, "purge": Action.PURGE}

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action in ("restore", "purge"):
            return queryset.trashed()
        if self.action == "list":
            trashed = self.request.query_params.get("trashed") == "true"
            queryset = queryset.trashed() if trashed else queryset.active()
            query = self.request.query_params.get("q", "").strip()
            if query:
                queryset = queryset.search(query)
            return queryset
        return queryset.active()

    def perform_destroy(self, instance):
        services.trash_document(instance)

    @extend_schema(request=None, responses={200: serializers.DocumentSerializer})
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        document = self.get_object()
        self.check_write(Action.DELETE, document)
        document = services.restore_document(document)
        return Response(self.get_serializer(document).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def purge(self, request, pk=None):
        document = self.get_object()
        self.check_write(Action.PURGE, document)
        services.purge_document(document)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentVersionViewSet(
    ScopedGenericViewSet,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
):
    """Immutable versions: upload with a multipart `file`, `document` and `note`;
    `download` serves the file as an attachment and logs it."""

    queryset = DocumentVersion.objects.select_related("document")
    serializer_class = serializers.DocumentVersionSerializer
    parser_classes = UPLOAD_PARSERS
    filterset_fields = ["document", "document__project"]
    ordering = ["document", "-number"]

    # The file in its own content type (PDF, image, spreadsheet…).
    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        version = self.get_object()
        response = _file_response(version, inline=False)
        services.record_download(version, request.user, _client_ip(request))
        return response
