from rest_framework.routers import DefaultRouter

from clientfolio.clients.api import views

router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.register("clients", views.ClientViewSet)
router.register("contacts", views.ContactViewSet)
router.register("requirements", views.RequirementViewSet)
router.register("contracts", views.ContractViewSet)
router.register("payments", views.PaymentViewSet)
router.register("feedback", views.FeedbackViewSet)
router.register("follow-ups", views.FollowUpViewSet)

urlpatterns = router.urls
