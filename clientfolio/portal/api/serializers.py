"""What the portal API shows a client contact: only fields meant for the client (no
costs, rates, internal notes or internal milestones)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clientfolio.projects.models import Project

__all__ = ["MilestoneSerializer", "PortalProjectSerializer"]


class MilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    date = serializers.DateField(allow_null=True)


class PortalProjectSerializer(serializers.ModelSerializer):
    """A project with its progress (percent of work done), status against the baseline
    (``on_track``, ``at_risk``, ``late``, ``done``, ``done_late``), forecast and planned
    finish, and next milestone; read from the summary the view attaches."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    percent_complete = serializers.SerializerMethodField()
    schedule_status = serializers.SerializerMethodField()
    schedule_status_label = serializers.SerializerMethodField()
    expected_finish = serializers.SerializerMethodField()
    planned_finish = serializers.SerializerMethodField()
    next_milestone = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "status",
            "status_label",
            "phase",
            "starts_on",
            "percent_complete",
            "schedule_status",
            "schedule_status_label",
            "expected_finish",
            "planned_finish",
            "next_milestone",
        ]
        read_only_fields = fields

    def _summary(self, project):
        return self.context["summaries"][project.pk]

    def get_percent_complete(self, project) -> int | None:
        return self._summary(project).percent

    def get_schedule_status(self, project) -> str:
        return self._summary(project).status

    def get_schedule_status_label(self, project) -> str:
        return self._summary(project).status_label

    def get_expected_finish(self, project) -> str | None:
        finish = self._summary(project).finish
        return finish.isoformat() if finish else None

    def get_planned_finish(self, project) -> str | None:
        finish = self._summary(project).baseline_finish
        return finish.isoformat() if finish else None

    @extend_schema_field(MilestoneSerializer(allow_null=True))
    def get_next_milestone(self, project):
        milestone = self._summary(project).next_milestone
        if milestone is None:
            return None
        return {"id": milestone.id, "name": milestone.name, "date": milestone.date}
