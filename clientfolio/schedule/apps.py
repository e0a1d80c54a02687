from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ScheduleConfig(AppConfig):
    name = "clientfolio.schedule"
    label = "schedule"
    verbose_name = pgettext_lazy("project folder tab", "Schedule")
