"""E-mail leaves after the transaction commits, from a job, with retries.

A request (or a database lock) never waits for the mail server: ``send_later`` stores
the message in the job's arguments and queues ``send_email`` on commit. A mail server
that fails is tried again after 1, 2, 4, ... minutes, ``EMAIL_RETRIES`` times.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

from clientfolio.core import metrics
from clientfolio.core.jobs import enqueue_on_commit

__all__ = ["as_data", "from_data", "send_email", "send_later"]

logger = logging.getLogger(__name__)


def as_data(message: EmailMessage) -> dict[str, Any]:
    """The parts of a message a job argument can carry (JSON)."""
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [content, mimetype]
            for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


def from_data(data: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data.get("from_email") or settings.DEFAULT_FROM_EMAIL,
        to=data.get("to", []),
        cc=data.get("cc", []),
        bcc=data.get("bcc", []),
        reply_to=data.get("reply_to", []),
        headers=data.get("headers", {}),
    )
    for content, mimetype in data.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    return message


def send_later(message: EmailMessage) -> None:
    """Send ``message`` from a job once the current transaction commits."""
    enqueue_on_commit(send_email, as_data(message))


@task(queue_name="mail")
def send_email(data: dict[str, Any], attempt: int = 1) -> None:
    """Send one message; on a mail-server error, queue the next attempt later."""
    message = from_data(data)
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        if attempt >= settings.EMAIL_RETRIES:
            metrics.email_outcome("given_up")
            logger.error(
                "E-mail %r to %s failed for good after %d attempts: %s",
                message.subject,
                ", ".join(message.to),
                attempt,
                error,
            )
            raise
        metrics.email_outcome("failed")
        delay = timedelta(minutes=2 ** (attempt - 1))
        logger.warning(
            "E-mail %r to %s failed (attempt %d), trying again in %s: %s",
            message.subject,
            ", ".join(message.to),
            attempt,
            delay,
            error,
        )
        retry = send_email
        if retry.get_backend().supports_defer:
            retry = send_email.using(run_after=timezone.now() + delay)
        retry.enqueue(data, attempt + 1)
        return
    metrics.email_outcome("sent")
    logger.info("E-mail %r sent to %s", message.subject, ", ".join(message.to))
