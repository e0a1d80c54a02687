"""``{% change_apply_card change %}``: on an approved change request's page, the card
that offers its project manager to apply it to the plan and the budget
(``finance:change_apply``); nothing for anyone else or any other status. The change
request page lives in projects, which may not import finance: it loads this library."""

from typing import Any

from django import template

from clientfolio.finance import change_impact
from clientfolio.projects.models import ChangeRequest

register = template.Library()


@register.inclusion_tag("finance/partials/change_apply_card.html", takes_context=True)
def change_apply_card(context, change: ChangeRequest) -> dict[str, Any]:
    request = context.get("request")
    show = (
        request is not None
        and change.status == ChangeRequest.Status.APPROVED
        and change_impact.may_apply(request.user, change.project)
    )
    return {"show": show, "change": change}
