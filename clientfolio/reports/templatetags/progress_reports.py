"""Template filters of progress reports: the words of a snapshot's codes and slips."""

from typing import Any

from django import template

from clientfolio.reports.labels import impact_words, label, schedule_words, slip_words
from clientfolio.reports.progress import SECTION_LABELS

register = template.Library()


@register.filter
def code_label(value: Any, kind: str) -> str:
    """``{{ row.status|code_label:"change_status" }}``: the code's label."""
    return label(kind, value)


@register.filter
def section_label(section: str) -> str:
    return str(SECTION_LABELS.get(section, section))


@register.filter
def slip_text(days: Any) -> str:
    """Working days late or early against the baseline, in words."""
    return slip_words(days)


@register.filter
def schedule_text(days: Any) -> str:
    """Behind or ahead of schedule by so many working days: the client's words."""
    return schedule_words(days)


@register.filter
def impact_text(days: Any) -> str:
    """A change request's effect on the dates, in the client's words."""
    return impact_words(days)


@register.filter
def item(mapping: Any, key: str) -> Any:
    """``{{ data|item:section }}``: a dict's value by a variable key."""
    return mapping.get(key) if hasattr(mapping, "get") else None
