"""The Monte Carlo forecast page: when the project and each milestone are likely to finish."""

from django.shortcuts import render
from django.views import View

from clientfolio.schedule.forecasting import project_forecast
from clientfolio.schedule.services import PlanError
from clientfolio.schedule.views.common import ScheduleMixin

__all__ = ["ForecastView"]

RUN_CHOICES = (1000, 5000, 10000)


class ForecastView(ScheduleMixin, View):
    def get(self, request, pk):
        try:
            runs = int(request.GET.get("runs", RUN_CHOICES[0]))
        except ValueError:
            runs = RUN_CHOICES[0]
        runs = runs if runs in RUN_CHOICES else RUN_CHOICES[0]
        try:
            forecast = project_forecast(self.project, runs=runs)
        except PlanError as error:
            forecast = {"project": None, "milestones": [], "warnings": [error.message]}
        context = {
            **self.folder_context(),
            "forecast": forecast,
            "plan_warnings": forecast["warnings"],
            "runs": runs,
            "run_choices": RUN_CHOICES,
            "rows": ([forecast["project"]] if forecast["project"] else [])
            + forecast["milestones"],
        }
        return render(request, "schedule/forecast.html", context)
