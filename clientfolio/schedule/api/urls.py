from django.urls import path
from rest_framework.routers import DefaultRouter

from clientfolio.schedule.api import grid, views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("tasks", views.TaskViewSet, basename="task")
router.register("dependencies", views.DependencyViewSet, basename="dependency")
router.register("assignments", views.AssignmentViewSet, basename="assignment")
router.register("baselines", views.BaselineViewSet, basename="baseline")
router.register(
    "project-schedules", views.ProjectScheduleViewSet, basename="project-schedule"
)

urlpatterns = [
    *router.urls,
    path(
        "projects/<int:pk>/schedule/",
        views.ScheduleView.as_view(),
        name="project-computed-schedule",
    ),
    path(
        "projects/<int:pk>/plan-grid/",
        grid.PlanGridViewSet.as_view({"get": "retrieve"}),
        name="plan-grid",
    ),
    *(
        path(
            f"projects/<int:pk>/plan-grid/{route}/",
            grid.PlanGridViewSet.as_view({"post": action}),
            name=f"plan-grid-{action}",
        )
        for route, action in (
            ("cells", "cell"),
            ("rows", "row"),
            ("moves", "move"),
            ("paste", "paste"),
            ("undo", "undo"),
            ("team", "team"),
        )
    ),
    path(
        "projects/<int:pk>/forecast/",
        views.ForecastView.as_view(),
        name="project-forecast",
    ),
]
