"""``{% finance_subnav %}``: the links of a project's finance pages (Overview · Budget ·
Expenses · Time · Invoices · Rates) the user may open."""

from django import template

from clientfolio.finance.views.costs_common import finance_sections

register = template.Library()


@register.simple_tag(takes_context=True)
def finance_subnav(context):
    request = context.get("request")
    project = context.get("project")
    if request is None or project is None:
        return []
    current = getattr(request.resolver_match, "view_name", "") or ""
    return finance_sections(request.user, project, current)


@register.filter
def hours(value):
    """Hours without trailing zeros: 8, 7.5, 0.25; empty for nothing."""
    if value is None or value == "":
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
