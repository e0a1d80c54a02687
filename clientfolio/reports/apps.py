from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Progress reports to the client, satisfaction surveys, dashboards and the one
    search over everything: the app that reads all the others."""

    label = "reports"
    name = "clientfolio.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from clientfolio.clients.panels import register_client_panel
        from clientfolio.closure.registry import (
            register_closed_listener,
            register_satisfaction_source,
        )
        from clientfolio.projects.overview import (
            register_glance,
            register_overview_panel,
        )
        from clientfolio.reports import panels

        register_glance(panels.project_glances)
        register_overview_panel(panels.health_panel)
        register_overview_panel(panels.overview_panel)
        register_client_panel(panels.client_analysis_panel)
        register_client_panel(panels.client_panel)
        register_satisfaction_source(panels.closure_source)
        register_closed_listener(panels.closed_listener)
