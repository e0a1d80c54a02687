"""Template helpers of the quality pages: badges in the colours of quality states."""

from django import template
from django.utils.html import format_html

from clientfolio.core.templatetags.cf import STATUS_COLOURS

register = template.Library()

QUALITY_COLOURS = {
    # deliverables and decisions
    "planned": "secondary",
    "in_progress": "blue",
    "submitted": "azure",
    "accepted": "green",
    "rejected": "red",
    # reviews and checklist items
    "passed": "green",
    "failed": "red",
    "not_assessed": "secondary",
    "pass": "green",
    "fail": "red",
    "na": "secondary",
    # PDCA
    "plan": "secondary",
    "do": "blue",
    "check": "orange",
    "act": "green",
    # standards
    "technical": "indigo",
    "management": "cyan",
    "service": "purple",
}


@register.simple_tag
def qbadge(value, label):
    """A badge carrying its label, coloured by the quality state ``value``."""
    colour = QUALITY_COLOURS.get(value) or STATUS_COLOURS.get(value, "secondary")
    return format_html('<span class="badge bg-{}-lt">{}</span>', colour, label)
