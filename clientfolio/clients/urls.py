from django.urls import path

from clientfolio.clients import views

app_name = "clients"

urlpatterns = [
    path("", views.ClientListView.as_view(), name="client_list"),
    path("new/", views.ClientCreateView.as_view(), name="client_create"),
    path("duplicates/", views.DuplicateCheckView.as_view(), name="duplicate_check"),
    path("export/", views.ClientExportView.as_view(), name="client_export"),
    path("import/", views.ClientImportView.as_view(), name="client_import"),
    path(
        "import/template/", views.ImportTemplateView.as_view(), name="import_template"
    ),
    path("<int:pk>/", views.ClientDetailView.as_view(), name="client_detail"),
    path("<int:pk>/edit/", views.ClientUpdateView.as_view(), name="client_edit"),
    path("<int:pk>/archive/", views.ClientArchiveView.as_view(), name="client_archive"),
    path("<int:pk>/restore/", views.ClientArchiveView.as_view(), name="client_restore"),
    path("<int:pk>/purge/", views.ClientPurgeView.as_view(), name="client_purge"),
    path(
        "<int:pk>/<slug:kind>/new/",
        views.RecordCreateView.as_view(),
        name="record_create",
    ),
    path(
        "<int:pk>/<slug:kind>/<int:record_pk>/edit/",
        views.RecordUpdateView.as_view(),
        name="record_edit",
    ),
    path(
        "<int:pk>/<slug:kind>/<int:record_pk>/delete/",
        views.RecordDeleteView.as_view(),
        name="record_delete",
    ),
]
