from rest_framework.routers import DefaultRouter

from clientfolio.comms.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("comm-records", views.CommRecordViewSet, basename="comm-record")
router.register("action-items", views.ActionItemViewSet, basename="action-item")

urlpatterns = router.urls
