"""Shapes of the import API: the run with its worded report, the upload, the
confirmation."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clientfolio.clients.models import Client
from clientfolio.interchange import messages
from clientfolio.interchange.models import ImportRun

__all__ = ["ConfirmSerializer", "ImportRunSerializer", "UploadSerializer"]


class ImportRunSerializer(serializers.ModelSerializer):
    """A run: what the file holds (``summary``), the report per field with examples and
    their element numbers (``fields``), the blocking ``problems`` and, once imported,
    the ``result``."""

    fields_report = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField()

    class Meta:
        model = ImportRun
        fields = [
            "id",
            "source",
            "filename",
            "size",
            "status",
            "project",
            "creates_project",
            "summary",
            "fields_report",
            "problems",
            "result",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_fields_report(self, run: ImportRun) -> list[dict[str, Any]]:
        return [
            {**row, "label": str(row["label"]), "target": str(row["target"])}
            for row in messages.field_rows(run.report)
        ]

    def get_problems(self, run: ImportRun) -> list[dict[str, str]]:
        return messages.problem_rows(run.report)


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_(
            "Microsoft Project XML (.xml), an Excel plan (.xlsx or .csv), a Trello "
            "board (JSON) or a Jira or Asana CSV export; the format is recognised from "
            "the content."
        )
    )
    project = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("An empty project to import into; leave out for a new project."),
    )


class ConfirmSerializer(serializers.Serializer):
    """For a run that creates a project: the project's name, client and code."""

    name = serializers.CharField(max_length=200, required=False)
    client = serializers.PrimaryKeyRelatedField(
        queryset=Client.objects.all(), required=False
    )
    code = serializers.RegexField(
        r"^[A-Za-z0-9._-]*$", max_length=32, required=False, allow_blank=True
    )
