"""What the portal API shows a client contact: only fields meant for the client (no
costs, rates, internal notes or internal milestones)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clientfolio.portal.change_requests import client_steps
from clientfolio.portal.decisions import CHANGE_DECISIONS
from clientfolio.portal.deliverables import criteria_of
from clientfolio.projects.models import ChangeRequest, Project
from clientfolio.quality.models import Acceptance, Deliverable

__all__ = [
    "AcceptanceDecisionSerializer",
    "AcceptanceRecordSerializer",
    "ChangeDecisionSerializer",
    "MilestoneSerializer",
    "PortalChangeRequestSerializer",
    "PortalDeliverableSerializer",
    "PortalMilestoneDetailSerializer",
    "PortalProjectSerializer",
]


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


# --- the client's decisions: change requests and deliverables (issue 12) -----------------


class ChangeStepSerializer(serializers.Serializer):
    """One step of a change request as the client reads it (``client_steps``)."""

    status = serializers.CharField()
    what = serializers.CharField()
    at = serializers.CharField(allow_null=True)
    comment = serializers.CharField(allow_blank=True)


class PortalChangeRequestSerializer(serializers.ModelSerializer):
    """A change request of the client's project: its reason and impact on scope,
    schedule (``schedule_impact_days``, calendar days; negative: earlier) and cost
    (``cost_impact`` in ``currency``), risks, status and the steps of its history that
    concern the client. ``version`` is what a decision is based on."""

    code = serializers.CharField(read_only=True)
    status_label = serializers.SerializerMethodField()
    requested_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()
    awaits_decision = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "project",
            "number",
            "code",
            "title",
            "status",
            "status_label",
            "awaits_decision",
            "requested_by",
            "requested_on",
            "description",
            "reason",
            "scope_impact",
            "schedule_impact_days",
            "cost_impact",
            "currency",
            "risk_notes",
            "decided_by",
            "decided_on",
            "version",
            "history",
        ]
        read_only_fields = fields

    def get_status_label(self, change) -> str:
        if change.status == ChangeRequest.Status.AWAITING_CLIENT:
            return str(_("Awaiting your decision"))
        return str(change.get_status_display())

    def get_requested_by(self, change) -> str | None:
        contact = change.requested_by_contact
        return contact.name if contact else None

    def get_decided_by(self, change) -> str | None:
        return change.decided_by.name if change.decided_by else None

    def get_awaits_decision(self, change) -> bool:
        return change.status == ChangeRequest.Status.AWAITING_CLIENT

    @extend_schema_field(ChangeStepSerializer(many=True))
    def get_history(self, change):
        return [
            {
                "status": step.status,
                "what": step.label,
                "at": step.at.isoformat() if step.at else None,
                "comment": step.comment,
            }
            for step in client_steps(change)
        ]


class ChangeDecisionSerializer(serializers.Serializer):
    """The client's decision on a change request awaiting it: ``approved`` or
    ``rejected`` (a comment is then required), based on the ``version`` they read."""

    decision = serializers.ChoiceField(choices=list(CHANGE_DECISIONS))
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, default=""
    )
    version = serializers.IntegerField(
        help_text="The version the decision is based on; a stale one is answered 409."
    )


class PortalMilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PortalDeliverableSerializer(serializers.ModelSerializer):
    """A deliverable of the client's project with its acceptance criteria (``criteria``,
    one per line of ``acceptance_criteria``) and its milestone when that milestone is
    the client's to see; ``awaits_acceptance`` while it is submitted."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    criteria = serializers.ListField(child=serializers.CharField(), read_only=True)
    milestone = serializers.SerializerMethodField()
    awaits_acceptance = serializers.SerializerMethodField()

    class Meta:
        model = Deliverable
        fields = [
            "id",
            "project",
            "name",
            "description",
            "status",
            "status_label",
            "awaits_acceptance",
            "due_on",
            "milestone",
            "acceptance_criteria",
            "criteria",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(PortalMilestoneSerializer(allow_null=True))
    def get_milestone(self, deliverable):
        if deliverable.milestone_id not in self.context.get("visible_milestones", ()):
            return None
        return {"id": deliverable.milestone_id, "name": deliverable.milestone.name}

    def get_awaits_acceptance(self, deliverable) -> bool:
        return deliverable.status == Deliverable.Status.SUBMITTED


class PortalMilestoneDetailSerializer(serializers.Serializer):
    """A client-visible milestone: its planned date, its state and its acceptance
    criteria (one per line); ``awaits_acceptance`` when the client may accept it
    directly (it has no deliverables and its date has come)."""

    id = serializers.IntegerField()
    project = serializers.IntegerField(source="project_id")
    name = serializers.CharField()
    planned_on = serializers.DateField(source="finish", allow_null=True)
    reached_on = serializers.DateField(source="actual_finish", allow_null=True)
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    awaits_acceptance = serializers.SerializerMethodField()
    acceptance_criteria = serializers.CharField()
    criteria = serializers.SerializerMethodField()
    version = serializers.IntegerField()

    def get_awaits_acceptance(self, milestone) -> bool:
        return milestone.pk in self.context.get("ready_milestones", ())

    def get_criteria(self, milestone) -> list[str]:
        return criteria_of(milestone.acceptance_criteria)


class AcceptanceDecisionSerializer(serializers.Serializer):
    """The client's acceptance (``accepted``) or rejection (``rejected``: comments
    required) of a submitted deliverable, with an optional signed ``file`` (multipart);
    ``version``, when sent, must be the deliverable's current one (else 409)."""

    decision = serializers.ChoiceField(choices=Acceptance.Decision.choices)
    comments = serializers.CharField(
        required=False, allow_blank=True, max_length=10000, default=""
    )
    file = serializers.FileField(
        required=False, help_text="The signed acceptance form."
    )
    version = serializers.IntegerField(required=False)


class AcceptanceRecordSerializer(serializers.ModelSerializer):
    """A client's decision as recorded, immutable: who (``contact_name``), when
    (``decided_on``, ``created_at``), from where (``ip_address``, ``user_agent``), and
    what exactly was decided on (``decided_on_what``: the deliverable with its criteria,
    the milestone when it is the client's to see, the signed file with its SHA-256)."""

    decision_label = serializers.CharField(
        source="get_decision_display", read_only=True
    )
    contact_name = serializers.CharField(source="contact.name", read_only=True)
    decided_on_what = serializers.SerializerMethodField()

    class Meta:
        model = Acceptance
        fields = [
            "id",
            "project",
            "deliverable",
            "decision",
            "decision_label",
            "contact_name",
            "decided_on",
            "comments",
            "channel",
            "created_at",
            "ip_address",
            "user_agent",
            "decided_on_what",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField())
    def get_decided_on_what(self, acceptance) -> dict:
        visible = self.context.get("visible_milestones", ())
        return {
            "deliverable": acceptance.snapshot_deliverable or None,
            "milestone": acceptance.snapshot_milestone
            if acceptance.milestone_id in visible
            else None,
            "document": acceptance.snapshot_document or None,
        }
