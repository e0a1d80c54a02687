"""Markdown for user text (minutes, notes): CommonMark rendered, then sanitised.

markdown-it-py renders with raw HTML disabled; nh3 (the Ammonia sanitiser) then keeps only
a safe set of tags and attributes and forces ``rel="noopener noreferrer"`` on links, so
nothing a user types can run in another user's browser.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

__all__ = ["render_markdown"]

_renderer = MarkdownIt(
    "commonmark", {"html": False, "linkify": False, "breaks": True}
).enable("table")
_TAGS = {
    "a", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "td": {"align"}, "th": {"align"}}


def render_markdown(text: str) -> SafeString:
    """Safe HTML for ``text`` written in Markdown; empty text gives an empty string."""
    if not text:
        return mark_safe("")  # noqa: S308
    html = _renderer.render(text)
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
