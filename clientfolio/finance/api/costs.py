"""API endpoints of the costs, scoped by the permission layer (404 outside the user's
projects; members see only their own time and expenses): budget lines, expenses with
``approve`` and ``reject``, time entries, rates and exchange rates."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from clientfolio.core.api import ScopedViewSet
from clientfolio.core.permissions import Action
from clientfolio.finance import services
from clientfolio.finance.api import costs_serializers as serializers
from clientfolio.finance.models import (
    BudgetLine,
    ExchangeRate,
    Expense,
    Rate,
    TimeEntry,
)

__all__ = [
    "BudgetLineViewSet",
    "ExchangeRateViewSet",
    "ExpenseViewSet",
    "RateViewSet",
    "TimeEntryViewSet",
    "register",
]


class BudgetLineViewSet(ScopedViewSet):
    """Planned amounts by cost category, optionally for a WBS task of the project."""

    queryset = BudgetLine.objects.all()
    serializer_class = serializers.BudgetLineSerializer
    filterset_fields = ["project", "category", "task"]
    ordering = ["project", "category", "id"]

    def perform_destroy(self, instance):
        services.delete_budget_line(instance)


class ExpenseViewSet(ScopedViewSet):
    """Money spent, submitted by a team member and approved or rejected by the manager
    or finance (``POST …/approve/``, ``POST …/reject/`` with ``version`` and ``note``)."""

    queryset = Expense.objects.select_related("submitted_by")
    serializer_class = serializers.ExpenseSerializer
    filterset_fields = ["project", "status", "category", "submitted_by"]
    ordering = ["-spent_on", "-id"]
    permission_actions = {"approve": Action.CHANGE, "reject": Action.CHANGE}

    def perform_destroy(self, instance):
        try:
            services.delete_expense(instance)
        except services.CostError as error:
            raise serializers.refused(error) from error

    def _decide(self, request, decide):
        expense = self.get_object()
        # Whoever may change the project's budget decides on its expenses.
        self.check_write(
            Action.CHANGE,
            BudgetLine(project=expense.project),
            _("Only the project manager or finance may approve or reject expenses."),
        )
        body = serializers.DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            expense = decide(
                expense,
                body.validated_data["version"],
                user=request.user,
                note=body.validated_data.get("note", ""),
            )
        except services.CostError as error:
            if error.field == "decision_note":
                error.field = "note"
            raise serializers.refused(error) from error
        return Response(self.get_serializer(expense).data)

    @extend_schema(request=serializers.DecisionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, services.approve_expense)

    @extend_schema(request=serializers.DecisionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, services.reject_expense)


class TimeEntryViewSet(ScopedViewSet):
    """Hours worked, priced from the rate valid on their day (read-only amounts)."""

    queryset = TimeEntry.objects.all()
    serializer_class = serializers.TimeEntrySerializer
    filterset_fields = ["project", "user", "task", "worked_on", "billable"]
    ordering = ["-worked_on", "id"]

    def perform_destroy(self, instance):
        services.delete_time_entry(instance)


class RateViewSet(ScopedViewSet):
    """Hourly cost and billing rates of a project (``project`` null: firm-wide, kept by
    administrators). Overlapping validity of the same person or role is refused."""

    queryset = Rate.objects.all()
    serializer_class = serializers.RateSerializer
    filterset_fields = ["project", "user", "role"]
    ordering = ["project", "user", "role", "-valid_from"]

    def perform_destroy(self, instance):
        services.delete_rate(instance)


class ExchangeRateViewSet(ScopedViewSet):
    """Dated exchange rates: staff read them, administrators keep them."""

    queryset = ExchangeRate.objects.all()
    serializer_class = serializers.ExchangeRateSerializer
    filterset_fields = ["from_currency", "to_currency"]
    ordering = ["from_currency", "to_currency", "-valid_from"]


def register(router: DefaultRouter) -> None:
    """Add this module's API resources to the finance router."""
    router.register("budget-lines", BudgetLineViewSet, basename="budget-line")
    router.register("expenses", ExpenseViewSet, basename="expense")
    router.register("time-entries", TimeEntryViewSet, basename="time-entry")
    router.register("rates", RateViewSet, basename="rate")
    router.register("exchange-rates", ExchangeRateViewSet, basename="exchange-rate")
