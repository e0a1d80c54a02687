from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "clientfolio.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.core import checks

        from clientfolio.core.pdf import check_pdf_font

        checks.register(check_pdf_font)

        from django_tasks.signals import task_enqueued, task_finished, task_started

        from clientfolio.core import observability

        task_enqueued.connect(observability.job_queued, dispatch_uid="cf-job-queued")
        task_started.connect(observability.job_started, dispatch_uid="cf-job-started")
        task_finished.connect(
            observability.job_finished, dispatch_uid="cf-job-finished"
        )
