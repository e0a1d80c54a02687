"""Applying an approved change request through the API
(``POST change-requests/{id}/apply/``): the same rules as the page
(``finance.change_impact``). 200 with what was applied; 400 with the message under the
field at fault (nothing saved); 409 for a stale ``version``; 403 for anyone but the
project manager and administrators; 404 outside the user's projects."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from clientfolio.core.api import ScopedGenericViewSet
from clientfolio.core.permissions import Action
from clientfolio.finance import change_impact
from clientfolio.finance.models import CostCategory
from clientfolio.projects.models import ChangeRequest

__all__ = ["AppliedChangeSerializer", "ChangeApplySerializer", "ChangeApplyViewSet"]

# Ids beyond a 64-bit integer name no row (and would overflow the database's integers).
LARGEST_ID = 2**63 - 1


class ChangeApplySerializer(serializers.Serializer):
    version = serializers.IntegerField(
        help_text="The change request's version this is based on; a stale one is 409."
    )
    task_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=LARGEST_ID),
        required=False,
        max_length=100_000,
        help_text="Ids of the project's tasks to move by the schedule impact "
        "(calendar days, to a working day). Omitted: the tasks not started yet that "
        "start on or after the decision date; [] moves none.",
    )
    add_budget = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Add the cost impact as a budget line. Omitted: when the cost "
        "impact is positive.",
    )
    budget_category = serializers.ChoiceField(
        choices=CostCategory.choices,
        required=False,
        help_text="The budget line's category; required when a line is added.",
    )
    baseline_name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=change_impact.BASELINE_NAME_LENGTH,
        help_text="The new baseline's name. Omitted or blank: “After CR-003” in the "
        "user's language.",
    )


@extend_schema_serializer(component_name="ChangeAppliedTask")
class MovedTaskSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="task_id")
    wbs = serializers.CharField()
    name = serializers.CharField()
    old_start = serializers.DateField(allow_null=True)
    old_finish = serializers.DateField(allow_null=True)
    new_start = serializers.DateField(allow_null=True)
    new_finish = serializers.DateField(allow_null=True)


@extend_schema_serializer(component_name="ChangeAppliedBudgetLine")
class AddedLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    category = serializers.CharField()
    description = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()


@extend_schema_serializer(component_name="ChangeAppliedBaseline")
class SavedBaselineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    finish = serializers.DateField(allow_null=True)


class AppliedChangeSerializer(serializers.Serializer):
    change_request = serializers.IntegerField(source="change_request.pk")
    status = serializers.CharField(source="change_request.status")
    version = serializers.IntegerField(source="change_request.version")
    moved_tasks = MovedTaskSerializer(source="moved", many=True)
    budget_line = AddedLineSerializer(allow_null=True)
    baseline = SavedBaselineSerializer()
    finish_before = serializers.DateField(allow_null=True)
    finish_after = serializers.DateField(allow_null=True)
    comment = serializers.CharField(
        help_text="The comment recorded on the implemented step."
    )


class ChangeApplyViewSet(ScopedGenericViewSet):
    """Apply an approved change request: move the chosen tasks by its schedule impact
    and recompute the plan, add its cost as a budget line, save a new baseline and mark
    it implemented, in one transaction."""

    queryset = ChangeRequest.objects.select_related("project")
    http_method_names = ["post", "options"]

    @extend_schema(
        request=ChangeApplySerializer, responses={200: AppliedChangeSerializer}
    )
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None) -> Response:
        change = self.get_object()
        self.check_write(Action.CHANGE, change)
        if not change_impact.may_apply(request.user, change.project):
            raise exceptions.PermissionDenied(
                _(
                    "Only the project manager can apply a change to the plan and "
                    "the budget."
                )
            )
        body = ChangeApplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        add_budget = data.get("add_budget")
        try:
            applied = change_impact.apply_change_request(
                change,
                task_shifts=data.get("task_ids"),
                add_budget=change.cost_impact > 0 if add_budget is None else add_budget,
                budget_category=data.get("budget_category", ""),
                baseline_name=data.get("baseline_name", ""),
                user=request.user,
                expected_version=data["version"],
            )
        except change_impact.ChangeImpactError as error:
            raise exceptions.ValidationError(
                {error.field or "non_field_errors": [error.message]}
            ) from error
        return Response(AppliedChangeSerializer(applied).data)
