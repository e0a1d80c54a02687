from django.urls import path
from rest_framework.routers import SimpleRouter

from clientfolio.core import api_views

router = SimpleRouter()
router.register("auth/tokens", api_views.TokenViewSet, basename="api-token")

urlpatterns = [
    path("auth/token/", api_views.TokenObtainView.as_view(), name="api_token"),
    *router.urls,
]
