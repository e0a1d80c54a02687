"""API shapes of folders, documents and versions. Validation matches the forms; writes go
to documents.services; the viewset base checks them against the permission layer."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clientfolio.core.api import VersionedSerializer
from clientfolio.core.serializers import ScopedRelatedField
from clientfolio.documents import services
from clientfolio.documents.models import (
    Document,
    DocumentVersion,
    Folder,
    FolderTemplate,
)
from clientfolio.projects.models import Project

__all__ = [
    "DocumentSerializer",
    "DocumentVersionSerializer",
    "FolderSerializer",
    "FolderTemplateSerializer",
]


def refuse(error: services.DocumentError, default: str = "detail"):
    field = default if error.field in (None, "files") else str(error.field)
    detail: dict[str, list[str]] = {field: [error.message]}
    if error.suggested:
        detail["suggested_name"] = [error.suggested]
    return serializers.ValidationError(detail)


class FolderTemplateSerializer(serializers.ModelSerializer):
    class Meta:
        model = FolderTemplate
        fields = ["id", "name_zh", "name_en", "position"]


class FolderSerializer(VersionedSerializer):
    project = ScopedRelatedField(queryset=Project.objects.all())
    parent = ScopedRelatedField(  # type: ignore[assignment]
        queryset=Folder.objects.all(), required=False, allow_null=True
    )
    display_name = serializers.CharField(source="label", read_only=True)

    class Meta:
        model = Folder
        fields = [
            "id",
            "project",
            "parent",
            "name",
            "display_name",
            "position",
            "version",
        ]
        read_only_fields = ["position"]

    def create(self, validated_data):
        try:
            return services.create_folder(
                validated_data["project"],
                validated_data.get("name", ""),
                validated_data.get("parent"),
            )
        except services.DocumentError as error:
            raise refuse(error) from error

    def update(self, instance, validated_data):
        if validated_data.get("project", instance.project) != instance.project:
            raise serializers.ValidationError(
                {"project": [_("A folder stays in its project.")]}
            )
        try:
            return services.update_folder(
                instance,
                validated_data.get("version"),
                name=validated_data.get("name", instance.name or instance.label),
                parent=validated_data.get("parent", instance.parent),
            )
        except services.DocumentError as error:
            raise refuse(error) from error


class DocumentVersionSerializer(serializers.ModelSerializer):
    document = ScopedRelatedField(queryset=Document.objects.active())
    file = serializers.FileField(write_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentVersion
        fields = [
            "id",
            "document",
            "number",
            "file",
            "original_name",
            "size",
            "sha256",
            "content_type",
            "uploaded_by",
            "uploaded_at",
            "note",
            "download_url",
        ]
        read_only_fields = [
            "number",
            "original_name",
            "size",
            "sha256",
            "content_type",
            "uploaded_by",
            "uploaded_at",
        ]

    def get_download_url(self, version) -> str:
        return reverse("document-version-download", kwargs={"pk": version.pk})

    def create(self, validated_data):
        user = self.context["request"].user
        document = validated_data["document"]
        try:
            return services.upload_version(
                document,
                validated_data["file"],
                user=user,
                note=validated_data.get("note", ""),
            )
        except services.DocumentError as error:
            raise refuse(error, "file") from error


class DocumentSerializer(VersionedSerializer):
    project = ScopedRelatedField(queryset=Project.objects.all())
    folder = ScopedRelatedField(
        queryset=Folder.objects.all(), required=False, allow_null=True
    )
    file = serializers.FileField(
        write_only=True, required=False, help_text="The first version's file (create)."
    )
    note = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=500
    )
    current_version = DocumentVersionSerializer(read_only=True)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "project",
            "folder",
            "title",
            "category",
            "notes",
            "visibility",
            "current_version",
            "created_by",
            "created_at",
            "deleted_at",
            "version",
            "file",
            "note",
        ]
        read_only_fields = ["created_by", "created_at", "deleted_at"]

    def create(self, validated_data):
        user = self.context["request"].user
        project = validated_data["project"]
        upload = validated_data.get("file")
        if upload is None:
            raise serializers.ValidationError({"file": [_("Choose a file.")]})
        try:
            return services.upload_documents(
                project,
                [upload],
                user=user,
                folder=validated_data.get("folder"),
                title=validated_data.get("title", ""),
                category=validated_data.get("category", ""),
                notes=validated_data.get("notes", ""),
                visibility=validated_data.get(
                    "visibility", Document.Visibility.INTERNAL
                ),
                note=validated_data.get("note", ""),
            )[0]
        except services.DocumentError as error:
            raise refuse(error, "file") from error

    def update(self, instance, validated_data):
        if validated_data.get("project", instance.project) != instance.project:
            raise serializers.ValidationError(
                {"project": [_("A document stays in its project.")]}
            )
        if "file" in validated_data:
            raise serializers.ValidationError(
                {"file": [_("Upload new files as versions.")]}
            )
        changes = {
            name: validated_data[name]
            for name in ("title", "folder", "category", "notes", "visibility")
            if name in validated_data
        }
        if "title" in changes and not changes["title"].strip():
            raise serializers.ValidationError({"title": [_("Give a title.")]})
        try:
            return services.update_document(
                instance, validated_data.get("version"), **changes
            )
        except services.DocumentError as error:
            raise refuse(error) from error
