from rest_framework.routers import DefaultRouter

from clientfolio.closure.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("lessons", views.LessonViewSet, basename="lesson")
router.register("closures", views.ProjectClosureViewSet, basename="project-closure")
router.register("handovers", views.HandoverViewSet, basename="handover")
router.register("evaluations", views.EvaluationViewSet, basename="evaluation")

urlpatterns = router.urls
