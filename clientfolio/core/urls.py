from django.contrib.auth import views as auth_views
from django.urls import path

from clientfolio.core import views

app_name = "core"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.ProfileView.as_view(), name="profile"),
    path(
        "account/password/", views.PasswordChangeView.as_view(), name="password_change"
    ),
    path("account/tokens/<int:pk>/revoke/", views.revoke_token, name="token_revoke"),
    path("language/", views.set_language, name="set_language"),
    path("health/", views.health, name="health"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserCreateView.as_view(), name="user_create"),
    path("users/<int:pk>/edit/", views.UserUpdateView.as_view(), name="user_edit"),
    path(
        "users/<int:pk>/password/",
        views.UserSetPasswordView.as_view(),
        name="user_password",
    ),
]
