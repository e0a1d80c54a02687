from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommsConfig(AppConfig):
    name = "clientfolio.comms"
    label = "comms"
    verbose_name = _("Communication")

    def ready(self) -> None:
        from clientfolio.comms.overview import communication_panel
        from clientfolio.projects.overview import register_overview_panel

        register_overview_panel(communication_panel)
