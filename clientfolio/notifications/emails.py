"""Notification e-mails: one at once, or the daily digest, in the reader's language and
time zone. They carry only what ``targets.describe`` says (the title, the object's name,
its project and a link), never the record's content, so a mail never tells its reader
more than the page would show them.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from clientfolio.core.mail import send_later
from clientfolio.notifications.targets import Description, describe

__all__ = ["absolute", "in_readers_terms", "send_digest", "send_immediate"]


def absolute(path: str) -> str:
    """``path`` on the site's public address (``SITE_URL``); "" stays ""."""
    if not path:
        return ""
    return str(getattr(settings, "SITE_URL", "")).rstrip("/") + path


def _zone(user: Any) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@contextmanager
def in_readers_terms(user: Any) -> Iterator[None]:
    """Render in the reader's language (or the site's) and time zone."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        with timezone.override(_zone(user)):
            yield


def _message(user: Any, subject: str, template: str, context: dict[str, Any]) -> Any:
    context = {
        **context,
        "user": user,
        "preferences_url": absolute(reverse("notifications:preferences")),
        "list_url": absolute(reverse("notifications:list")),
    }
    text = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:250],
        body=text,
        to=[formataddr((str(user), user.email))],
    )
    message.attach_alternative(html, "text/html")
    return message


def send_immediate(user: Any, event: Any, target: Any) -> None:
    """E-mail one reader about one event, after the transaction commits."""
    with in_readers_terms(user):
        description = describe(event, target=target)
        message = _message(
            user,
            description.title,
            "notification",
            {
                "d": description,
                "url": absolute(description.url),
                "when": event.occurred_at,
            },
        )
    send_later(message)


# A digest lists this many notifications; the rest are on the notification page.
DIGEST_LIMIT = 50


def send_digest(
    user: Any, items: Sequence[tuple[Description, Any]], more: int = 0
) -> None:
    """E-mail one reader their digest: ``items`` are (description, when) pairs already
    rendered in their language; ``more`` is how many were left out."""
    with in_readers_terms(user):
        count = len(items) + more
        subject = ngettext(
            "Clientfolio: %(count)s notification since your last digest",
            "Clientfolio: %(count)s notifications since your last digest",
            count,
        ) % {"count": count}
        message = _message(
            user,
            subject,
            "digest",
            {
                "items": [
                    {"d": d, "url": absolute(d.url), "when": when} for d, when in items
                ],
                "more": more,
            },
        )
    send_later(message)
