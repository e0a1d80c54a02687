"""``{% finance_alerts project %}``: the place of the project's finance alerts on the folder
overview (spending above 90 % of a budget, CPI below 0.9), for people who may see its
finance. The alerts themselves load after the page (``finance:overview_alerts``)."""

from django import template

from clientfolio.core.permissions import Action, can

register = template.Library()


@register.inclusion_tag("finance/overview_alerts_slot.html", takes_context=True)
def finance_alerts(context, project):
    request = context.get("request")
    user = getattr(request, "user", None)
    allowed = user is not None and can(
        user, Action.VIEW, "finance.budgetline", project=project
    )
    return {"allowed": allowed, "project": project}
