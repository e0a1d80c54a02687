"""The import and export API: upload (checks at once), list and read runs, confirm; and
the plan of a project as MS Project XML or Excel."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status, views
from rest_framework.decorators import action
from rest_framework.response import Response

from clientfolio.core.api import ScopedGenericViewSet
from clientfolio.core.permissions import Action, can, scope
from clientfolio.interchange import mspdi, services, sheet
from clientfolio.interchange.api import serializers
from clientfolio.interchange.messages import sheet_headers
from clientfolio.interchange.models import ImportRun
from clientfolio.projects.models import Project
from clientfolio.schedule.models import Task

__all__ = ["ImportRunViewSet", "PlanExportView"]


class ImportRunViewSet(
    ScopedGenericViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    """The caller's own import runs. ``POST`` uploads and checks a file (nothing is
    written to a project); ``POST …/confirm/`` imports a checked run, all or nothing."""

    queryset = ImportRun.objects.all()
    serializer_class = serializers.ImportRunSerializer
    permission_actions = {"confirm": Action.ADD}

    def get_queryset(self):
        return (
            ImportRun.objects.filter(user_id=self.request.user.pk or 0)
            .select_related("project")
            .defer("upload")
        )

    @extend_schema(
        request={"multipart/form-data": serializers.UploadSerializer},
        responses={201: serializers.ImportRunSerializer},
    )
    def create(self, request):
        upload = serializers.UploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        project = None
        if "project" in upload.validated_data:
            project = (
                scope(request.user, Project.objects.all())
                .filter(pk=upload.validated_data["project"])
                .first()
            )
            if project is None:
                raise exceptions.ValidationError(
                    {"project": [_("There is no such project.")]}
                )
            if not can(request.user, Action.CHANGE, project):
                raise exceptions.PermissionDenied
        elif not can(request.user, Action.ADD, Project):
            raise exceptions.PermissionDenied
        file = upload.validated_data["file"]
        if file.size > services.max_upload_bytes():
            raise exceptions.ValidationError(
                {"file": [services.too_large_message(file.size)]}
            )
        try:
            run = services.check_upload(
                user=request.user, data=file.read(), filename=file.name, project=project
            )
        except services.UploadRefused as error:
            raise exceptions.ValidationError({"file": [error.message]}) from error
        return Response(
            serializers.ImportRunSerializer(run).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=serializers.ConfirmSerializer,
        responses={
            200: serializers.ImportRunSerializer,
            # The plan could not be written (it would finish after the last plan
            # date…): the run, failed, with the reason; nothing was written.
            409: serializers.ImportRunSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        run = self.get_object()
        if not run.can_confirm:
            raise exceptions.ValidationError(
                {"status": [_("This import was already confirmed or refused.")]}
            )
        body = serializers.ConfirmSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        new_project = None
        if run.creates_project:
            if not can(request.user, Action.ADD, Project):
                raise exceptions.PermissionDenied
            values = dict(body.validated_data)
            if "client" not in values:
                raise exceptions.ValidationError(
                    {"client": [_("Choose the client of the new project.")]}
                )
            code = values.get("code", "").strip().upper()
            if code and Project.objects.filter(code=code).exists():
                raise exceptions.ValidationError(
                    {"code": [_("A project with this code already exists.")]}
                )
            new_project = {**values, "code": code}
        else:
            visible = (
                run.project is not None
                and scope(
                    request.user, Project.objects.filter(pk=run.project.pk)
                ).exists()
            )
            if not visible or not can(request.user, Action.CHANGE, run.project):
                raise exceptions.PermissionDenied
        run = services.confirm_run(run, user=request.user, new_project=new_project)
        data = serializers.ImportRunSerializer(run).data
        if run.status == ImportRun.Status.FAILED:
            return Response(data, status=status.HTTP_409_CONFLICT)
        return Response(data)


class PlanExportView(views.APIView):
    """The project's plan as a file: ``?file=mspdi`` (MS Project XML, the default) or
    ``?file=xlsx`` (the Excel plan layout, which the import reads back)."""

    queryset = Task.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("file", str, enum=["mspdi", "xlsx"], required=False)
        ],
        responses={(200, "*/*"): OpenApiTypes.BINARY},
    )
    def get(self, request, pk):
        project = get_object_or_404(scope(request.user, Project.objects.all()), pk=pk)
        if not can(request.user, Action.EXPORT, Task, project=project):
            raise exceptions.PermissionDenied
        kind = request.query_params.get("file", "mspdi")
        if kind not in ("mspdi", "xlsx"):
            raise exceptions.ValidationError({"file": [_("Choose mspdi or xlsx.")]})
        plan = services.plan_from_project(project)
        name = f"{project.code or project.pk}-plan"
        if kind == "xlsx":
            response = HttpResponse(
                sheet.write(plan, sheet_headers(), title=_("Plan")),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        else:
            response = HttpResponse(
                mspdi.write(plan), content_type="application/xml; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.xml"'
        return response
