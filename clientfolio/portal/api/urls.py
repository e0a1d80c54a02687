from rest_framework.routers import DefaultRouter

from clientfolio.portal.api import acceptance, changes, views

app_name = "portal_api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("projects", views.ProjectViewSet, basename="project")
router.register(
    "change-requests", changes.ChangeRequestViewSet, basename="change-request"
)
router.register("deliverables", acceptance.DeliverableViewSet, basename="deliverable")

urlpatterns = router.urls
