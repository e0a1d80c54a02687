from rest_framework.routers import DefaultRouter

from clientfolio.documents.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register(
    "folder-templates", views.FolderTemplateViewSet, basename="folder-template"
)
router.register("document-folders", views.FolderViewSet, basename="document-folder")
router.register("documents", views.DocumentViewSet, basename="document")
router.register(
    "document-versions", views.DocumentVersionViewSet, basename="document-version"
)

urlpatterns = router.urls
