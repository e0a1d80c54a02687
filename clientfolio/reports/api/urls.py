from django.urls import path  # noqa: F401  (the API's paths are added below)

urlpatterns: list = []
