from rest_framework.routers import DefaultRouter

from clientfolio.quality.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register(
    "quality-standards", views.QualityStandardViewSet, basename="quality-standard"
)
router.register("deliverables", views.DeliverableViewSet, basename="deliverable")
router.register(
    "quality-reviews", views.QualityReviewViewSet, basename="quality-review"
)
router.register("acceptances", views.AcceptanceViewSet, basename="acceptance")
router.register(
    "improvement-actions",
    views.ImprovementActionViewSet,
    basename="improvement-action",
)

urlpatterns = router.urls
