from rest_framework.routers import DefaultRouter

from clientfolio.comments.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("comments", views.CommentViewSet, basename="comment")

urlpatterns = router.urls
