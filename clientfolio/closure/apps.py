from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClosureConfig(AppConfig):
    label = "closure"
    name = "clientfolio.closure"
    verbose_name = _("Closure")

    def ready(self) -> None:
        from clientfolio.closure.overview import lessons_panel
        from clientfolio.projects.overview import register_overview_panel

        register_overview_panel(lessons_panel)
