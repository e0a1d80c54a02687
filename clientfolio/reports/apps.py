from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Progress reports to the client, satisfaction surveys, dashboards and the one
    search over everything: the app that reads all the others."""

    label = "reports"
    name = "clientfolio.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from clientfolio.projects.overview import (
            register_glance,
            register_overview_panel,
        )
        from clientfolio.reports.panels import health_panel, project_glances

        register_glance(project_glances)
        register_overview_panel(health_panel)
