from django.urls import path

from clientfolio.blueprints.views import templates

app_name = "blueprints"

TEMPLATE = "templates/<int:pk>/"

urlpatterns = [
    path("templates/", templates.TemplateListView.as_view(), name="template_list"),
    path(
        "templates/builtin/",
        templates.BuiltinInstallView.as_view(),
        name="builtin_install",
    ),
    path(
        "templates/import/",
        templates.TemplateImportView.as_view(),
        name="template_import",
    ),
    path(
        "templates/start/", templates.StartProjectView.as_view(), name="project_start"
    ),
    path(
        f"{TEMPLATE}export/",
        templates.TemplateExportView.as_view(),
        name="template_export",
    ),
    path(TEMPLATE, templates.TemplateDetailView.as_view(), name="template_detail"),
    path(
        f"{TEMPLATE}edit/", templates.TemplateEditView.as_view(), name="template_edit"
    ),
    path(
        f"{TEMPLATE}export/",
        templates.TemplateExportView.as_view(),
        name="template_export",
    ),
    path(
        f"{TEMPLATE}delete/",
        templates.TemplateDeleteView.as_view(),
        name="template_delete",
    ),
    path(
        "projects/<int:pk>/save-as-template/",
        templates.SaveAsTemplateView.as_view(),
        name="save_as_template",
    ),
]
