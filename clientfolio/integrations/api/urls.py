from rest_framework.routers import DefaultRouter

from clientfolio.integrations.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("chat-channels", views.ChatChannelViewSet, basename="chat-channel")
router.register("webhooks", views.WebhookViewSet, basename="webhook")
router.register("deliveries", views.DeliveryViewSet, basename="delivery")

urlpatterns = router.urls
