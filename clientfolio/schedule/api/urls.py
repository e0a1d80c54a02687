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
    path("projects/<int:pk>/plan-grid/", grid.GridView.as_view(), name="plan-grid"),
    path(
        "projects/<int:pk>/plan-grid/cells/",
        grid.GridCellView.as_view(),
        name="plan-grid-cell",
    ),
    path(
        "projects/<int:pk>/plan-grid/rows/",
        grid.GridRowView.as_view(),
        name="plan-grid-row",
    ),
    path(
        "projects/<int:pk>/plan-grid/moves/",
        grid.GridMoveView.as_view(),
        name="plan-grid-move",
    ),
    path(
        "projects/<int:pk>/plan-grid/paste/",
        grid.GridPasteView.as_view(),
        name="plan-grid-paste",
    ),
    path(
        "projects/<int:pk>/plan-grid/undo/",
        grid.GridUndoView.as_view(),
        name="plan-grid-undo",
    ),
    path(
        "projects/<int:pk>/plan-grid/team/",
        grid.GridTeamView.as_view(),
        name="plan-grid-team",
    ),
    path(
        "projects/<int:pk>/forecast/",
        views.ForecastView.as_view(),
        name="project-forecast",
    ),
]
