"""The template API: list and read templates (firm-wide), create one from a JSON
document (administrators), edit its basics with ``version``, delete it, save a project
as a template (its manager) and start a project from one."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from clientfolio.blueprints import services
from clientfolio.blueprints.api import serializers
from clientfolio.blueprints.models import ProjectTemplate
from clientfolio.core.api import ScopedGenericViewSet
from clientfolio.core.permissions import Action, can, scope
from clientfolio.projects.services import CodeTaken

__all__ = ["ProjectTemplateViewSet"]


class ProjectTemplateViewSet(
    ScopedGenericViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
):
    """Project templates. `POST` creates one from a JSON document (`content`;
    administrators); `PATCH` changes names and descriptions (send `version`);
    `POST {id}/instantiate/` starts a project from it; `POST from-project/` saves a
    project (that the caller manages) as a template."""

    queryset = ProjectTemplate.objects.select_related("created_by").annotate(
        latest_number=Max("revisions__number")
    )
    serializer_class = serializers.TemplateSerializer
    ordering = ["builtin_key", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_actions = {"instantiate": Action.VIEW, "from_project": Action.VIEW}

    def get_serializer_class(self):
        if self.action in ("retrieve", "create"):
            return serializers.TemplateDetailSerializer
        return serializers.TemplateSerializer

    def get_queryset(self):
        return super().get_queryset().order_by("builtin_key", "id")

    @extend_schema(
        request=serializers.TemplateDetailSerializer,
        responses={201: serializers.TemplateDetailSerializer},
    )
    def create(self, request, *args, **kwargs):
        body = serializers.TemplateDetailSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            template = services.create_template(
                user=request.user,
                content=data.get("content", {}),
                name_zh=data.get("name_zh", ""),
                name_en=data.get("name_en", ""),
                description_zh=data.get("description_zh", ""),
                description_en=data.get("description_en", ""),
            )
        except services.TemplateError as error:
            raise serializers.refuse(error) from error
        return Response(
            serializers.TemplateDetailSerializer(
                template, context=self.get_serializer_context()
            ).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=serializers.TemplateSerializer,
        responses={200: serializers.TemplateSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        template = self.get_object()
        body = serializers.TemplateSerializer(
            template,
            data=request.data,
            partial=True,
            context=self.get_serializer_context(),
        )
        body.is_valid(raise_exception=True)
        for field in ("name_zh", "name_en", "description_zh", "description_en"):
            if field in body.validated_data:
                setattr(template, field, body.validated_data[field])
        try:
            services.update_template(template, body.validated_data["version"])
        except services.TemplateError as error:
            raise serializers.refuse(error) from error
        return Response(
            serializers.TemplateSerializer(
                self.get_queryset().get(pk=template.pk),
                context=self.get_serializer_context(),
            ).data
        )

    def perform_destroy(self, instance):
        services.delete_template(instance)

    @extend_schema(
        request=serializers.StartProjectSerializer,
        responses={201: serializers.StartedSerializer},
    )
    @action(detail=True, methods=["post"])
    def instantiate(self, request, pk=None):
        """Start a project from the template's latest version, in one transaction. A
        start date that is not a working day of the calendar moves to the next working
        day (`moved`, `notice`)."""
        template = self.get_object()
        if not can(request.user, Action.ADD, "projects.project"):
            raise exceptions.PermissionDenied
        body = serializers.StartProjectSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            result = services.start_project(
                template,
                user=request.user,
                client=data["client"],
                name=data["name"],
                code=data.get("code", ""),
                manager=data["manager"],
                starts_on=data["starts_on"],
                calendar=data["calendar"],
                language=data.get("language") or services.language_code(),
            )
        except services.TemplateError as error:
            raise serializers.refuse(error) from error
        except (CodeTaken, DjangoValidationError) as error:
            raise exceptions.ValidationError(
                getattr(error, "message_dict", None) or {"detail": error.messages}
            ) from error
        notice = ""
        if result.moved:
            notice = _(
                "%(asked)s is not a working day on this calendar: the plan starts on "
                "the next working day, %(start)s."
            ) % {"asked": result.requested_start, "start": result.start}
        payload = {
            "project": result.project.pk,
            "code": result.project.code,
            "requested_start": result.requested_start,
            "start": result.start,
            "moved": result.moved,
            "finish": result.finish,
            "roles": list(result.roles),
            "notice": notice,
        }
        return Response(
            serializers.StartedSerializer(payload).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=serializers.FromProjectSerializer,
        responses={201: serializers.TemplateDetailSerializer},
    )
    @action(detail=False, methods=["post"], url_path="from-project")
    def from_project(self, request):
        """Save a project's shape as a template (the project's manager or an
        administrator): a new template named `name`, or the next version of
        `template`."""
        body = serializers.FromProjectSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        data = body.validated_data
        project = data["project"]
        if not can(
            request.user, Action.ADD, "blueprints.projectsnapshot", project=project
        ):
            raise exceptions.PermissionDenied
        target = data.get("template")
        if (
            target is not None
            and not (
                scope(
                    request.user,
                    ProjectTemplate.objects.filter(pk=target.pk),
                    Action.CHANGE,
                )
            ).exists()
        ):
            raise exceptions.ValidationError(
                {"template": [_("You may not change this template.")]}
            )
        with transaction.atomic():
            try:
                template = services.save_project_as_template(
                    project,
                    user=request.user,
                    name=data.get("name", ""),
                    description=data.get("description", ""),
                    template=target,
                )
            except services.TemplateError as error:
                raise serializers.refuse(error) from error
        return Response(
            serializers.TemplateDetailSerializer(
                template, context=self.get_serializer_context()
            ).data,
            status=status.HTTP_201_CREATED,
        )
