from django.urls import path

from clientfolio.projects.views import changes, projects, requirements, team

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
    path(
        "<int:pk>/requirements/",
        requirements.RequirementListView.as_view(),
        name="requirement_list",
    ),
    path(
        "<int:pk>/requirements/new/",
        requirements.RequirementCreateView.as_view(),
        name="requirement_create",
    ),
    path(
        "<int:pk>/requirements/<int:requirement_pk>/",
        requirements.RequirementDetailView.as_view(),
        name="requirement_detail",
    ),
    path(
        "<int:pk>/requirements/<int:requirement_pk>/edit/",
        requirements.RequirementEditView.as_view(),
        name="requirement_edit",
    ),
    path(
        "<int:pk>/requirements/<int:requirement_pk>/status/",
        requirements.RequirementMoveView.as_view(),
        name="requirement_transition",
    ),
    path("<int:pk>/changes/", changes.ChangeListView.as_view(), name="change_list"),
    path(
        "<int:pk>/changes/new/",
        changes.ChangeCreateView.as_view(),
        name="change_create",
    ),
    path(
        "<int:pk>/changes/<int:number>/",
        changes.ChangeDetailView.as_view(),
        name="change_detail",
    ),
    path(
        "<int:pk>/changes/<int:number>/edit/",
        changes.ChangeEditView.as_view(),
        name="change_edit",
    ),
    path(
        "<int:pk>/changes/<int:number>/transition/",
        changes.ChangeTransitionView.as_view(),
        name="change_transition",
    ),
]
