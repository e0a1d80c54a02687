"""Template helpers of communication records: type icons and plain-text excerpts."""

import re

from django import template
from django.utils.html import format_html

register = template.Library()

KINDS = {
    # kind: (icon, colour)
    "meeting": ("users-group", "blue"),
    "call": ("phone", "green"),
    "email": ("mail", "azure"),
    "im": ("message-circle", "purple"),
    "visit": ("map-pin", "orange"),
    "portal": ("messages", "teal"),
    "other": ("dots", "secondary"),
}
MARKUP = re.compile(r"(^|\s)(#{1,6}|[-*+>]|\d+\.)\s+|[*_`~|]+|\[([^\]]*)\]\([^)]*\)")


@register.simple_tag
def kind_icon(kind, label="", css="timeline-event-icon"):
    icon, colour = KINDS.get(kind, KINDS["other"])
    return format_html(
        '<span class="{} bg-{}-lt" title="{}"><i class="ti ti-{}" aria-hidden="true"></i></span>',
        css,
        colour,
        label,
        icon,
    )


@register.filter
def excerpt(text, length=160):
    """The start of Markdown ``text`` as one line of plain text, at most ``length``."""
    if not text:
        return ""
    head = str(text)[: int(length) * 3]
    # Table separator rows (|---|:--:|) carry no words.
    head = "\n".join(
        line for line in head.splitlines() if line.strip(" |:-") or not line.strip()
    )
    plain = MARKUP.sub(lambda m: (m.group(1) or "") + (m.group(3) or ""), head)
    plain = " ".join(plain.split())
    return plain if len(plain) <= int(length) else plain[: int(length) - 1] + "…"
