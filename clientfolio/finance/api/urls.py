from django.urls import path
from rest_framework.routers import DefaultRouter

from clientfolio.finance.api import billing, costs, earned_value

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
costs.register(router)
billing.register(router)

urlpatterns = [
    path(
        "projects/<int:pk>/earned-value/",
        earned_value.EarnedValueView.as_view(),
        name="project-earned-value",
    ),
    *router.urls,
]
