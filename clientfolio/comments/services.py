"""Every write to comments: add (with @mentions and attachments), edit, delete.

Pages and the API call these; each asks the permission layer first and then applies the
rules only comments have: the author alone edits, within ``COMMENT_EDIT_MINUTES`` of
posting; the author or whoever may delete comments (the project manager) deletes, and a
deleted comment stays as a trace. A refused input raises ``CommentError`` (400, nothing
saved); a refused action ``CommentRefused`` (403); a record the user cannot see
``TargetNotFound`` (404, as if it did not exist).

A comment publishes ``comment.added`` (the record's followers hear of it through the
notifications, whose handler also makes the author a follower) and, to each person it
mentions for the first time, ``comment.mentioned``, keyed so that a person hears of one
comment once (``interfaces11.md`` item 5). Comments never import the notifications app.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q, Value
from django.db.models.functions import Concat
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clientfolio.comments import mentions as mention_rules
from clientfolio.comments import targets
from clientfolio.comments.models import MAX_BODY, Comment, edit_minutes
from clientfolio.core import events
from clientfolio.core.locking import save_versioned
from clientfolio.core.markdown import render_markdown
from clientfolio.core.models import User
from clientfolio.core.permissions import (
    Action,
    can,
    project_of,
    project_roles_allowed,
    scope,
)
from clientfolio.documents import services as documents
from clientfolio.documents.models import Document

__all__ = [
    "CommentError",
    "CommentRefused",
    "Powers",
    "Rendered",
    "TargetNotFound",
    "add_comment",
    "can_delete",
    "can_edit",
    "delete_comment",
    "edit_comment",
    "find_target",
    "mentionable",
    "powers",
    "render_body",
    "target_of",
]

EXCERPT = 280


class CommentError(ValidationError):
    """Refused input: a translated message and the field it concerns; nothing saved."""

    def __init__(self, message: str, field: str | None = "body") -> None:
        super().__init__({field: [message]} if field else message)
        self.field = field
        self.text = message


class CommentRefused(PermissionDenied):
    """The user may see the comment but not do this to it (403); nothing saved."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.text = message


class TargetNotFound(Http404):
    """No record of that kind and id that the user can see (answered as 404)."""


# --- targets ---------------------------------------------------------------------------


def find_target(user: Any, target_type: str, target_id: Any) -> Model:
    """The record ``target_type`` (a model label) ``target_id`` if ``user`` can see it;
    else ``TargetNotFound``, whether it is missing, out of scope or not commentable."""
    kind = targets.kind_of(str(target_type or ""))
    if kind is None or not str(target_id or "").isdigit():
        raise TargetNotFound
    queryset = kind.model._default_manager.select_related("project")  # type: ignore[attr-defined]
    target = scope(user, queryset.filter(pk=int(target_id))).first()
    if target is None:
        raise TargetNotFound
    return target


def target_of(comment: Comment) -> Model:
    """The record a comment is on; ``TargetNotFound`` once that record is gone."""
    kind = targets.KINDS[comment.target_type]
    manager = kind.model._default_manager  # type: ignore[attr-defined]
    target = manager.select_related("project").filter(pk=comment.target_id).first()
    if target is None:
        raise TargetNotFound
    return target


# --- mentions and rendering ------------------------------------------------------------


@dataclass
class Rendered:
    """A body's sanitised HTML (mentions marked) and the people it mentions."""

    html: str
    mentioned: list[User]


def _names(team: Iterable[User]) -> dict[str, User | None]:
    """Case-folded usernames and displayed names (without spaces) of the team, to the
    person. A username always names its owner (the suggestions insert it); a displayed
    name that is someone's username, or that two people share, names nobody (None)."""
    people = list(team)
    names: dict[str, User | None] = {p.username.casefold(): p for p in people}
    usernames = set(names)
    for person in people:
        display = "".join(person.get_full_name().split()).casefold()
        if not display or display in usernames:
            continue
        if display in names and names[display] is not person:
            names[display] = None
        else:
            names[display] = person
    return names


def _quoted(tokens: list[str]) -> str:
    return ", ".join(f"@{token}" for token in tokens)


