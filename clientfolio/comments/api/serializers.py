"""API shapes of comments: what a comment reads as, and the bodies that post and edit
one. The shapes only; comments.services decides mentions, the window and files."""

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clientfolio.comments.models import MAX_BODY, Comment, TargetType
from clientfolio.documents.models import Document

__all__ = [
    "CommentAttachmentSerializer",
    "CommentCreateSerializer",
    "CommentEditSerializer",
    "CommentSerializer",
]


class CommentAttachmentSerializer(serializers.ModelSerializer):
    """A file attached to a comment: a document of the project, downloaded (and logged)
    through the documents API."""

    file_name = serializers.CharField(
        source="current_version.original_name", read_only=True, default=""
    )
    size = serializers.IntegerField(
        source="current_version.size", read_only=True, default=None
    )
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "title", "file_name", "size", "download_url"]
        read_only_fields = fields

    def get_download_url(self, document: Document) -> str | None:
        if document.current_version_id is None:
            return None
        return reverse(
            "document-version-download", kwargs={"pk": document.current_version_id}
        )


class CommentSerializer(serializers.ModelSerializer):
    """A comment as it reads: the Markdown and its sanitised HTML (mentions marked), who
    it mentions, its attachments; a deleted one keeps only who deleted it and when."""

    author_name = serializers.SerializerMethodField()
    deleted_by_name = serializers.SerializerMethodField()
    body_html = serializers.CharField(read_only=True)
    mentions = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    is_deleted = serializers.BooleanField(read_only=True)
    editable_until = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id",
            "project",
            "target_type",
            "target_id",
            "author",
            "author_name",
            "body",
            "body_html",
            "mentions",
            "attachments",
            "created_at",
            "edited_at",
            "editable_until",
            "is_deleted",
            "deleted_at",
            "deleted_by",
            "deleted_by_name",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    def get_author_name(self, comment: Comment) -> str | None:
        return str(comment.author) if comment.author_id else None

    def get_deleted_by_name(self, comment: Comment) -> str | None:
        return str(comment.deleted_by) if comment.deleted_by_id else None

    def get_mentions(self, comment: Comment) -> list[int]:
        """Ids of the team members the comment mentions (prefetched)."""
        return [person.pk for person in comment.mentions.all()]

    @staticmethod
    def _shown(comment: Comment) -> list[Document]:
        # Documents moved to the trash, or to another project since, are left out.
        return [
            document
            for document in comment.attachments.all()
            if document.deleted_at is None
            and document.current_version_id
            and document.project_id == comment.project_id
        ]

    @extend_schema_field(CommentAttachmentSerializer(many=True))
    def get_attachments(self, comment: Comment) -> Any:
        return CommentAttachmentSerializer(self._shown(comment), many=True).data

    @extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
    def get_editable_until(self, comment: Comment) -> str | None:
        """Until when its author may still edit it; null once deleted."""
        if comment.is_deleted:
            return None
        return serializers.DateTimeField().to_representation(comment.editable_until)


class CommentCreateSerializer(serializers.Serializer):
    """A new comment on a record: ``target_type`` (its model label) and ``target_id``,
    the Markdown ``body`` (``@username`` mentions a team member), and optional files
    (multipart), each kept as a document of the project."""

    target_type = serializers.ChoiceField(choices=TargetType.choices)
    target_id = serializers.IntegerField(min_value=1)
    body = serializers.CharField(max_length=MAX_BODY)
    attachment_files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        write_only=True,
        help_text="Files to attach (multipart); each becomes a document of the "
        "project. All or nothing with the comment.",
    )


class CommentEditSerializer(serializers.Serializer):
    """The author's new text, within the edit window; ``version`` is the comment's
    version it is based on (409 when stale)."""

    body = serializers.CharField(max_length=MAX_BODY)
    version = serializers.IntegerField(
        help_text="The version this update is based on. A stale version is answered "
        "with 409."
    )
