"""Comments on the records of a project folder, with their @mentions and attachments."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from clientfolio.comments.querysets import CommentQuerySet
from clientfolio.core.models import VersionedModel

__all__ = ["MAX_BODY", "Comment", "TargetType", "edit_minutes"]

MAX_BODY = 10000


def edit_minutes() -> int:
    """How long after posting its author may edit a comment (``COMMENT_EDIT_MINUTES``)."""
    return int(getattr(settings, "COMMENT_EDIT_MINUTES", 15))


class TargetType(models.TextChoices):
    """The records comments are allowed on, by model label."""

    TASK = "schedule.task", _("task")
    CHANGE_REQUEST = "projects.changerequest", _("change request")
    RISK = "risks.risk", _("risk")
    ISSUE = "risks.issue", _("issue")
    REQUIREMENT = "projects.projectrequirement", _("project requirement")
    DELIVERABLE = "quality.deliverable", _("deliverable")


class Comment(VersionedModel):
    """A remark on one record of a project (a task, a risk…); once deleted, only the trace
    of who deleted it and when is left.

    ``body`` is the Markdown the author wrote, ``body_html`` its sanitised rendering with
    the mentions marked (kept by ``comments.services``). The history keeps earlier
    bodies, also of deleted comments, for the audit.
    """

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    target_type = models.CharField(_("on"), max_length=40, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField(_("record"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    body = models.TextField(_("comment"), max_length=MAX_BODY, blank=True)
    body_html = models.TextField(blank=True, editable=False)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentions"),
        blank=True,
        related_name="comment_mentions",
    )
    # Files attached to a comment are documents of the project: downloads go through
    # the documents pages, so they are checked and logged like any other.
    attachments = models.ManyToManyField(
        "documents.Document",
        verbose_name=_("attachments"),
        blank=True,
        related_name="comments",
    )
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["body_html"])

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = pgettext_lazy("discussion", "comments")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["target_type", "target_id", "created_at"],
                name="comments_thread_order",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_type__in=TargetType.values),
                name="comments_comment_known_target",
            ),
            # A deleted comment keeps no text.
            models.CheckConstraint(
                condition=models.Q(deleted_at__isnull=True)
                | models.Q(body="", body_html=""),
                name="comments_comment_deleted_is_empty",
            ),
        ]

    def __str__(self) -> str:
        if self.deleted_at is not None:
            return str(_("Deleted comment"))
        text = " ".join(self.body.split())
        return text if len(text) <= 60 else text[:59] + "…"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None

    @property
    def rendered(self) -> SafeString:
        """The body as HTML for the page; sanitised when it was saved."""
        return mark_safe(self.body_html)  # noqa: S308 - nh3-sanitised by the services

    @property
    def editable_until(self) -> datetime:
        """Until when the author may edit the comment."""
        return self.created_at + timedelta(minutes=edit_minutes())
