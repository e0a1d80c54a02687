"""Small risk blocks other pages include: overdue reviews in a project's overview and the
"Risks to review" card of My work. One query each; nothing shown to roles that may not
see risks."""

from typing import Any

from django import template
from django.utils import timezone

from clientfolio.core.permissions import Action, can, scope
from clientfolio.risks.models import Risk

register = template.Library()

LIMIT = 10


@register.inclusion_tag("risks/partials/overdue_project.html", takes_context=True)
def overdue_risks(context, project) -> dict[str, Any]:
    """Open risks of ``project`` past their review date (for the folder overview)."""
    user = context["request"].user
    if not can(user, Action.VIEW, Risk, project=project):
        return {"risks": [], "project": project}
    risks = list(
        Risk.objects.filter(project=project)
        .review_overdue(timezone.localdate())
        .select_related("owner")
        .order_by("review_on", "id")[: LIMIT + 1]
    )
    return {"risks": risks[:LIMIT], "more": len(risks) > LIMIT, "project": project}


@register.inclusion_tag("risks/partials/my_reviews.html", takes_context=True)
def risks_to_review(context) -> dict[str, Any]:
    """The signed-in user's own open risks past their review date, in every project."""
    user = context["request"].user
    if not can(user, Action.VIEW, Risk):
        return {"risks": None}
    risks = list(
        scope(user, Risk.objects.review_overdue(timezone.localdate()))
        .filter(owner_id=user.pk)
        .select_related("project")
        .order_by("review_on", "id")[:LIMIT]
    )
    return {"risks": risks}
