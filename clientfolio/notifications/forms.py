"""The preferences form: every event kind × channel, and the daily digest's time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clientfolio.core.events import KIND_LABELS, Kind
from clientfolio.notifications.channels import Channels
from clientfolio.notifications.models import EmailMode, validate_digest_time

__all__ = ["DIGEST_TIME_ERROR", "PreferencesForm", "digest_time_choices"]

DIGEST_TIME_ERROR = _(
    "Choose a digest time from 00:00 to 23:30, on the hour or the half hour."
)


# The grid's sections, in order: what each kind of event is about.
GROUPS: list[tuple[Any, list[str]]] = [
    (
        pgettext_lazy("notification group", "Tasks and action items"),
        [
            Kind.TASK_ASSIGNED,
            Kind.TASK_DUE_SOON,
            Kind.TASK_OVERDUE,
            Kind.TASK_RESCHEDULED,
            Kind.ACTION_ITEM_ASSIGNED,
        ],
    ),
    (
        pgettext_lazy("notification group", "Decisions"),
        [
            Kind.CHANGE_REQUEST_SUBMITTED,
            Kind.CHANGE_REQUEST_DECIDED,
            Kind.EXPENSE_SUBMITTED,
            Kind.EXPENSE_DECIDED,
            Kind.DELIVERABLE_ACCEPTED,
            Kind.DELIVERABLE_REJECTED,
        ],
    ),
    (
        pgettext_lazy("notification group", "Minutes and clients"),
        [
            Kind.MINUTES_SENT,
            Kind.MINUTES_DISPUTED,
            Kind.FOLLOWUP_DUE,
            Kind.INVOICE_OVERDUE,
        ],
    ),
    (
        pgettext_lazy("notification group", "Risks"),
        [Kind.RISK_REVIEW_DUE, Kind.RISK_LEVEL_ROSE],
    ),
    (
        pgettext_lazy("notification group", "Comments"),
        [Kind.COMMENT_ADDED, Kind.COMMENT_MENTIONED],
    ),
    (pgettext_lazy("notification group", "Imports and exports"), [Kind.JOB_FINISHED]),
    (pgettext_lazy("notification group", "Reports"), [Kind.REPORT_DRAFTED]),
]


def digest_time_choices() -> list[tuple[str, str]]:
    times = [dt.time(hour, minute) for hour in range(24) for minute in (0, 30)]
    return [(f"{t:%H:%M}", f"{t:%H:%M}") for t in times]


def field_name(kind: str, channel: str) -> str:
    return f"{kind.replace('.', '-')}-{channel}"


class PreferencesForm(forms.Form):
    """One in-app checkbox and one e-mail choice per event kind, and the digest time."""

    digest_time = forms.TimeField(
        label=_("Daily digest at"),
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.Select(choices=digest_time_choices()),
        validators=[validate_digest_time],
        error_messages={"invalid": DIGEST_TIME_ERROR, "required": DIGEST_TIME_ERROR},
        help_text=_("In your time zone (see My account)."),
    )

    def __init__(
        self, *args: Any, grid: dict[str, Channels], digest_time: dt.time, **kwargs: Any
    ) -> None:
        initial: dict[str, Any] = {"digest_time": f"{digest_time:%H:%M}"}
        for kind, channels in grid.items():
            initial[field_name(kind, "in_app")] = channels.in_app
            initial[field_name(kind, "email")] = channels.email
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for kind in Kind:
            label = KIND_LABELS[kind]
            self.fields[field_name(kind, "in_app")] = forms.BooleanField(
                label=label, required=False
            )
            self.fields[field_name(kind, "email")] = forms.ChoiceField(
                label=label, choices=EmailMode.choices
            )

    def rows(self) -> list[dict[str, Any]]:
        """The grid for the template: one row per kind with its two fields, under the
        name of its section (kinds no section names come last)."""
        grouped = [(label, kind) for label, kinds in GROUPS for kind in kinds]
        named = {kind for _label, kind in grouped}
        grouped += [
            (pgettext_lazy("notification group", "Other"), kind)
            for kind in Kind
            if kind not in named
        ]
        return [
            {
                "group": label,
                "kind": str(kind),
                "label": KIND_LABELS[kind],
                "in_app": self[field_name(kind, "in_app")],
                "email": self[field_name(kind, "email")],
            }
            for label, kind in grouped
        ]

    def grid(self) -> dict[str, Channels]:
        data = self.cleaned_data
        return {
            kind.value: Channels(
                bool(data[field_name(kind, "in_app")]),
                data[field_name(kind, "email")],
            )
            for kind in Kind
        }
