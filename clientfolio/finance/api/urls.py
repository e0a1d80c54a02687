from rest_framework.routers import DefaultRouter

from clientfolio.finance.api import billing, costs

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
costs.register(router)
billing.register(router)

urlpatterns = router.urls