def render_body(body: str, target: Model, project: Any) -> Rendered:
    """Render ``body`` (Markdown, sanitised as minutes are: ``core.markdown``) and
    resolve its @mentions among the project's team.

    Raises ``CommentError`` when a mention names nobody on the team, more than one
    person, or someone who may not read the record's comments (no longer active, or
    whose role cannot see ``target``).
    """
    markup = str(render_markdown(body))
    tokens = mention_rules.find_in_html(markup)
    if not tokens:
        return Rendered(markup, [])
    names = _names(User.objects.on_team(project))
    allowed = set(mentionable(project).values_list("pk", flat=True))
    unknown, ambiguous, blind = [], [], []
    mentioned: list[User] = []
    lengths: dict[str, int] = {}
    for token in tokens:
        found = mention_rules.match(token, names)
        if found is None:
            unknown.append(token)
            continue
        person, length = found
        if person is None:
            ambiguous.append(token)
        elif person.pk not in allowed or not can(person, Action.VIEW, target):
            blind.append(str(person))
        else:
            lengths[token.casefold()] = length
            if person not in mentioned:
                mentioned.append(person)
    if unknown:
        raise CommentError(
            ngettext(
                "%(names)s is not on the project team: only team members can be "
                "mentioned. Nothing was saved.",
                "%(names)s are not on the project team: only team members can be "
                "mentioned. Nothing was saved.",
                len(unknown),
            )
            % {"names": _quoted(unknown)}
        )
    if ambiguous:
        raise CommentError(
            _(
                "%(names)s could be more than one person: type @ and pick the person "
                "from the suggestions. Nothing was saved."
            )
            % {"names": _quoted(ambiguous)}
        )
    if blind:
        raise CommentError(
            _(
                "%(names)s cannot read the comments on this record, so cannot be "
                "mentioned. Nothing was saved."
            )
            % {"names": ", ".join(blind)}
        )
    return Rendered(mention_rules.highlight_html(markup, lengths), mentioned)


def _clean_body(body: Any) -> str:
    text = str(body or "").replace("\r\n", "\n").strip()
    if not text:
        raise CommentError(_("Write a comment first."))
    if len(text) > MAX_BODY:
        raise CommentError(
            _("A comment can have at most %(limit_value)d characters.")
            % {"limit_value": MAX_BODY}
        )
    return text


# --- rules of the author -----------------------------------------------------------------


@dataclass(frozen=True)
class Powers:
    """What one user may do with the comments of one project, asked of the permission
    layer once (a thread then decides each comment without a query)."""

    user_id: int | None
    add: bool
    change: bool
    delete_any: bool
    attach: bool

    def may_edit(self, comment: Comment, now: datetime | None = None) -> bool:
        return self.edit_refusal(comment, now) is None

    def edit_refusal(self, comment: Comment, now: datetime | None = None) -> str | None:
        """Why the user may not edit ``comment`` now, or None if they may."""
        if comment.is_deleted:
            return _("A deleted comment cannot be edited.")
        if not self.change:
            return _("Your project role does not allow this change.")
        if comment.author_id is None or comment.author_id != self.user_id:
            return _("Only its author can edit a comment.")
        if (now or timezone.now()) > comment.editable_until:
            return _(
                "A comment can be edited for %(minutes)s minutes after it is posted; "
                "this one can no longer be changed."
            ) % {"minutes": edit_minutes()}
        return None

    def may_delete(self, comment: Comment) -> bool:
        """Whoever the permission layer lets delete comments (the project manager), or
        the author while still allowed to comment."""
        if comment.is_deleted:
            return False
        if self.delete_any:
            return True
        return (
            self.add
            and comment.author_id is not None
            and (comment.author_id == self.user_id)
        )


def powers(user: Any, project: Any) -> Powers:
    """What ``user`` may do with the comments of ``project``."""
    return Powers(
        user_id=getattr(user, "pk", None),
        add=can(user, Action.ADD, Comment, project=project),
        change=can(user, Action.CHANGE, Comment, project=project),
        delete_any=can(user, Action.DELETE, Comment, project=project),
        attach=can(user, Action.ADD, "documents.document", project=project),
    )


def can_edit(user: Any, comment: Comment, now: datetime | None = None) -> bool:
    """Whether ``user`` may edit ``comment`` now: its author, still a contributor, within
    the window."""
    return powers(user, comment.project).may_edit(comment, now)


def can_delete(user: Any, comment: Comment) -> bool:
    """Whether ``user`` may delete ``comment`` (see ``Powers.may_delete``)."""
    return powers(user, comment.project).may_delete(comment)


def mentionable(project: Any, query: str = "") -> Any:
    """The active staff on ``project``'s team who may read its comments, and so may be
    mentioned, whose username or name contains ``query``; in the pickers' order."""
    people = (
        User.objects.internal()
        .active()
        .filter(
            memberships__project=project,
            memberships__role__in=project_roles_allowed(Action.VIEW, Comment),
        )
    )
    query = " ".join(str(query or "").split())
    if query:
        people = people.annotate(
            family_first=Concat("last_name", "first_name"),
            given_first=Concat("first_name", Value(" "), "last_name"),
        ).filter(
            Q(username__icontains=query)
            | Q(family_first__icontains=query)
            | Q(given_first__icontains=query)
        )
    return people.order_by("first_name", "username")


# --- writes ------------------------------------------------------------------------------


def _attach(
    comment: Comment, target: Model, files: Sequence[Any], user: Any
) -> list[Document]:
    """Store ``files`` as documents of the project and attach them to the comment.
    Raises ``CommentError`` (field ``attachment_files``); the documents service then stored
    nothing."""
    if not files:
        return []
    if not powers(user, comment.project).attach:
        raise CommentRefused(_("Your project role does not allow adding documents."))
    kind = targets.KINDS[comment.target_type]
    try:
        attached = documents.attach_files(
            comment.project,
            list(files),
            user=user,
            folder_name_en=kind.folder_name_en,
            note=_("Attached to a comment on “%(record)s”") % {"record": target},
        )
    except documents.DocumentError as error:
        raise CommentError(error.message, field="attachment_files") from error
    comment.attachments.add(*attached)
    return attached


