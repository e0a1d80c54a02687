from rest_framework.routers import DefaultRouter

from clientfolio.risks.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("risks", views.RiskViewSet, basename="risk")
router.register("issues", views.IssueViewSet, basename="issue")

urlpatterns = router.urls
