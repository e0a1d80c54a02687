"""The comments API: listing a record's comments (scoped: another project's record has
none), posting (mentions of the team only, files as documents, a record the user cannot
see refused), editing with a version (409 when stale, the author within the window),
deleting with a trace, and a fixed number of queries per page."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from clientfolio.comments.models import Comment
from clientfolio.core.models import Event
from clientfolio.documents.models import Document
from tests.comments.factories import CommentFactory
from tests.documents.factories import upload
from tests.schedule.factories import TaskFactory

LIST = reverse("comment-list")
NOON = datetime.datetime(2026, 10, 9, 12, 0, tzinfo=datetime.UTC)


def detail(comment):
    return reverse("comment-detail", kwargs={"pk": comment.pk})


def on(record, label):
    return {"target_type": label, "target_id": record.pk}


def test_a_records_comments_are_listed_oldest_first(
    task, risk, member, project_manager, viewer, api_as
):
    first = CommentFactory(target=task, author=member, body="@viewer 请看 **接口**")
    second = CommentFactory(target=task, author=project_manager, body="收到")
    CommentFactory(target=risk, author=member, body="风险上的评论")

    response = api_as("viewer").get(LIST, on(task, "schedule.task"))

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [first.pk, second.pk]
    assert rows[0]["author_name"] == "团队成员"
    assert rows[0]["mentions"] == [viewer.pk]
    assert "<strong>接口</strong>" in rows[0]["body_html"]
    assert rows[0]["is_deleted"] is False
    assert rows[0]["editable_until"]


def test_another_projects_record_has_no_comments_for_an_outsider(task, member, api_as):
    CommentFactory(target=task, author=member, body="团队内部讨论")

    response = api_as("staff").get(LIST, on(task, "schedule.task"))

    assert response.status_code == 200
    assert response.json()["results"] == []
    assert api_as("staff").get(detail(Comment.objects.get())).status_code == 404


def test_an_unknown_kind_of_record_is_a_field_error(api_as, project):
    response = api_as("member").get(LIST, on(project, "projects.project"))

    assert response.status_code == 400
    assert "target_type" in response.json()


@pytest.mark.parametrize("rows", [1, 6])
def test_the_list_takes_the_same_queries_for_1_and_6_comments(
    task, member, api_as, rows, django_assert_num_queries
):
    for n in range(rows):
        CommentFactory(
            target=task, author=member, body=f"@pm 第{n}条", files=[upload(f"{n}.pdf")]
        )
    client = api_as("member")

    with django_assert_num_queries(6):
        response = client.get(LIST, on(task, "schedule.task"))

    assert len(response.json()["results"]) == rows
    assert all(len(row["attachments"]) == 1 for row in response.json()["results"])


def test_comments_of_a_deleted_task_are_no_longer_listed(task, member, api_as):
    from clientfolio.schedule import services as schedule

    gone = CommentFactory(target=task, author=member, body="任务删掉前的评论")
    other = TaskFactory(project=task.project, name="保留的任务")
    kept = CommentFactory(target=other, author=member, body="还在的评论")
    task_id = task.pk
    schedule.delete_task(task)
    client = api_as("member")

    everything = client.get(LIST)
    by_record = client.get(LIST, {"target_type": "schedule.task", "target_id": task_id})

    assert everything.status_code == by_record.status_code == 200
    assert [row["id"] for row in everything.json()["results"]] == [kept.pk]
    assert by_record.json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }
    assert client.get(detail(gone)).status_code == 404
    assert client.get(detail(kept)).status_code == 200


@pytest.mark.parametrize(
    "label",
    [
        "schedule.task",
        "projects.changerequest",
        "risks.risk",
        "risks.issue",
        "projects.projectrequirement",
        "quality.deliverable",
    ],
)
def test_no_kind_of_record_leaves_its_comments_listed_once_gone(
    records, member, api_as, label
):
    comments = {
        name: CommentFactory(target=record, author=member, body=f"关于{name}")
        for name, record in records.items()
    }
    record = records[label]
    type(record)._default_manager.filter(pk=record.pk).delete()

    response = api_as("member").get(LIST)

    assert response.status_code == 200
    listed = {row["id"] for row in response.json()["results"]}
    assert listed == {c.pk for name, c in comments.items() if name != label}
    assert comments[label].pk not in listed
    assert Comment.objects.filter(pk=comments[label].pk).exists()  # the row stays


def test_posting_a_comment_with_a_file(task, api_as, project_manager):
    response = api_as("member").post(
        LIST,
        {
            **on(task, "schedule.task"),
            "body": "@pm 附上接口文档",
            "attachment_files": [upload("接口文档.pdf")],
        },
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["mentions"] == [project_manager.pk]
    assert body["attachments"][0]["file_name"] == "接口文档.pdf"
    assert body["attachments"][0]["download_url"].startswith("/api/v1/")
    assert Document.objects.get().project == task.project


def test_a_mention_of_an_outsider_is_a_field_error_and_nothing_is_saved(
    task, api_as, staff
):
    response = api_as("member").post(
        LIST, {**on(task, "schedule.task"), "body": "@staff 看看"}, format="json"
    )

    assert response.status_code == 400
    assert "@staff is not on the project team" in response.json()["body"][0]
    assert not Comment.objects.exists()
    assert not Event.objects.filter(kind__startswith="comment.").exists()


def test_a_record_the_user_cannot_see_is_refused_as_unknown(foreign_task, api_as):
    response = api_as("member").post(
        LIST, {**on(foreign_task, "schedule.task"), "body": "看得到吗"}, format="json"
    )

    assert response.status_code == 400
    assert "does not exist" in response.json()["target_id"][0]
    assert not Comment.objects.exists()


def test_a_viewer_cannot_post(task, api_as):
    response = api_as("viewer").post(
        LIST, {**on(task, "schedule.task"), "body": "我也说"}, format="json"
    )

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_bad_input_names_its_fields(api_as):
    response = api_as("member").post(
        LIST, {"target_type": "core.user", "target_id": 0, "body": ""}, format="json"
    )

    assert response.status_code == 400
    assert {"target_type", "target_id", "body"} <= set(response.json())


def test_the_author_edits_with_the_version(task, member, api_as, viewer):
    comment = CommentFactory(target=task, author=member, body="初稿")

    response = api_as("member").patch(
        detail(comment), {"body": "定稿 @viewer", "version": 1}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response.json()["mentions"] == [viewer.pk]
    assert response.json()["edited_at"]


def test_a_stale_edit_is_409_and_changes_nothing(task, member, api_as):
    comment = CommentFactory(target=task, author=member, body="初稿")
    client = api_as("member")
    client.patch(detail(comment), {"body": "第二稿", "version": 1}, format="json")

    response = client.patch(
        detail(comment), {"body": "第三稿", "version": 1}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert Comment.objects.get().body == "第二稿"


def test_an_edit_needs_a_version(task, member, api_as):
    comment = CommentFactory(target=task, author=member)

    response = api_as("member").patch(detail(comment), {"body": "改"}, format="json")

    assert response.status_code == 400
    assert "version" in response.json()


def test_only_the_author_edits_and_only_within_the_window(
    task, member, api_as, settings
):
    settings.COMMENT_EDIT_MINUTES = 15
    with time_machine.travel(NOON, tick=False):
        comment = CommentFactory(target=task, author=member, body="初稿")
    body = {"body": "改了", "version": 1}

    with time_machine.travel(NOON + datetime.timedelta(minutes=5), tick=False):
        by_manager = api_as("project_manager").patch(
            detail(comment), body, format="json"
        )
        by_viewer = api_as("viewer").patch(detail(comment), body, format="json")
    with time_machine.travel(NOON + datetime.timedelta(minutes=16), tick=False):
        too_late = api_as("member").patch(detail(comment), body, format="json")

    assert by_manager.status_code == 403
    assert by_viewer.status_code == 403
    assert too_late.status_code == 403
    assert "15 minutes" in too_late.json()["detail"]
    assert Comment.objects.get().body == "初稿"


def test_put_is_not_offered(task, member, api_as):
    comment = CommentFactory(target=task, author=member)

    response = api_as("member").put(detail(comment), {"body": "改", "version": 1})

    assert response.status_code == 405


def test_deleting_keeps_the_trace(task, member, api_as):
    comment = CommentFactory(target=task, author=member, body="说错了")
    client = api_as("member")

    response = client.delete(detail(comment))
    trace = client.get(detail(comment)).json()

    assert response.status_code == 204
    assert trace["is_deleted"] is True
    assert trace["body"] == ""
    assert trace["deleted_by_name"] == "团队成员"
    assert trace["deleted_at"]
    assert trace["editable_until"] is None


def test_others_cannot_delete_but_the_manager_can(
    task, member, project_manager, api_as
):
    comment = CommentFactory(target=task, author=project_manager, body="经理的话")
    mine = CommentFactory(target=task, author=member, body="成员的话")

    assert api_as("member").delete(detail(comment)).status_code == 403
    assert api_as("viewer").delete(detail(mine)).status_code == 403
    assert api_as("project_manager").delete(detail(mine)).status_code == 204
    assert [c.is_deleted for c in Comment.objects.order_by("pk")] == [False, True]
