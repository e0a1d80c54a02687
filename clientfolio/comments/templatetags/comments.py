"""``{% comments_for record %}``: the thread of comments of a task, change request, risk,
issue, requirement or deliverable, with the comment box, on the record's own page.
Nothing is shown to a reader who may not read the project's comments."""

from typing import Any

from django import template

from clientfolio.comments.models import Comment
from clientfolio.comments.thread import thread_context
from clientfolio.core.permissions import Action, can

register = template.Library()


@register.inclusion_tag("comments/partials/comments_for.html", takes_context=True)
def comments_for(context, target) -> dict[str, Any]:
    """The thread of ``target``; the page's ``project`` is reused when it is the
    target's, so the reader's role is not asked again. The thread's header carries the
    notifications' follow button (one query)."""
    request = context["request"]
    page_project = context.get("project")
    project = (
        page_project
        if page_project is not None and page_project.pk == target.project_id
        else target.project
    )
    if not can(request.user, Action.VIEW, Comment, project=project):
        return {"shown": False}
    return {
        "shown": True,
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        **thread_context(request, target, project),
    }
