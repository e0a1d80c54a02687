from django.urls import path

from clientfolio.portal.views import home

app_name = "portal"

PROJECT = "projects/<int:pk>/"

urlpatterns = [
    path("", home.home, name="home"),
    path(PROJECT, home.project_detail, name="project"),
    path(
        f"{PROJECT}timeline.<str:extension>",
        home.timeline_export,
        name="timeline_export",
    ),
    path(
        f"{PROJECT}files/<int:version_pk>/",
        home.document_download,
        name="document_download",
    ),
    path("preview/<int:contact_pk>/", home.preview_start, name="preview_start"),
    path("preview/stop/", home.preview_stop, name="preview_stop"),
]
