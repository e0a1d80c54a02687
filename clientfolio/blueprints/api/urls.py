from rest_framework.routers import DefaultRouter

from clientfolio.blueprints.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("templates", views.ProjectTemplateViewSet, basename="project-template")

urlpatterns = router.urls
