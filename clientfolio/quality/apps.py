from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    label = "quality"
    name = "clientfolio.quality"
    verbose_name = _("Quality and acceptance")
