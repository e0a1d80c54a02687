"""Template helpers: form widgets in Tabler style, money, badges, sort links."""

from decimal import Decimal

from django import forms, template
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

CURRENCY_SYMBOLS = {"CNY": "¥"}

STATUS_COLOURS = {
    # client status
    "prospect": "azure",
    "active": "green",
    "dormant": "secondary",
    "lost": "red",
    # contracts, requirements, feedback
    "draft": "secondary",
    "completed": "teal",
    "terminated": "red",
    "open": "orange",
    "discussing": "azure",
    "planned": "blue",
    "fulfilled": "green",
    "declined": "secondary",
    "in_progress": "blue",
    "resolved": "green",
    "closed": "secondary",
    # severities and priorities
    "low": "green",
    "medium": "yellow",
    "high": "orange",
    "critical": "red",
    "urgent": "red",
    # projects
    "proposed": "azure",
    "on_hold": "yellow",
    "cancelled": "secondary",
    "initiation": "azure",
    "planning": "indigo",
    "execution": "blue",
    "monitoring": "cyan",
    "closing": "teal",
    # requirements and change requests
    "collected": "secondary",
    "confirmed": "green",
    "in_scope": "blue",
    "delivered": "teal",
    "rejected": "red",
    "submitted": "secondary",
    "evaluating": "azure",
    "awaiting_client": "orange",
    "approved": "green",
    "implemented": "teal",
    # confirmations
    "pending": "yellow",
    "disputed": "red",
    "done": "green",
    # tasks
    "todo": "secondary",
    "blocked": "red",
    # feedback kinds
    "praise": "green",
    "suggestion": "azure",
    "complaint": "red",
}
TIER_COLOURS = {"A": "purple", "B": "blue", "C": "secondary"}


@register.simple_tag
def formfield(field):
    widget = field.field.widget
    css = ["form-select"] if isinstance(widget, forms.Select) else ["form-control"]
    if field.errors:
        css.append("is-invalid")
    attrs = {"class": " ".join(css)}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def money(amount, currency="CNY"):
    """¥1,234,567.89 for CNY, 'USD 1,234.50' for others; '—' for nothing."""
    if amount is None or amount == "":
        return "—"
    amount = Decimal(amount).quantize(Decimal("0.01"))
    number = formats.number_format(
        abs(amount), decimal_pos=2, use_l10n=True, force_grouping=True
    )
    sign = "-" if amount < 0 else ""
    symbol = CURRENCY_SYMBOLS.get(currency)
    text = f"{sign}{symbol}{number}" if symbol else f"{sign}{currency} {number}"
    if amount < 0:
        return format_html('<span class="text-danger">{}</span>', text)
    return text


@register.simple_tag
def badge(value, label):
    colour = STATUS_COLOURS.get(value, "secondary")
    return format_html('<span class="badge bg-{}-lt">{}</span>', colour, label)


@register.filter
def status_colour(value):
    """The Tabler colour name of a status (as ``badge`` uses it), for icons and dots."""
    return STATUS_COLOURS.get(value, "secondary")


@register.filter
def signed(value):
    """A whole number with its sign: '+5', '-3', '0'; '—' for nothing."""
    if value is None or value == "":
        return "—"
    return f"{int(value):+d}" if int(value) else "0"


@register.simple_tag
def tier_badge(tier, overridden=False):
    colour = TIER_COLOURS.get(tier, "secondary")
    if overridden:
        return format_html(
            '<span class="badge bg-{}-lt" title="{}">{} <i class="ti ti-hand-finger"></i></span>',
            colour,
            _("Set by hand"),
            tier,
        )
    return format_html('<span class="badge bg-{}-lt">{}</span>', colour, tier)


@register.simple_tag(takes_context=True)
def sort_link(context, key, label):
    """A column header that sorts by ``key`` and flips direction on a second click."""
    request = context["request"]
    current = request.GET.get("sort", "name")
    query = request.GET.copy()
    query.pop("page", None)
    icon = ""
    if current == key:
        query["sort"] = f"-{key}"
        icon = "ti-chevron-up"
    elif current == f"-{key}":
        query["sort"] = key
        icon = "ti-chevron-down"
    else:
        query["sort"] = key
    return format_html(
        '<a href="?{}" class="cf-sort" hx-get="?{}" hx-target="#client-table" hx-push-url="true">'
        '{} <i class="ti {}"></i></a>',
        query.urlencode(),
        query.urlencode(),
        label,
        icon,
    )


@register.filter(name="markdown")
def markdown_filter(text):
    """Markdown rendered and sanitised (see ``clientfolio.core.markdown``)."""
    from clientfolio.core.markdown import render_markdown

    return render_markdown(text or "")


@register.filter
def isodate(value):
    return value.isoformat() if value else "—"
