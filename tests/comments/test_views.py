"""Comment pages: the thread on each record's page (a fixed number of queries however
many comments), posting with htmx (the thread fragment back, refusals inline with the
text kept), editing within the window, a stale edit (409), deleting with a trace, the
@mention suggestions, and records outside the user's reach (404)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from clientfolio.comments import targets
from clientfolio.comments.models import Comment
from tests.comments.factories import CommentFactory
from tests.documents.factories import PNG, upload

HTMX = {"hx-request": "true"}
NOON = datetime.datetime(2026, 10, 9, 12, 0, tzinfo=datetime.UTC)

# The queries of each record's page with a thread of comments, whatever their number:
# the page's own, the comments with their authors, their attachments and the follow
# button.
# Each with the folder's two tab counts (a first request: nothing cached yet).
PAGE_QUERIES = {
    "schedule.task": 20,
    "projects.changerequest": 14,
    "risks.risk": 17,
    "risks.issue": 14,
    "projects.projectrequirement": 12,
    "quality.deliverable": 16,
}


def thread_url(record):
    return reverse(
        "comments:thread",
        kwargs={
            "pk": record.project_id,
            "target_type": targets.label_of(record),
            "target_id": record.pk,
        },
    )


def comment_url(name, comment):
    return reverse(
        f"comments:{name}", kwargs={"pk": comment.project_id, "comment_pk": comment.pk}
    )


# --- the thread on the record's page ----------------------------------------------------


@pytest.mark.parametrize("label", list(PAGE_QUERIES))
@pytest.mark.parametrize("count", [1, 5])
def test_each_record_page_shows_its_thread_in_a_fixed_number_of_queries(
    label,
    count,
    records,
    as_persona,
    member,
    project_manager,
    django_assert_num_queries,
):
    # given a record with comments, with mentions and a file
    record = records[label]
    for n in range(count):
        CommentFactory(
            target=record,
            author=member if n % 2 else project_manager,
            body=f"第{n}条：@member 请看",
            files=[upload(f"附件{n}.pdf")] if n == 0 else (),
        )
    browser = as_persona("member")

    # when the member opens the record's page
    with django_assert_num_queries(PAGE_QUERIES[label]):
        response = browser.get(targets.detail_url(record))

    # then the thread lists every comment with its author, mentions and attachment
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="comments"' in page
    assert page.count('class="list-group-item cf-comment') == count
    assert '<span class="cf-mention">@member</span>' in page
    assert "附件0" in page
    assert 'id="comment-form"' in page
    assert 'data-mention-url="' in page
    assert "comments/comments.js" in page


def test_a_viewer_reads_the_thread_without_a_comment_box(task, member, as_persona):
    CommentFactory(target=task, author=member, body="接口文档已更新")

    page = as_persona("viewer").get(targets.detail_url(task)).content.decode()

    assert "接口文档已更新" in page
    assert 'id="comment-form"' not in page
    assert "Edit</a>" not in page


def test_the_thread_fragment_takes_a_fixed_number_of_queries(
    task, member, as_persona, django_assert_num_queries
):
    for n in range(3):
        CommentFactory(target=task, author=member, body=f"评论{n}")
    browser = as_persona("member")

    with django_assert_num_queries(8):
        response = browser.get(thread_url(task), headers=HTMX)

    assert response.status_code == 200
    assert not response.content.decode().lstrip().startswith("<!doctype")
    assert response.content.decode().count("cf-comment-body") == 3


def test_the_thread_has_a_page_of_its_own_without_htmx(task, member, as_persona):
    CommentFactory(target=task, author=member, body="接口文档已更新")

    response = as_persona("viewer").get(thread_url(task))

    assert response.status_code == 200
    assert "<!doctype html>" in response.content.decode()
    assert "接口文档已更新" in response.content.decode()


# --- posting --------------------------------------------------------------------------------


def test_posting_with_htmx_answers_with_the_thread(task, as_persona, member, viewer):
    response = as_persona("member").post(
        thread_url(task),
        {"body": "**评审**安排在周三，@viewer 请参加", "attachment_files": [upload()]},
        headers=HTMX,
    )

    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<section class="card cf-comments"')
    assert "<strong>评审</strong>" in fragment
    assert '<span class="cf-mention">@viewer</span>' in fragment
    comment = Comment.objects.get()
    assert (comment.author, list(comment.mentions.all())) == (member, [viewer])
    assert comment.attachments.count() == 1


def test_posting_without_htmx_goes_back_to_the_record(task, as_persona):
    response = as_persona("member").post(thread_url(task), {"body": "收到"})

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{targets.detail_url(task)}#comment-{comment.pk}"


def test_a_mention_of_an_outsider_is_refused_inline_with_the_text_kept(
    task, as_persona, staff
):
    response = as_persona("member").post(
        thread_url(task), {"body": "@staff 请帮忙看看"}, headers=HTMX
    )

    assert response.status_code == 400
    fragment = response.content.decode()
    assert 'id="comment-body-error"' in fragment
    assert "@staff is not on the project team" in fragment
    assert ">@staff 请帮忙看看</textarea>" in fragment
    assert not Comment.objects.exists()


def test_an_empty_comment_is_refused_inline(task, as_persona):
    response = as_persona("member").post(thread_url(task), {"body": ""}, headers=HTMX)

    assert response.status_code == 400
    assert "Write a comment first." in response.content.decode()


def test_a_disguised_file_is_refused_under_the_files(task, as_persona):
    response = as_persona("member").post(
        thread_url(task),
        {"body": "附件", "attachment_files": [upload("报告.pdf", PNG, "image/png")]},
        headers=HTMX,
    )

    assert response.status_code == 400
    assert (
        "报告.pdf: the content is not what its extension" in response.content.decode()
    )
    assert not Comment.objects.exists()


def test_a_viewer_posting_is_told_why_in_the_thread(task, as_persona):
    response = as_persona("viewer").post(
        thread_url(task), {"body": "我也说两句"}, headers=HTMX
    )

    assert response.status_code == 403
    assert 'id="comment-notice"' in response.content.decode()
    assert not Comment.objects.exists()


def test_a_record_of_another_project_is_not_found(task, foreign_task, as_persona):
    # the foreign task, asked for under the shared project's address
    url = reverse(
        "comments:thread",
        kwargs={
            "pk": task.project_id,
            "target_type": "schedule.task",
            "target_id": foreign_task.pk,
        },
    )
    browser = as_persona("member")

    assert browser.get(url).status_code == 404
    assert browser.post(url, {"body": "看得到吗"}).status_code == 404
    assert foreign_task.name not in browser.get(url).content.decode()
    assert not Comment.objects.exists()


def test_a_kind_of_record_that_takes_no_comments_is_not_found(project, as_persona):
    url = reverse(
        "comments:thread",
        kwargs={
            "pk": project.pk,
            "target_type": "projects.project",
            "target_id": project.pk,
        },
    )

    assert as_persona("member").get(url).status_code == 404


# --- editing and deleting --------------------------------------------------------------------


def test_the_author_edits_in_place_within_the_window(task, member, as_persona):
    comment = CommentFactory(target=task, author=member, body="初稿")
    browser = as_persona("member")

    box = browser.get(comment_url("comment_edit", comment), headers=HTMX)
    saved = browser.post(
        comment_url("comment_edit", comment),
        {"body": "定稿 @pm", "version": comment.version},
        headers=HTMX,
    )

    assert box.status_code == 200
    assert f'id="id_edit_body_{comment.pk}"' in box.content.decode()
    assert saved.status_code == 200
    assert '<span class="cf-mention">@pm</span>' in saved.content.decode()
    assert "edited" in saved.content.decode()
    assert Comment.objects.get().body == "定稿 @pm"


def test_after_the_window_the_edit_is_refused(task, member, as_persona, settings):
    settings.COMMENT_EDIT_MINUTES = 15
    with time_machine.travel(NOON, tick=False):
        comment = CommentFactory(target=task, author=member, body="初稿")
    browser = as_persona("member")

    with time_machine.travel(NOON + datetime.timedelta(minutes=20), tick=False):
        page = browser.get(targets.detail_url(task)).content.decode()
        response = browser.post(
            comment_url("comment_edit", comment),
            {"body": "改了", "version": comment.version},
            headers=HTMX,
        )

    assert comment_url("comment_edit", comment) not in page
    assert response.status_code == 403
    assert "can be edited for 15 minutes" in response.content.decode()
    assert Comment.objects.get().body == "初稿"


def test_someone_elses_comment_cannot_be_edited(task, project_manager, as_persona):
    comment = CommentFactory(target=task, author=project_manager, body="经理的话")

    response = as_persona("member").get(comment_url("comment_edit", comment))

    assert response.status_code == 403


def test_a_stale_edit_is_409_with_both_texts(task, member, as_persona):
    comment = CommentFactory(target=task, author=member, body="初稿")
    browser = as_persona("member")
    browser.post(
        comment_url("comment_edit", comment),
        {"body": "另一个窗口里改的", "version": 1},
        headers=HTMX,
    )

    response = browser.post(
        comment_url("comment_edit", comment),
        {"body": "我的改法", "version": 1},
        headers=HTMX,
    )

    assert response.status_code == 409
    fragment = response.content.decode()
    assert 'id="comment-conflict"' in fragment
    assert "另一个窗口里改的" in fragment
    assert ">我的改法</textarea>" in fragment
    assert 'name="version" value="2"' in fragment
    assert Comment.objects.get().body == "另一个窗口里改的"


def test_deleting_leaves_a_trace_in_the_thread(task, member, as_persona):
    comment = CommentFactory(target=task, author=member, body="说错了")

    response = as_persona("project_manager").post(
        comment_url("comment_delete", comment), headers=HTMX
    )

    assert response.status_code == 200
    fragment = response.content.decode()
    assert "Comment deleted by 项目经理 at" in fragment
    assert "说错了" not in fragment
    assert 'id="comment-count">0<' in fragment
    assert Comment.objects.get().deleted_by.username == "pm"


def test_a_member_cannot_delete_anothers_comment(task, project_manager, as_persona):
    comment = CommentFactory(target=task, author=project_manager, body="经理的话")

    response = as_persona("member").post(comment_url("comment_delete", comment))

    assert response.status_code == 403
    assert not Comment.objects.get().is_deleted


# --- the @mention suggestions ------------------------------------------------------------------


def test_the_suggestions_are_team_members_matching_what_was_typed(
    project, as_persona, member, viewer, staff
):
    url = reverse("comments:mentions", kwargs={"pk": project.pk})
    browser = as_persona("member")

    by_name = browser.get(url, {"q": "访客"}).json()["results"]
    everyone = browser.get(url, {"q": ""}).json()["results"]

    assert by_name == [{"username": "viewer", "name": "访客只读", "insert": "@viewer"}]
    # the author is not suggested, nor anyone outside the team
    assert {p["username"] for p in everyone} == {"pm", "viewer"}
    assert browser.get(url, {"q": "staff"}).json()["results"] == []


def test_those_who_cannot_comment_get_no_suggestions(project, as_persona):
    url = reverse("comments:mentions", kwargs={"pk": project.pk})

    assert as_persona("viewer").get(url).status_code == 403
    assert as_persona("staff").get(url).status_code == 404


# --- the requirement's own page ------------------------------------------------------------------


def test_a_requirement_has_a_page_with_its_thread_and_history(
    requirement, as_persona, member
):
    CommentFactory(target=requirement, author=member, body="需求已和客户确认")

    response = as_persona("viewer").get(targets.detail_url(requirement))

    assert response.status_code == 200
    page = response.content.decode()
    assert "统一身份认证" in page
    assert "需求已和客户确认" in page
    assert 'id="history"' in page
    list_page = as_persona("viewer").get(
        reverse("projects:requirement_list", args=[requirement.project_id])
    )
    assert targets.detail_url(requirement) in list_page.content.decode()
