from django.urls import path
from rest_framework.routers import DefaultRouter

from clientfolio.finance.api import billing, change_impact, costs, earned_value

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
costs.register(router)
billing.register(router)
# An action of the projects app's change requests, kept here because it writes the plan
# and the budget (projects may import neither). Only ``{id}/apply/`` is routed.
router.register(
    "change-requests", change_impact.ChangeApplyViewSet, basename="changerequest"
)

urlpatterns = [
    path(
        "projects/<int:pk>/earned-value/",
        earned_value.EarnedValueView.as_view(),
        name="project-earned-value",
    ),
    *router.urls,
]
