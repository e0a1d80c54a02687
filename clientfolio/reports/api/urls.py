from rest_framework.routers import DefaultRouter

from clientfolio.reports.api import progress_views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register(
    "progress-reports",
    progress_views.ProgressReportViewSet,
    basename="progress-report",
)

urlpatterns = router.urls
