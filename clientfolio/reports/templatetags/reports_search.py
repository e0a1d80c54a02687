"""Formatting for the search page: a group's count ("1,000+" beyond the cap) and the
link to one kind's full list."""

from urllib.parse import urlencode

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()

__all__ = ["hit_count", "kind_query"]


@register.filter
def hit_count(group) -> str:
    """The group's number of hits with thousands separators; "1,000+" when capped."""
    text = intcomma(group.total, use_l10n=False)
    return f"{text}+" if group.capped else text


@register.simple_tag
def kind_query(query: str, kind: str = "", page: int | None = None) -> str:
    """The query string of the search page for ``query`` (and ``kind``, ``page``)."""
    params: dict = {"q": query}
    if kind:
        params["kind"] = kind
    if page:
        params["page"] = page
    return urlencode(params)
