"""Authorization rows of the comments app's URLs, merged into tests/test_authorization.py.

The world's comment is the member's, on the world's task. Its edit window must stay open
however long the matrix runs, so it is dated a day ahead (only the window reads it)."""

from tests.authz import (
    API,
    API_FOLDER_READ,
    FOLDER_CONTRIBUTE,
    FOLDER_CONTRIBUTE_WRITE,
    FOLDER_POST_ONLY_GET,
    FOLDER_READ,
    LOGIN,
    Rule,
    statuses,
)

# Only the author edits: the manager and administrators too are refused.
AUTHOR_ONLY = statuses(LOGIN, 404, 404, 403, pm=403, member=200, viewer=403)
AUTHOR_ONLY_WRITE = statuses(LOGIN, 404, 404, 403, pm=403, member=302, viewer=403)
# Posting through the API: outsiders name a record they cannot see (400).
API_CONTRIBUTE_CREATE = statuses(401, 403, 400, 201, pm=201, member=201, viewer=403)


def project_pk(world):
    return {"pk": world.project.pk}


def thread_kwargs(world):
    return {
        "pk": world.project.pk,
        "target_type": "schedule.task",
        "target_id": world.task.pk,
    }


def comment_pk(world):
    return {"pk": world.project.pk, "comment_pk": world.comment.pk}


RULES: dict[str, Rule] = {
    "comments:mentions": Rule(kwargs=project_pk, get=FOLDER_CONTRIBUTE, query="?q=m"),
    "comments:thread": Rule(
        kwargs=thread_kwargs,
        get=FOLDER_READ,
        post=FOLDER_CONTRIBUTE_WRITE,
        data=lambda world, persona: {"body": "接口评审安排在周三，@pm 请确认"},
    ),
    "comments:comment_edit": Rule(
        kwargs=comment_pk,
        get=AUTHOR_ONLY,
        post=AUTHOR_ONLY_WRITE,
        data=lambda world, persona: {
            "body": "接口文档已更新（改）",
            "version": world.comment.version,
        },
    ),
    "comments:comment_delete": Rule(
        kwargs=comment_pk, get=FOLDER_POST_ONLY_GET, post=FOLDER_CONTRIBUTE_WRITE
    ),
    "comment-list": Rule(
        get=API,
        post=API_CONTRIBUTE_CREATE,
        data=lambda world, persona: {
            "target_type": "schedule.task",
            "target_id": world.task.pk,
            "body": "接口提交的评论",
        },
    ),
    "comment-detail": Rule(
        kwargs=lambda world: {"pk": world.comment.pk}, get=API_FOLDER_READ
    ),
}


def world(world) -> dict:
    """The member's comment on the world's task, mentioning the manager."""
    from datetime import timedelta

    from django.utils import timezone

    from clientfolio.comments import services
    from clientfolio.comments.models import Comment

    comment = services.add_comment(world.member, world.task, "接口文档已更新，@pm 请看")
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() + timedelta(days=1)
    )
    comment.refresh_from_db()
    return {"comment": comment}


def state() -> dict:
    """The comments rows a denied request must leave untouched."""
    from clientfolio.comments.models import Comment

    return {
        "Comment": list(Comment.objects.order_by("pk").values()),
        "CommentMentions": list(
            Comment.mentions.through.objects.order_by("pk").values_list(
                "comment_id", "user_id"
            )
        ),
    }
