from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running it for real: backups and restores, health and metrics, personal-data
    requests (PIPL/GDPR)."""

    label = "ops"
    name = "clientfolio.ops"
    verbose_name = _("Operations")
