from django.urls import path  # noqa: F401  (the pages' paths are added below)

app_name = "reports"

urlpatterns: list = []
