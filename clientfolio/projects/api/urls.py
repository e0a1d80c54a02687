from rest_framework.routers import DefaultRouter

from clientfolio.projects.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("projects", views.ProjectViewSet)
router.register("memberships", views.MembershipViewSet)
router.register("project-requirements", views.ProjectRequirementViewSet)
router.register("change-requests", views.ChangeRequestViewSet)

urlpatterns = router.urls
