"""Validators shared by the domain apps' models (and so by their forms and serializers)."""

import zoneinfo
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = [
    "FIRST_PLAN_DATE",
    "LAST_PLAN_DATE",
    "validate_plan_date",
    "validate_time_zone",
]

# The dates a plan may name. Python's dates end in 9999, and a project that starts near
# the end makes every date computed from it (task finishes, calendars a few years ahead)
# overflow; nothing real is planned outside these two centuries.
FIRST_PLAN_DATE = date(1970, 1, 1)
LAST_PLAN_DATE = date(2200, 12, 31)


def validate_plan_date(value: Any) -> None:
    """Refuse a plan date outside FIRST_PLAN_DATE..LAST_PLAN_DATE (``ValidationError``,
    code ``plan_date_range``)."""
    if value is None or not isinstance(value, date):
        return
    if FIRST_PLAN_DATE <= value <= LAST_PLAN_DATE:
        return
    raise ValidationError(
        _("Enter a date between %(first)s and %(last)s."),
        code="plan_date_range",
        params={
            "first": FIRST_PLAN_DATE.isoformat(),
            "last": LAST_PLAN_DATE.isoformat(),
        },
    )


def validate_time_zone(value: str) -> None:
    """An IANA time zone name that this machine knows (``Asia/Shanghai``)."""
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("%(value)s is not a known time zone."),
            code="time_zone",
            params={"value": value},
        ) from None
