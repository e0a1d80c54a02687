from django.urls import path

from clientfolio.integrations import views

app_name = "integrations"

CHANNEL = "integrations/channels/<int:pk>/"
PROJECT = "projects/<int:pk>/channels/"
WEBHOOK = "integrations/webhooks/<int:pk>/"

urlpatterns = [
    path("integrations/", views.IndexView.as_view(), name="index"),
    path(
        "integrations/channels/new/",
        views.ChannelCreateView.as_view(),
        name="channel_create",
    ),
    path(CHANNEL, views.ChannelEditView.as_view(), name="channel_edit"),
    path(f"{CHANNEL}test/", views.ChannelTestView.as_view(), name="channel_test"),
    path(f"{CHANNEL}toggle/", views.ChannelToggleView.as_view(), name="channel_toggle"),
    path(f"{CHANNEL}delete/", views.ChannelDeleteView.as_view(), name="channel_delete"),
    path(PROJECT, views.ProjectChannelListView.as_view(), name="project_channels"),
    path(
        f"{PROJECT}new/",
        views.ProjectChannelCreateView.as_view(),
        name="project_channel_create",
    ),
    path(
        f"{PROJECT}<int:channel_pk>/",
        views.ProjectChannelEditView.as_view(),
        name="project_channel_edit",
    ),
    path(
        "integrations/webhooks/new/",
        views.WebhookCreateView.as_view(),
        name="webhook_create",
    ),
    path(WEBHOOK, views.WebhookDetailView.as_view(), name="webhook_detail"),
    path(f"{WEBHOOK}edit/", views.WebhookEditView.as_view(), name="webhook_edit"),
    path(f"{WEBHOOK}test/", views.WebhookTestView.as_view(), name="webhook_test"),
    path(f"{WEBHOOK}rotate/", views.WebhookRotateView.as_view(), name="webhook_rotate"),
    path(f"{WEBHOOK}toggle/", views.WebhookToggleView.as_view(), name="webhook_toggle"),
    path(f"{WEBHOOK}delete/", views.WebhookDeleteView.as_view(), name="webhook_delete"),
    path(
        "integrations/deliveries/<int:pk>/redeliver/",
        views.DeliveryRedeliverView.as_view(),
        name="delivery_redeliver",
    ),
]
