from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    label = "risks"
    name = "clientfolio.risks"
    verbose_name = _("Risks")
