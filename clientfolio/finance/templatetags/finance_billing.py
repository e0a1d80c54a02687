"""``{% finance_alerts project %}``: the project's finance alerts on the folder overview
(spending above 90 % of a budget, CPI below 0.9), for people who may see its finance."""

from django import template

from clientfolio.core.permissions import Action, can
from clientfolio.finance import report

register = template.Library()


@register.inclusion_tag("finance/overview_alerts.html", takes_context=True)
def finance_alerts(context, project):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can(
        user, Action.VIEW, "finance.budgetline", project=project
    ):
        return {"alerts": [], "project": project}
    alerts = report.alerts(project)
    level = "danger" if any(a.level == "danger" for a in alerts) else "warning"
    return {"alerts": alerts, "level": level, "project": project}
