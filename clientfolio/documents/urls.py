from django.urls import path

from clientfolio.documents.views import documents, folder_templates, folders

app_name = "documents"

PROJECT = "projects/<int:pk>/documents/"
TEMPLATES = "folder-templates/"
DOCUMENT = f"{PROJECT}<int:document_pk>/"
VERSION = f"{PROJECT}versions/<int:version_pk>/"

urlpatterns = [
    path(PROJECT, documents.DocumentListView.as_view(), name="document_list"),
    path(f"{PROJECT}upload/", documents.DocumentUploadView.as_view(), name="upload"),
    path(f"{PROJECT}trash/", documents.TrashView.as_view(), name="trash"),
    path(
        f"{PROJECT}settings/",
        documents.NamingRuleView.as_view(),
        name="settings",
    ),
    path(DOCUMENT, documents.DocumentDetailView.as_view(), name="document_detail"),
    path(
        f"{DOCUMENT}edit/", documents.DocumentEditView.as_view(), name="document_edit"
    ),
    path(
        f"{DOCUMENT}versions/new/",
        documents.VersionUploadView.as_view(),
        name="version_upload",
    ),
    path(
        f"{DOCUMENT}visibility/",
        documents.VisibilityView.as_view(),
        name="document_visibility",
    ),
    path(
        f"{DOCUMENT}delete/",
        documents.DocumentTrashView.as_view(),
        name="document_delete",
    ),
    path(
        f"{DOCUMENT}restore/",
        documents.DocumentRestoreView.as_view(),
        name="document_restore",
    ),
    path(
        f"{DOCUMENT}purge/",
        documents.DocumentPurgeView.as_view(),
        name="document_purge",
    ),
    path(
        f"{VERSION}download/",
        documents.VersionDownloadView.as_view(),
        name="version_download",
    ),
    path(
        f"{VERSION}preview/",
        documents.VersionPreviewView.as_view(),
        name="version_preview",
    ),
    path(
        f"{PROJECT}folders/new/",
        folders.FolderCreateView.as_view(),
        name="folder_create",
    ),
    path(
        f"{PROJECT}folders/<int:folder_pk>/edit/",
        folders.FolderEditView.as_view(),
        name="folder_edit",
    ),
    path(
        TEMPLATES,
        folder_templates.FolderTemplateListView.as_view(),
        name="folder_template_list",
    ),
    path(
        f"{TEMPLATES}new/",
        folder_templates.FolderTemplateCreateView.as_view(),
        name="folder_template_create",
    ),
    path(
        f"{TEMPLATES}<int:template_pk>/edit/",
        folder_templates.FolderTemplateEditView.as_view(),
        name="folder_template_edit",
    ),
    path(
        f"{TEMPLATES}<int:template_pk>/move/",
        folder_templates.FolderTemplateMoveView.as_view(),
        name="folder_template_move",
    ),
    path(
        f"{TEMPLATES}<int:template_pk>/delete/",
        folder_templates.FolderTemplateDeleteView.as_view(),
        name="folder_template_delete",
    ),
]
