"""comments.services: posting (sanitised Markdown, @mentions of the team only, files as
project documents), the author's edit window, deletion that leaves a trace, the events
a comment publishes, and records the user cannot see."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from clientfolio.comments import services
from clientfolio.comments.models import Comment
from clientfolio.core.locking import StaleVersion
from clientfolio.core.models import Event
from clientfolio.documents.models import Document
from clientfolio.projects.models import Membership
from tests.comments.factories import CommentFactory
from tests.documents.factories import PNG, upload

NOON = datetime.datetime(2026, 10, 9, 12, 0, tzinfo=datetime.UTC)


def comment_events(kind=None):
    events = Event.objects.filter(kind__startswith="comment.").order_by("pk")
    return list(events.filter(kind=kind) if kind else events)


# --- Markdown and mentions ------------------------------------------------------------


def test_markdown_is_rendered_and_script_is_sanitised_away(task, member):
    # when a member posts Markdown with a script tag and a javascript: link
    comment = services.add_comment(
        member,
        task,
        "**接口**已更新 <script>alert('x')</script> [点我](javascript:alert(1)) "
        "[文档](https://example.com/doc)",
    )

    # then the HTML keeps the emphasis and the web link, and nothing that could run
    assert "<strong>接口</strong>" in comment.body_html
    assert "<script" not in comment.body_html
    assert 'href="javascript' not in comment.body_html
    assert 'href="https://example.com/doc" rel="noopener noreferrer nofollow"' in (
        comment.body_html
    )
    # and the Markdown itself is kept as written
    assert "<script>" in comment.body


def test_a_mention_of_a_team_member_is_marked_and_remembered(task, member, viewer):
    comment = services.add_comment(member, task, "@viewer 请看一下接口文档")

    assert list(comment.mentions.all()) == [viewer]
    assert '<span class="cf-mention">@viewer</span>' in comment.body_html


def test_a_member_is_mentioned_by_their_displayed_name_too(task, member, viewer):
    # 访客只读 is the viewer's displayed name; Chinese text may follow it directly
    comment = services.add_comment(member, task, "@访客只读请确认")

    assert list(comment.mentions.all()) == [viewer]
    assert '<span class="cf-mention">@访客只读</span>请确认' in comment.body_html


def test_a_mention_of_someone_outside_the_team_saves_nothing(task, member, staff):
    # given staff, who is not on the project team
    # when a member mentions them
    with pytest.raises(services.CommentError) as refused:
        services.add_comment(member, task, "@staff 你也看看")

    # then the message names them and says why, and nothing is saved
    assert "@staff is not on the project team" in refused.value.text
    assert "Nothing was saved" in refused.value.text
    assert refused.value.field == "body"
    assert not Comment.objects.exists()
    assert not comment_events()


def test_a_name_nobody_has_is_refused(task, member):
    with pytest.raises(services.CommentError, match="@nobody is not on the project"):
        services.add_comment(member, task, "@nobody 在吗")


def test_a_deactivated_team_member_cannot_be_mentioned(task, member, viewer):
    viewer.is_active = False
    viewer.save()

    with pytest.raises(services.CommentError, match="cannot read the comments"):
        services.add_comment(member, task, "@viewer 请看")
    assert not Comment.objects.exists()


def test_a_name_two_people_share_must_be_picked_by_username(
    task, member, project, django_user_model
):
    # given two team members both displayed as 李娜
    for username in ("li.na", "li.na2"):
        user = django_user_model.objects.create_user(
            username, first_name="娜", last_name="李", role="staff"
        )
        Membership.objects.create(project=project, user=user, role="member")

    # then the displayed name is ambiguous, the username is not
    with pytest.raises(services.CommentError, match="more than one person"):
        services.add_comment(member, task, "@李娜 请看")
    comment = services.add_comment(member, task, "@li.na2 请看")
    assert [u.username for u in comment.mentions.all()] == ["li.na2"]


def test_a_mention_in_code_is_only_text(task, member):
    comment = services.add_comment(member, task, "配置项写作 `@staff`")

    assert not comment.mentions.exists()
    assert "cf-mention" not in comment.body_html


def test_an_empty_comment_is_refused(task, member):
    with pytest.raises(services.CommentError, match="Write a comment first"):
        services.add_comment(member, task, "   \n ")


# --- who may comment on what ------------------------------------------------------------


def test_a_record_the_user_cannot_see_is_not_found(task, staff, foreign_task, member):
    # staff is on no project; the member is not on the foreign task's project
    with pytest.raises(services.TargetNotFound):
        services.add_comment(staff, task, "我能看到吗")
    with pytest.raises(services.TargetNotFound):
        services.add_comment(member, foreign_task, "我能看到吗")
    with pytest.raises(services.TargetNotFound):
        services.find_target(member, "schedule.task", foreign_task.pk)
    with pytest.raises(services.TargetNotFound):
        services.find_target(member, "core.user", member.pk)
    assert not Comment.objects.exists()


def test_a_viewer_reads_but_may_not_comment(task, viewer):
    with pytest.raises(services.CommentRefused):
        services.add_comment(viewer, task, "我只是看看")
    assert not Comment.objects.exists()


def test_every_kind_of_record_takes_comments(records, member):
    for label, record in records.items():
        comment = services.add_comment(member, record, f"关于{record}")
        assert (comment.target_type, comment.target_id) == (label, record.pk)
        assert comment.project_id == record.project_id
        assert services.target_of(comment) == record


def test_the_mention_suggestions_are_the_active_team(project, member, viewer, staff):
    assert list(services.mentionable(project, "成员")) == [member]
    assert set(services.mentionable(project)) == {
        project.manager,
        member,
        viewer,
    }
    assert staff not in services.mentionable(project, "staff")


# --- attachments --------------------------------------------------------------------------


def test_attached_files_become_documents_of_the_project(task, member, project):
    comment = services.add_comment(
        member, task, "附上接口文档", files=[upload("接口文档.pdf")]
    )

    document = comment.attachments.get()
    assert document.project == project
    assert document.title.startswith("接口文档")
    assert document.folder.template.name_en == "Technical"
    assert document.current_version.uploaded_by == member


def test_a_file_that_is_not_what_it_says_saves_nothing(task, member):
    # a PNG named .pdf: checked by content like every upload
    with pytest.raises(services.CommentError) as refused:
        services.add_comment(
            member, task, "附件", files=[upload("报告.pdf", PNG, "image/png")]
        )

    assert refused.value.field == "attachment_files"
    assert not Comment.objects.exists()
    assert not Document.objects.exists()


# --- editing within the window ------------------------------------------------------------


def test_the_author_edits_within_the_window(task, member, settings):
    settings.COMMENT_EDIT_MINUTES = 15
    with time_machine.travel(NOON, tick=False):
        comment = CommentFactory(target=task, author=member, body="初稿")
    with time_machine.travel(NOON + datetime.timedelta(minutes=14), tick=False):
        services.edit_comment(member, comment, "**定稿**", comment.version)

    comment.refresh_from_db()
    assert comment.body == "**定稿**"
    assert "<strong>定稿</strong>" in comment.body_html
    assert comment.edited_at == NOON + datetime.timedelta(minutes=14)
    assert comment.version == 2


def test_after_the_window_the_comment_stays_as_it_was(task, member, settings):
    settings.COMMENT_EDIT_MINUTES = 15
    with time_machine.travel(NOON, tick=False):
        comment = CommentFactory(target=task, author=member, body="初稿")
    with (
        time_machine.travel(NOON + datetime.timedelta(minutes=16), tick=False),
        pytest.raises(services.CommentRefused, match="15 minutes"),
    ):
        services.edit_comment(member, comment, "改了", comment.version)

    comment.refresh_from_db()
    assert comment.body == "初稿"
    assert comment.edited_at is None


def test_only_the_author_edits(task, member, project_manager):
    comment = CommentFactory(target=task, author=member)

    with pytest.raises(services.CommentRefused, match="Only its author"):
        services.edit_comment(project_manager, comment, "改了", comment.version)


def test_a_stale_edit_is_refused(task, member):
    comment = CommentFactory(target=task, author=member, body="初稿")
    services.edit_comment(member, comment, "第二稿", 1)

    with pytest.raises(StaleVersion):
        services.edit_comment(member, Comment.objects.get(), "第三稿", 1)
    assert Comment.objects.get().body == "第二稿"


def test_an_edit_with_a_mention_of_an_outsider_saves_nothing(task, member, staff):
    comment = CommentFactory(target=task, author=member, body="初稿")

    with pytest.raises(services.CommentError, match="@staff"):
        services.edit_comment(member, comment, "@staff 看看", comment.version)
    comment.refresh_from_db()
    assert (comment.body, comment.version) == ("初稿", 1)


# --- deleting leaves a trace ----------------------------------------------------------------


def test_a_deleted_comment_leaves_who_deleted_it_and_when(
    task, member, project_manager, viewer
):
    comment = CommentFactory(
        target=task, author=member, body="@viewer 旧的说法", files=[upload()]
    )
    with time_machine.travel(NOON, tick=False):
        services.delete_comment(project_manager, comment)

    comment.refresh_from_db()
    assert comment.is_deleted
    assert comment.deleted_by == project_manager
    assert comment.deleted_at == NOON
    assert (comment.body, comment.body_html) == ("", "")
    assert not comment.mentions.exists()
    assert not comment.attachments.exists()
    # the file stays a document of the project
    assert Document.objects.filter(project=task.project).count() == 1
    # and the history keeps what it said
    assert [h.body for h in comment.history.order_by("history_id")] == [
        "@viewer 旧的说法",
        "",
    ]


def test_the_author_deletes_their_own_but_not_anothers(task, member, project_manager):
    theirs = CommentFactory(target=task, author=project_manager)
    mine = CommentFactory(target=task, author=member)

    with pytest.raises(services.CommentRefused):
        services.delete_comment(member, theirs)
    services.delete_comment(member, mine)

    assert Comment.objects.get(pk=mine.pk).is_deleted
    assert not Comment.objects.get(pk=theirs.pk).is_deleted


def test_a_deleted_comment_cannot_be_edited(task, member):
    comment = services.delete_comment(
        member, CommentFactory(target=task, author=member)
    )

    with pytest.raises(services.CommentError, match="deleted"):
        services.edit_comment(member, comment, "复活", comment.version)


# --- events ---------------------------------------------------------------------------------


def test_a_comment_publishes_added_and_one_mentioned_per_person(
    task, member, viewer, project_manager, django_capture_on_commit_callbacks
):
    # when the member mentions the viewer, the manager and themselves
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.add_comment(
            member, task, "@viewer @pm 请评审接口文档，@member 已自查"
        )

    # then comment.added is published once, for the task, to its followers
    added = comment_events("comment.added")
    assert [(e.target_type, e.target_id, e.actor_id) for e in added] == [
        ("schedule.task", task.pk, member.pk)
    ]
    assert added[0].recipient_ids == []
    assert added[0].project_id == task.project_id
    assert added[0].key == f"comment.added:{comment.pk}"
    assert added[0].data == {
        "title": str(task),
        "comment_id": comment.pk,
        "excerpt": "@viewer @pm 请评审接口文档，@member 已自查",
    }
    # and comment.mentioned once per person mentioned, but not the author
    mentioned = comment_events("comment.mentioned")
    assert sorted((e.recipient_ids, e.key) for e in mentioned) == sorted(
        [
            ([viewer.pk], f"comment.mentioned:{comment.pk}:{viewer.pk}"),
            (
                [project_manager.pk],
                f"comment.mentioned:{comment.pk}:{project_manager.pk}",
            ),
        ]
    )
    assert all(e.target_id == task.pk and e.actor_id == member.pk for e in mentioned)
    # and each was handed to the handlers once the transaction committed
    assert all(event.delivered_at for event in comment_events())


def test_an_edit_tells_only_the_newly_mentioned(
    task, member, viewer, project_manager, django_capture_on_commit_callbacks
):
    comment = CommentFactory(target=task, author=member, body="@viewer 请看")

    with django_capture_on_commit_callbacks(execute=True):
        services.edit_comment(member, comment, "@viewer @pm 请看", comment.version)
        # mentioning the viewer again, after dropping them, tells nobody twice
        services.edit_comment(member, comment, "@pm 请看", comment.version)
        services.edit_comment(member, comment, "@viewer @pm 请看", comment.version)

    assert len(comment_events("comment.added")) == 1
    assert [e.recipient_ids for e in comment_events("comment.mentioned")] == [
        [viewer.pk],
        [project_manager.pk],
    ]


def test_a_long_comment_publishes_an_excerpt(task, member):
    comment = services.add_comment(member, task, "很长的评论 " * 100)

    excerpt = comment_events("comment.added")[0].data["excerpt"]
    assert len(excerpt) == services.EXCERPT
    assert excerpt.endswith("…")
    assert comment.body.startswith(excerpt[:-1])


def test_a_refused_comment_publishes_nothing(task, viewer, member, staff):
    for user, body in ((viewer, "看看"), (member, "@staff 看看")):
        with pytest.raises((services.CommentRefused, services.CommentError)):
            services.add_comment(user, task, body)
    assert not comment_events()


def test_the_edit_window_is_counted_from_posting(task, member, settings):
    settings.COMMENT_EDIT_MINUTES = 30
    comment = CommentFactory(target=task, author=member)

    assert comment.editable_until == comment.created_at + datetime.timedelta(minutes=30)
    assert services.can_edit(member, comment)
    assert not services.can_edit(
        member, comment, now=timezone.now() + datetime.timedelta(minutes=31)
    )


def test_the_comments_of_a_record_that_is_gone_are_not_found(task, member):
    comment = CommentFactory(target=task, author=member)
    type(task).objects.filter(pk=task.pk).delete()

    with pytest.raises(services.TargetNotFound):
        services.target_of(comment)
