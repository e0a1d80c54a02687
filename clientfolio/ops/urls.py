from django.urls import path

from clientfolio.ops.views import metrics

app_name = "ops"

urlpatterns: list = [
    path("metrics/", metrics.metrics, name="metrics"),
]
