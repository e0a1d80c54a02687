"""The e-mails of a published report, sent by a job after the publishing transaction
commits: the client PDF to each chosen client contact, the message and the PDF in the
contact's language (their portal login's, else the firm's; never the publisher's), and
a note to the project's team in each member's language with the internal PDF (the client
PDF for those who may not read the finance figures)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from clientfolio.core import metrics
from clientfolio.core.permissions import sees_finance
from clientfolio.reports.models import ProgressReportVersion
from clientfolio.reports.services import pdf_of
from clientfolio.reports.surveys import language_of

__all__ = ["send_published_report"]

logger = logging.getLogger(__name__)


def _client_pdf(version: ProgressReportVersion, language: str) -> bytes:
    return pdf_of(version, "client", language)


def _subject(version: ProgressReportVersion) -> str:
    report = version.report
    return _("Progress report %(project)s, %(start)s – %(end)s") % {
        "project": f"{report.project.code} {report.project.name}",
        "start": report.period_start.isoformat(),
        "end": report.period_end.isoformat(),
    }


def _client_message(version: ProgressReportVersion, contact: Any) -> EmailMessage:
    language = language_of(contact)
    with translation.override(language):
        report = version.report
        body = _(
            "Dear %(name)s,\n\nplease find attached the progress report of the project "
            "%(project)s for %(start)s – %(end)s. You can also read it in the client "
            "portal: %(url)s\n\nKind regards,\n%(manager)s"
        ) % {
            "name": contact.name,
            "project": report.project.name,
            "start": report.period_start.isoformat(),
            "end": report.period_end.isoformat(),
            "url": settings.SITE_URL.rstrip("/")
            + reverse("portal:report_list", kwargs={"pk": report.project_id}),
            "manager": str(report.project.manager or settings.CLIENTFOLIO_FIRM_NAME),
        }
        message = EmailMessage(_subject(version), body, to=[contact.email])
        message.attach(
            f"{report.project.code}-{report.period_start.isoformat()}.pdf",
            _client_pdf(version, language),
            "application/pdf",
        )
    return message


def _team_message(version: ProgressReportVersion, user: Any) -> EmailMessage:
    language = user.language or settings.LANGUAGE_CODE
    report = version.report
    internal = sees_finance(user, report.project)
    with translation.override(language):
        url = settings.SITE_URL.rstrip("/") + reverse(
            "reports:report_detail",
            kwargs={"pk": report.project_id, "report_pk": report.pk},
        )
        body = _(
            "%(publisher)s published version %(number)s of the progress report of "
            "%(project)s for %(start)s – %(end)s. It was sent to: %(recipients)s.\n\n%(url)s"
        ) % {
            "publisher": str(version.published_by or ""),
            "number": version.number,
            "project": report.project.name,
            "start": report.period_start.isoformat(),
            "end": report.period_end.isoformat(),
            "recipients": ", ".join(c.name for c in version.recipients.all()) or "—",
            "url": url,
        }
        message = EmailMessage(_subject(version), body, to=[user.email])
        name = f"{report.project.code}-{report.period_start.isoformat()}"
        if internal:
            message.attach(
                f"{name}-internal.pdf",
                pdf_of(version, "internal", language),
                "application/pdf",
            )
        else:
            message.attach(
                f"{name}.pdf", _client_pdf(version, language), "application/pdf"
            )
    return message


@task(queue_name="mail")
def send_published_report(version_id: int) -> int:
    """Send the e-mails of one published version; returns how many left. Safe to run
    again only in the sense that it sends again: it is queued once per publishing."""
    from clientfolio.core.models import User

    version = (
        ProgressReportVersion.objects.select_related(
            "report__project__manager", "published_by"
        )
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        return 0
    messages = [
        _client_message(version, contact)
        for contact in version.recipients.select_related("portal_user").exclude(
            email=""
        )
    ]
    team = (
        User.objects.filter(
            is_active=True, memberships__project_id=version.report.project_id
        )
        .exclude(email="")
        .distinct()
    )
    messages += [_team_message(version, user) for user in team]
    for message in messages:
        try:
            message.send()
        except Exception:
            metrics.email_outcome("given_up")
            raise
        metrics.email_outcome("sent")
    logger.info("Progress report %s e-mailed to %d people", version, len(messages))
    return len(messages)
