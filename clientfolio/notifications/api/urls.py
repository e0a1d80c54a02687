from django.urls import path
from rest_framework.routers import DefaultRouter

from clientfolio.notifications.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("follows", views.FollowViewSet, basename="follow")

urlpatterns = [
    # One resource per user: no id in the path.
    path(
        "notification-preferences/",
        views.PreferencesViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update"}
        ),
        name="notification-preferences",
    ),
    *router.urls,
]
