from rest_framework.routers import DefaultRouter

from clientfolio.ops.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("personal-data", views.PersonalDataViewSet, basename="personal-data")

urlpatterns = router.urls
