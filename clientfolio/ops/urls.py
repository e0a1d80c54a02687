from django.urls import path

from clientfolio.ops.views import backups

app_name = "ops"

urlpatterns = [
    path("ops/backups/", backups.backup_status, name="backup_status"),
]
