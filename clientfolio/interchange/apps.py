from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterchangeConfig(AppConfig):
    """Plans and data in and out: MS Project XML (MSPDI) and spreadsheets both ways, and
    imports from the tools people leave (Trello, Jira, Asana)."""

    label = "interchange"
    name = "clientfolio.interchange"
    verbose_name = _("Interchange")
