"""The words of a report's codes in the active language: statuses, kinds and periods
stored in a snapshot as their stable values (a snapshot is read later, in any language)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clientfolio.comms.models import CommRecord
from clientfolio.projects.models import ChangeRequest
from clientfolio.reports.models import Period
from clientfolio.risks.models import Issue, Level, Risk
from clientfolio.schedule.gantt import STATUS_LABELS

__all__ = ["impact_words", "label", "schedule_words", "slip_words"]

_CHOICES: dict[str, Any] = {
    "period": Period,
    "change_status": ChangeRequest.Status,
    "risk_level": Level,
    "risk_status": Risk.Status,
    "issue_severity": Issue.Severity,
    "issue_status": Issue.Status,
    "comm_kind": CommRecord.Kind,
}


def label(kind: str, value: Any) -> str:
    """The label of ``value`` among the ``kind`` choices (``milestone_status`` for the
    timeline's statuses), or the value itself when it is unknown."""
    if kind == "milestone_status":
        return str(STATUS_LABELS.get(value, value or ""))
    choices = _CHOICES[kind]
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def slip_words(days: Any) -> str:
    """A slip in working days against the baseline, in words ("on plan" for none)."""
    days = int(days or 0)
    if not days:
        return _("on plan")
    if days > 0:
        return ngettext(
            "%(days)s working day late", "%(days)s working days late", days
        ) % {"days": days}
    return ngettext(
        "%(days)s working day early", "%(days)s working days early", -days
    ) % {"days": -days}


def schedule_words(days: Any) -> str:
    """Where the project stands against its plan, in a client's words (no SPI): behind
    or ahead of schedule by so many working days, or on schedule."""
    days = int(days or 0)
    if not days:
        return _("On schedule")
    if days > 0:
        return ngettext(
            "Behind schedule by %(days)s working day",
            "Behind schedule by %(days)s working days",
            days,
        ) % {"days": days}
    return ngettext(
        "Ahead of schedule by %(days)s working day",
        "Ahead of schedule by %(days)s working days",
        -days,
    ) % {"days": -days}


def impact_words(days: Any) -> str:
    """A change request's effect on the dates, in a client's words ("" for none)."""
    days = int(days or 0)
    if not days:
        return ""
    if days > 0:
        return ngettext(
            "the dates move %(days)s working day later",
            "the dates move %(days)s working days later",
            days,
        ) % {"days": days}
    return ngettext(
        "the dates move %(days)s working day earlier",
        "the dates move %(days)s working days earlier",
        -days,
    ) % {"days": -days}