def _event_data(comment: Comment, target: Model) -> dict[str, Any]:
    """The events' data (interfaces11.md item 1): the record's name as a snapshot, the
    comment and the start of its text."""
    excerpt = " ".join(comment.body.split())
    if len(excerpt) > EXCERPT:
        excerpt = excerpt[: EXCERPT - 1] + "…"
    return {
        "title": str(target)[:200],
        "comment_id": comment.pk,
        "excerpt": excerpt,
    }


def _announce(
    comment: Comment, target: Model, user: Any, mentioned: list[User], *, added: bool
) -> None:
    """Publish ``comment.added`` (a new comment; the notifications find the record's
    followers) and one ``comment.mentioned`` for each person in ``mentioned`` but the
    author, keyed by comment and person so that nobody hears of one comment twice."""
    data = _event_data(comment, target)
    if added:
        events.publish(
            events.Kind.COMMENT_ADDED,
            target,
            actor=user,
            project=comment.project,
            data=data,
            key=f"comment.added:{comment.pk}",
        )
    for person in mentioned:
        if person.pk == getattr(user, "pk", None):
            continue
        events.publish(
            events.Kind.COMMENT_MENTIONED,
            target,
            actor=user,
            recipients=[person],
            project=comment.project,
            data=data,
            key=f"comment.mentioned:{comment.pk}:{person.pk}",
        )


def add_comment(
    user: Any, target: Model, body: Any, *, files: Sequence[Any] = ()
) -> Comment:
    """Post a comment by ``user`` on ``target`` with the attached ``files`` (stored as
    documents of the project).

    Raises ``TargetNotFound`` when the user cannot see ``target`` (or it takes no
    comments), ``CommentRefused`` when their role may not comment, ``CommentError`` for
    an empty or long body, a mention the team does not answer to, or a refused file; in
    every case nothing is saved and no file kept.
    """
    label = targets.label_of(target)
    if targets.kind_of(label) is None or not can(user, Action.VIEW, target):
        raise TargetNotFound
    project = project_of(target)
    if not can(user, Action.ADD, Comment, project=project):
        raise CommentRefused(_("Your project role does not allow comments here."))
    text = _clean_body(body)
    rendered = render_body(text, target, project)
    attached: list[Document] = []
    try:
        with transaction.atomic():
            comment = Comment.objects.create(
                project=project,
                target_type=label,
                target_id=target.pk,
                author=user,
                body=text,
                body_html=rendered.html,
            )
            if rendered.mentioned:
                comment.mentions.set(rendered.mentioned)
            # Files last, so that nothing is refused after they were written.
            attached = _attach(comment, target, files, user)
            _announce(comment, target, user, rendered.mentioned, added=True)
    except BaseException:
        # The rows rolled back; their files must go too.
        documents.discard_files(attached)
        raise
    return comment


def edit_comment(
    user: Any, comment: Comment, body: Any, expected_version: int | None
) -> Comment:
    """Replace the comment's body if ``user`` is its author, within the window, and
    nobody saved it since ``expected_version`` (else ``StaleVersion``, 409). People
    mentioned for the first time hear of it (``comment.mentioned``); no ``comment.added``.
    Raises ``CommentRefused`` or ``CommentError``; nothing is saved then."""
    refusal = powers(user, comment.project).edit_refusal(comment)
    if refusal is not None:
        if comment.is_deleted:
            raise CommentError(refusal)
        raise CommentRefused(refusal)
    text = _clean_body(body)
    target = target_of(comment)
    rendered = render_body(text, target, comment.project)
    with transaction.atomic():
        before = set(comment.mentions.values_list("pk", flat=True))
        comment.body = text
        comment.body_html = rendered.html
        comment.edited_at = timezone.now()
        save_versioned(
            comment,
            expected_version,
            fields=["body", "body_html", "edited_at", "updated_at"],
        )
        comment.mentions.set(rendered.mentioned)
        new = [person for person in rendered.mentioned if person.pk not in before]
        _announce(comment, target, user, new, added=False)
    return comment


def delete_comment(
    user: Any, comment: Comment, expected_version: int | None = None
) -> Comment:
    """Clear the comment's text, mentions and attachments (the documents stay in the
    project) and record who deleted it and when: the thread keeps the trace. Raises
    ``CommentRefused`` unless ``can_delete``; ``StaleVersion`` when the comment was
    saved since ``expected_version``. Deleting a deleted comment changes nothing."""
    if comment.is_deleted:
        return comment
    if not can_delete(user, comment):
        raise CommentRefused(
            _("Only its author or the project manager can delete a comment.")
        )
    with transaction.atomic():
        comment.body = ""
        comment.body_html = ""
        comment.deleted_at = timezone.now()
        comment.deleted_by = user
        save_versioned(
            comment,
            expected_version,
            fields=["body", "body_html", "deleted_at", "deleted_by", "updated_at"],
        )
        comment.mentions.clear()
        comment.attachments.clear()
    return comment
