from django.urls import path

from clientfolio.reports.api import views

urlpatterns: list = [
    path("search/", views.SearchView.as_view(), name="search-api"),
]
