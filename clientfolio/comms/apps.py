from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommsConfig(AppConfig):
    name = "clientfolio.comms"
    label = "comms"
    verbose_name = _("Communication")

    def ready(self) -> None:
        from clientfolio.comms.overview import communication_panel, open_action_items
        from clientfolio.projects.folder import register_tab_count, watch_folder_counts
        from clientfolio.projects.overview import register_overview_panel

        register_overview_panel(communication_panel)
        # The Communication tab counts the open action items; a record's deletion
        # cascades to its items, and moving a record moves them.
        register_tab_count("comms:record_list", open_action_items, "comms.actionitem")
        watch_folder_counts("comms.commrecord")
