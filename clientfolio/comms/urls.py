from django.urls import path

from clientfolio.comms.views import confirm, lists, records

app_name = "comms"

PROJECT = "projects/<int:pk>/communication/"

urlpatterns = [
    path(PROJECT, records.RecordListView.as_view(), name="record_list"),
    path(f"{PROJECT}new/", records.RecordCreateView.as_view(), name="record_create"),
    path(f"{PROJECT}import/", records.RecordImportView.as_view(), name="record_import"),
    path(
        f"{PROJECT}<int:record_pk>/",
        records.RecordDetailView.as_view(),
        name="record_detail",
    ),
    path(
        f"{PROJECT}<int:record_pk>/edit/",
        records.RecordUpdateView.as_view(),
        name="record_edit",
    ),
    path(
        f"{PROJECT}<int:record_pk>/delete/",
        records.RecordDeleteView.as_view(),
        name="record_delete",
    ),
    path(
        f"{PROJECT}<int:record_pk>/send/",
        records.RecordSendView.as_view(),
        name="record_send",
    ),
    path(
        f"{PROJECT}<int:record_pk>/respond/",
        records.RecordRespondView.as_view(),
        name="record_respond",
    ),
    path(
        f"{PROJECT}<int:record_pk>/reply/",
        records.RecordReplyView.as_view(),
        name="record_reply",
    ),
    path(
        f"{PROJECT}action-items/<int:item_pk>/status/",
        records.ActionItemStatusView.as_view(),
        name="action_item_status",
    ),
    path(
        "clients/<int:pk>/communication/",
        lists.ClientTimelineView.as_view(),
        name="client_timeline",
    ),
    path("my/action-items/", lists.MyActionItemsView.as_view(), name="my_action_items"),
    path("confirm/<str:token>/", confirm.confirm, name="confirm"),
]
