from django.urls import path
from rest_framework.routers import DefaultRouter

from clientfolio.interchange.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("imports", views.ImportRunViewSet, basename="import-run")

urlpatterns = [
    *router.urls,
    path(
        "projects/<int:pk>/plan-export/",
        views.PlanExportView.as_view(),
        name="project-plan-export",
    ),
]
