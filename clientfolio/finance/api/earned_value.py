"""The project's earned value through the API (``GET projects/{id}/earned-value/``): the
figures and S-curve of the finance overview (``finance.report``), at the schedule's
status date when one is set, else today.

The finance view rule decides, as on the finance pages: the manager, the finance role
and administrators read it; members and viewers get 403, anyone outside the project
404."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from clientfolio.core.permissions import scope, sees_finance
from clientfolio.finance import report
from clientfolio.projects.models import Project

__all__ = ["EarnedValueSerializer", "EarnedValueView"]


def _amount(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=None, decimal_places=2, read_only=True, help_text=help_text
    )


def _ratio(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=None,
        decimal_places=4,
        read_only=True,
        allow_null=True,
        help_text=help_text,
    )


@extend_schema_serializer(component_name="EarnedValueIndicators")
class IndicatorsSerializer(serializers.Serializer):
    """The indicators at the status date, in the reporting currency (``finance.evm``)."""

    bac = _amount("Budget at completion.")
    pv = _amount("Planned value: the budget of the work planned by the status date.")
    ev = _amount("Earned value: the budget of the work done.")
    ac = _amount("Actual cost up to the status date.")
    sv = _amount("Schedule variance, EV − PV.")
    cv = _amount("Cost variance, EV − AC.")
    spi = _ratio("Schedule performance index, EV ÷ PV; null while PV is 0.")
    cpi = _ratio("Cost performance index, EV ÷ AC; null while AC is 0.")
    eac = _amount("Estimate at completion.")
    etc = _amount("Estimate to complete, EAC − AC.")
    vac = _amount("Variance at completion, BAC − EAC.")
    eac_basis = serializers.ChoiceField(
        choices=["cpi", "remaining_at_budget"],
        read_only=True,
        help_text="cpi: BAC ÷ CPI; remaining_at_budget: AC + (BAC − EV).",
    )


@extend_schema_serializer(component_name="EarnedValuePoint")
class CurvePointSerializer(serializers.Serializer):
    on = serializers.DateField(read_only=True)
    pv = _amount("Cumulative planned value at the end of the day.")
    ev = _amount("Cumulative earned value at the end of the day.")
    ac = _amount("Cumulative actual cost at the end of the day.")


class EarnedValueSerializer(serializers.Serializer):
    project = serializers.IntegerField(read_only=True)
    status_date = serializers.DateField(
        read_only=True,
        help_text="The schedule's status date when one is set, else today.",
    )
    currency = serializers.CharField(read_only=True)
    baseline = serializers.CharField(
        read_only=True, help_text="The baseline planned value is measured against."
    )
    indicators = IndicatorsSerializer(
        read_only=True, allow_null=True, help_text="Null while something is missing."
    )
    missing = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="What is needed before the indicators can be computed.",
    )
    curve = CurvePointSerializer(many=True, read_only=True)


class EarnedValueView(APIView):
    """The project's earned value (PV, EV, AC, SPI, CPI, EAC…) at its status date, and
    the S-curve of cumulative PV, EV and AC."""

    # Signed-in staff who can see projects get this far; the project's own rule decides.
    queryset = Project.objects.all()

    @extend_schema(responses=EarnedValueSerializer)
    def get(self, request, pk: int) -> Response:
        project = get_object_or_404(scope(request.user, Project.objects.all()), pk=pk)
        if not sees_finance(request.user, project):
            raise exceptions.PermissionDenied
        result = report.project_earned_value(project)
        body = {
            "project": project.pk,
            "status_date": result.status_date,
            "currency": report.REPORTING,
            "baseline": result.baseline_name,
            "indicators": result.indicators,
            "missing": result.missing,
            "curve": result.curve,
        }
        return Response(EarnedValueSerializer(body).data)
