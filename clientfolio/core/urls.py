from django.contrib.auth import views as auth_views
from django.urls import path

from clientfolio.core import job_views, views

app_name = "core"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.ProfileView.as_view(), name="profile"),
    path(
        "account/password/", views.PasswordChangeView.as_view(), name="password_change"
    ),
    path("account/tokens/new/", views.create_token, name="token_create"),
    path("account/tokens/<int:pk>/revoke/", views.revoke_token, name="token_revoke"),
    path("language/", views.set_language, name="set_language"),
    path("health/", views.health, name="health"),
    path("jobs/", job_views.job_schedule, name="job_schedule"),
    path("jobs/<int:pk>/", job_views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/download/", job_views.job_download, name="job_download"),
    path(
        "jobs/periodic/<int:pk>/",
        job_views.periodic_job_action,
        name="periodic_job_action",
    ),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserCreateView.as_view(), name="user_create"),
    path("users/<int:pk>/edit/", views.UserUpdateView.as_view(), name="user_edit"),
    path(
        "users/<int:pk>/password/",
        views.UserSetPasswordView.as_view(),
        name="user_password",
    ),
]
