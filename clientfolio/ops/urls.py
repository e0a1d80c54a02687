from django.urls import path

from clientfolio.ops.views import backups, metrics, privacy

app_name = "ops"

CONTACT = "ops/personal-data/contacts/<int:pk>/"

urlpatterns = [
    path("metrics/", metrics.metrics, name="metrics"),
    path("ops/backups/", backups.backup_status, name="backup_status"),
    path("ops/personal-data/", privacy.index, name="privacy"),
    path(CONTACT, privacy.contact_detail, name="privacy_contact"),
    path(f"{CONTACT}export/", privacy.contact_export, name="privacy_export"),
    path(f"{CONTACT}erase/", privacy.contact_erase, name="privacy_erase"),
]
