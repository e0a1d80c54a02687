from django.urls import path

from clientfolio.reports.views import search

app_name = "reports"

urlpatterns: list = [
    path("search/", search.search_page, name="search"),
]
