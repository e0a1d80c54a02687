from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "clientfolio.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_delete, post_save

        from clientfolio.projects import caches
        from clientfolio.projects.folder import register_tab_count

        # Every write to a membership (cascades included), and to a user, starts a new
        # generation of that user's cached project roles (core.permissions).
        for signal in (post_save, post_delete):
            signal.connect(
                caches.membership_written,
                sender="projects.Membership",
                dispatch_uid=f"cf-roles-membership-{signal is post_save}",
            )
            signal.connect(
                caches.user_written,
                sender=settings.AUTH_USER_MODEL,
                dispatch_uid=f"cf-roles-user-{signal is post_save}",
            )
        register_tab_count(
            "projects:change_list", caches.pending_changes, "projects.changerequest"
        )
