from django.urls import path

from clientfolio.schedule.views import (
    board,
    feeds,
    forecast,
    gantt,
    grid,
    plan,
    settings,
    tasks,
    timeline,
    tracking,
)

app_name = "schedule"

PROJECT = "projects/<int:pk>/schedule/"
TASK = f"{PROJECT}tasks/<int:task_pk>/"

urlpatterns = [
    path(PROJECT, tasks.TaskListView.as_view(), name="task_list"),
    path(f"{PROJECT}tasks/new/", tasks.TaskCreateView.as_view(), name="task_create"),
    path(TASK, tasks.TaskDetailView.as_view(), name="task_detail"),
    path(f"{TASK}row/", tasks.TaskRowView.as_view(), name="task_row"),
    path(f"{TASK}move/", tasks.TaskMoveView.as_view(), name="task_move"),
    path(f"{TASK}delete/", tasks.TaskDeleteView.as_view(), name="task_delete"),
    path(f"{TASK}status/", board.TaskStatusView.as_view(), name="task_status"),
    path(
        f"{TASK}dependencies/",
        plan.DependencyAddView.as_view(),
        name="dependency_add",
    ),
    path(
        f"{PROJECT}dependencies/<int:dependency_pk>/delete/",
        plan.DependencyDeleteView.as_view(),
        name="dependency_delete",
    ),
    path(
        f"{TASK}assignments/",
        plan.AssignmentsView.as_view(),
        name="assignments",
    ),
    path(f"{PROJECT}grid/", grid.PlanGridView.as_view(), name="grid"),
    path(f"{PROJECT}board/", board.BoardView.as_view(), name="board"),
    path(f"{PROJECT}calendar/", settings.CalendarView.as_view(), name="calendar"),
    path(
        f"{PROJECT}calendar/days/",
        settings.CalendarDayAddView.as_view(),
        name="calendar_day_add",
    ),
    path(
        f"{PROJECT}calendar/days/<int:day_pk>/delete/",
        settings.CalendarDayDeleteView.as_view(),
        name="calendar_day_delete",
    ),
    path(f"{PROJECT}baselines/", tracking.BaselineListView.as_view(), name="baselines"),
    path(f"{PROJECT}workload/", tracking.WorkloadView.as_view(), name="workload"),
    path("my/tasks/", tracking.MyTasksView.as_view(), name="my_tasks"),
    path("workload/", tracking.PeopleWorkloadView.as_view(), name="people_workload"),
    # Gantt, client timeline and calendar feeds (views/gantt.py, timeline.py, feeds.py).
    path(f"{PROJECT}gantt/", gantt.GanttView.as_view(), name="gantt"),
    path(f"{PROJECT}forecast/", forecast.ForecastView.as_view(), name="forecast"),
    path(f"{PROJECT}gantt/data/", gantt.GanttDataView.as_view(), name="gantt_data"),
    path(
        f"{PROJECT}gantt/update/", gantt.GanttUpdateView.as_view(), name="gantt_update"
    ),
    path(f"{PROJECT}timeline/", timeline.TimelineView.as_view(), name="timeline"),
    path(
        f"{PROJECT}timeline.png",
        timeline.TimelinePngView.as_view(),
        name="timeline_png",
    ),
    path(
        f"{PROJECT}timeline.pdf",
        timeline.TimelinePdfView.as_view(),
        name="timeline_pdf",
    ),
    path(
        f"{PROJECT}timeline.xlsx",
        timeline.TimelineXlsxView.as_view(),
        name="timeline_xlsx",
    ),
    path("feeds/project/<str:token>.ics", feeds.project_feed, name="ical_project"),
    path("feeds/user/<str:token>.ics", feeds.user_feed, name="ical_user"),
    path("my/calendar-feeds/", feeds.FeedSettingsView.as_view(), name="ical_settings"),
]
