from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "clientfolio.clients"
    label = "clients"
    verbose_name = _("Client library")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from clientfolio.clients.models import Client
        from clientfolio.clients.querysets import clients_written

        post_save.connect(clients_written, sender=Client, dispatch_uid="cf-clients-s")
        post_delete.connect(clients_written, sender=Client, dispatch_uid="cf-clients-d")
        m2m_changed.connect(
            clients_written, sender=Client.tags.through, dispatch_uid="cf-clients-t"
        )
