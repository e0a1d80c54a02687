from django.urls import path

from clientfolio.projects.views import projects, team

app_name = "projects"

urlpatterns = [
    path("", projects.ProjectListView.as_view(), name="project_list"),
    path("new/", projects.ProjectCreateView.as_view(), name="project_create"),
    path("<int:pk>/", projects.ProjectDetailView.as_view(), name="project_detail"),
    path("<int:pk>/edit/", projects.ProjectUpdateView.as_view(), name="project_edit"),
    path("<int:pk>/team/", team.TeamView.as_view(), name="team"),
    path("<int:pk>/team/add/", team.MemberAddView.as_view(), name="team_add"),
    path(
        "<int:pk>/team/<int:member_pk>/edit/",
        team.MemberEditView.as_view(),
        name="team_edit",
    ),
    path(
        "<int:pk>/team/<int:member_pk>/remove/",
        team.MemberRemoveView.as_view(),
        name="team_remove",
    ),
]
