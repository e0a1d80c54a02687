from django.urls import path

from clientfolio.interchange.views import exports, imports

app_name = "interchange"

PROJECT = "projects/<int:pk>/schedule/"

urlpatterns = [
    path("imports/", imports.RunListView.as_view(), name="run_list"),
    path(
        "imports/new-project/",
        imports.NewProjectImportView.as_view(),
        name="new_project_import",
    ),
    path("imports/<int:pk>/", imports.RunDetailView.as_view(), name="run_detail"),
    path(
        f"{PROJECT}import/", imports.ProjectImportView.as_view(), name="project_import"
    ),
    path(
        f"{PROJECT}export.xml",
        exports.MspdiExportView.as_view(),
        name="project_export_mspdi",
    ),
    path(
        f"{PROJECT}export.xlsx",
        exports.XlsxExportView.as_view(),
        name="project_export_xlsx",
    ),
]
