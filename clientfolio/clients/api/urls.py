from django.urls import path
from rest_framework.routers import DefaultRouter

from clientfolio.clients.api import imports, views

router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.register("clients", views.ClientViewSet)
router.register("contacts", views.ContactViewSet)
router.register("requirements", views.RequirementViewSet)
router.register("contracts", views.ContractViewSet)
router.register("payments", views.PaymentViewSet)
router.register("feedback", views.FeedbackViewSet)
router.register("follow-ups", views.FollowUpViewSet)
router.register("client-import-presets", imports.ImportPresetViewSet)

urlpatterns = [
    path(
        "client-imports/columns/",
        imports.ImportColumnsView.as_view(),
        name="client_import_columns",
    ),
    path(
        "client-imports/check/",
        imports.ImportCheckView.as_view(),
        name="client_import_check",
    ),
    *router.urls,
]
