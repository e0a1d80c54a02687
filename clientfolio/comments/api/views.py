"""API endpoints of comments, scoped by the permission layer (a comment outside the
user's projects does not exist: 404). List them by record (``?target_type=schedule.task
&target_id=12``: a record the user cannot see has no comments for them), post one
(multipart for files), edit one within the window (PATCH with ``version``; stale is
409), delete one (its trace stays)."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.relations import PrimaryKeyRelatedField
from rest_framework.response import Response

from clientfolio.comments import services
from clientfolio.comments.api import serializers
from clientfolio.comments.models import Comment
from clientfolio.core.api import ScopedGenericViewSet
from clientfolio.core.permissions import Action

__all__ = ["CommentViewSet"]


class CommentViewSet(
    ScopedGenericViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    """Comments on tasks, change requests, risks, issues, project requirements and
    deliverables, oldest first. Only the author edits, within the edit window; the
    author or the project manager deletes, and a deleted comment stays as a trace (who
    deleted it, when). A mention of someone outside the project team is 400 naming
    ``body``; a record the user cannot see is 400 naming ``target_id``."""

    queryset = Comment.objects.for_api()
    serializer_class = serializers.CommentSerializer
    filterset_fields = ["project", "target_type", "target_id", "author"]
    ordering_fields = ["created_at", "id"]
    ordering = ["created_at", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    # Deleting is the author's own or the manager's: comments.services decides.
    permission_actions = {"destroy": Action.VIEW}

    def _fresh(self, comment: Comment) -> Comment:
        return self.get_queryset().get(pk=comment.pk)

    @extend_schema(
        request=serializers.CommentCreateSerializer,
        responses={201: serializers.CommentSerializer},
    )
    def create(self, request, *args, **kwargs):
        body = serializers.CommentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            target = services.find_target(
                request.user, data["target_type"], data["target_id"]
            )
        except services.TargetNotFound:
            # As for any id of the body outside the user's scope (core.api).
            message = PrimaryKeyRelatedField.default_error_messages["does_not_exist"]
            raise exceptions.ValidationError(
                {"target_id": [str(message).format(pk_value=data["target_id"])]}
            ) from None
        comment = services.add_comment(
            request.user, target, data["body"], files=data.get("attachment_files", [])
        )
        return Response(
            self.get_serializer(self._fresh(comment)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=serializers.CommentEditSerializer,
        responses={200: serializers.CommentSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        comment = self.get_object()
        body = serializers.CommentEditSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.edit_comment(
            request.user,
            comment,
            body.validated_data["body"],
            body.validated_data["version"],
        )
        return Response(self.get_serializer(self._fresh(comment)).data)

    def destroy(self, request, *args, **kwargs):
        services.delete_comment(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
