from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClosureConfig(AppConfig):
    label = "closure"
    name = "clientfolio.closure"
    verbose_name = _("Closure")
