"""What a thread of comments shows: the comments of one record, what the reader may do
with each, and the comment box. Shared by ``{% comments_for %}`` and the comment pages, so
the fragment htmx swaps in is the one the record's page includes.

Queries: two for a thread with comments (the comments with their authors, and their
attachments), one for an empty one, whatever the number of comments; the reader's
project role is asked once (and cached on the project).
"""

from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from clientfolio.comments import services, targets
from clientfolio.comments.forms import CommentEditForm, CommentForm
from clientfolio.comments.models import Comment, edit_minutes

__all__ = ["thread_context"]


def _project(target: Model, project: Any) -> Any:
    if project is not None and project.pk == target.project_id:  # type: ignore[attr-defined]
        return project
    return target.project  # type: ignore[attr-defined]


def thread_context(
    request: HttpRequest,
    target: Model,
    project: Any = None,
    *,
    form: CommentForm | None = None,
    editing: int | None = None,
    edit_form: CommentEditForm | None = None,
    notice: str = "",
    conflict: Comment | bool = False,
) -> dict[str, Any]:
    """The thread of ``target`` for the request's user. ``project`` is the page's own
    (its role cache is warm) when it is the target's. ``editing`` names the comment
    shown with ``edit_form`` (errors and the user's input kept); ``conflict`` is the
    stored comment when a stale edit was refused (409); ``notice`` is a refusal to show
    above the thread."""
    user = request.user
    project = _project(target, project)
    label = targets.label_of(target)
    powers = services.powers(user, project)
    now = timezone.now()
    comments = list(Comment.objects.on(target).for_thread())
    for comment in comments:
        comment.project = project
        comment.may_edit = powers.may_edit(comment, now)  # type: ignore[attr-defined]
        comment.may_delete = powers.may_delete(comment)  # type: ignore[attr-defined]
        # A document moved to the trash, or to another project since, is not offered.
        comment.shown_attachments = [  # type: ignore[attr-defined]
            document
            for document in comment.attachments.all()
            if document.deleted_at is None
            and document.current_version_id
            and document.project_id == project.pk
        ]
    if editing is not None and edit_form is None:
        edited = next((c for c in comments if c.pk == editing), None)
        if edited is not None:
            edit_form = CommentEditForm(
                initial={"body": edited.body, "version": edited.version}
            )
    return {
        "project": project,
        "comment_target": target,
        "comments": comments,
        "comment_count": sum(1 for c in comments if not c.is_deleted),
        "comment_powers": powers,
        "comment_form": form or CommentForm(),
        "editing": editing,
        "edit_form": edit_form,
        "edit_minutes": edit_minutes(),
        "notice": notice,
        "conflict": conflict,
        "thread_url": reverse(
            "comments:thread",
            kwargs={"pk": project.pk, "target_type": label, "target_id": target.pk},
        ),
        "mention_url": reverse("comments:mentions", kwargs={"pk": project.pk}),
        "record_url": targets.detail_url(target),
    }
