"""The comment pages: a record's thread (read, post), editing and deleting a comment, and
the people the comment box suggests after ``@``.

Each answers htmx with the thread fragment (``comments/partials/thread.html``) that the
record's own page includes, and a plain request with the thread's page or a redirect to
the record, so the box also works without JavaScript. Outside the user's projects
everything is 404; a refused action is 403 (htmx: the thread with the reason).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.comments import mentions, services, targets
from clientfolio.comments.forms import CommentEditForm, CommentForm
from clientfolio.comments.models import Comment
from clientfolio.comments.thread import thread_context
from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action, scope
from clientfolio.projects.folder import FolderMixin

__all__ = ["CommentDeleteView", "CommentEditView", "MentionsView", "ThreadView"]

SUGGESTIONS = 10


class _CommentsMixin(FolderMixin):
    folder_model = "comments.comment"

    def get_target(self, target_type: str, target_id: int):
        target = services.find_target(self.request.user, target_type, target_id)
        if target.project_id != self.project.pk:  # type: ignore[attr-defined]
            raise Http404
        target.project = self.project  # type: ignore[attr-defined]
        return target

    def get_comment(self, comment_pk: int) -> Comment:
        comment = get_object_or_404(
            scope(self.request.user, Comment.objects.filter(project=self.project)),
            pk=comment_pk,
        )
        comment.project = self.project
        return comment

    def target_of(self, comment: Comment):
        target = services.target_of(comment)
        target.project = self.project  # type: ignore[attr-defined]
        return target

    def partial(self) -> bool:
        """Whether htmx asks for the thread alone (not when it restores history)."""
        htmx = self.request.htmx  # type: ignore[attr-defined]
        return bool(htmx and not htmx.history_restore_request)

    def thread(self, target, status: int = 200, **kwargs):
        context = thread_context(self.request, target, self.project, **kwargs)
        if self.partial():
            template = "comments/partials/thread.html"
        else:
            template = "comments/thread.html"
            context = {**self.folder_context(), **context}
        response = render(self.request, template, context, status=status)
        # Same URL, fragment or page: the browser cache must not mix them up.
        patch_vary_headers(response, ["HX-Request"])
        return response

    def refused(self, target, error: services.CommentRefused, **kwargs):
        # A plain request gets the 403 page: the folder's header would name the client.
        if not self.partial():
            raise PermissionDenied(error.text)
        return self.thread(target, 403, notice=error.text, **kwargs)

    def done(self, comment: Comment, target, message: str):
        if self.partial():
            return self.thread(target)
        messages.success(self.request, message)
        return redirect(f"{targets.detail_url(target)}#comment-{comment.pk}")


class ThreadView(_CommentsMixin, View):
    """A record's comments (GET) and a new comment on it (POST, with files)."""

    def get(self, request, pk, target_type, target_id):
        return self.thread(self.get_target(target_type, target_id))

    def post(self, request, pk, target_type, target_id):
        target = self.get_target(target_type, target_id)
        form = CommentForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.thread(target, 400, form=form)
        try:
            comment = services.add_comment(
                request.user,
                target,
                form.cleaned_data["body"],
                files=form.cleaned_data.get("attachment_files") or [],
            )
        except services.CommentRefused as error:
            return self.refused(target, error, form=form)
        except services.CommentError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.text
            )
            return self.thread(target, 400, form=form)
        return self.done(comment, target, _("Comment posted."))


class CommentEditView(_CommentsMixin, View):
    """The author's edit box for a comment (GET) and saving it (POST), within the
    window; a stale version is 409 with the author's text kept."""

    def get(self, request, pk, comment_pk):
        comment = self.get_comment(comment_pk)
        target = self.target_of(comment)
        refusal = services.powers(request.user, self.project).edit_refusal(comment)
        if refusal is not None:
            return self.refused(target, services.CommentRefused(refusal))
        return self.thread(target, editing=comment.pk)

    def post(self, request, pk, comment_pk):
        comment = self.get_comment(comment_pk)
        target = self.target_of(comment)
        form = CommentEditForm(request.POST)
        if not form.is_valid():
            return self.thread(target, 400, editing=comment.pk, edit_form=form)
        try:
            services.edit_comment(
                request.user,
                comment,
                form.cleaned_data["body"],
                form.cleaned_data.get("version"),
            )
        except StaleVersion as stale:
            # The author's text stays in the box, now based on the stored version, so
            # saving again is an explicit choice; the stored text is shown above it.
            data = request.POST.copy()
            data["version"] = getattr(stale.current, "version", "")
            return self.thread(
                target,
                409,
                editing=comment.pk,
                edit_form=CommentEditForm(data),
                conflict=stale.current or True,
            )
        except services.CommentRefused as error:
            return self.refused(target, error)
        except services.CommentError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.text
            )
            return self.thread(target, 400, editing=comment.pk, edit_form=form)
        return self.done(comment, target, _("Comment saved."))


class CommentDeleteView(_CommentsMixin, View):
    """Delete a comment (POST): its text goes, the trace of who deleted it stays."""

    def post(self, request, pk, comment_pk):
        comment = self.get_comment(comment_pk)
        target = self.target_of(comment)
        try:
            services.delete_comment(request.user, comment)
        except services.CommentRefused as error:
            return self.refused(target, error)
        return self.done(comment, target, _("Comment deleted."))


class MentionsView(_CommentsMixin, View):
    """JSON: the team members whose username or name contains ``q``, who may be
    mentioned in the project's comments (the comment box's suggestions); for those who
    may write comments."""

    folder_action = Action.ADD

    def get(self, request, pk):
        query = request.GET.get("q", "")[:50]
        people = services.mentionable(self.project, query).exclude(pk=request.user.pk)
        return JsonResponse(
            {
                "results": [
                    {
                        "username": person.username,
                        "name": str(person),
                        "insert": f"@{person.username}",
                    }
                    for person in people[: SUGGESTIONS * 2]
                    if mentions.can_name(person.username)
                ][:SUGGESTIONS]
            }
        )
