"""The notifications API: the caller's own notifications (list, read, read all), their
preferences (GET, PATCH with field errors and nothing saved) and their follows."""

import datetime as dt

import pytest

from clientfolio.core.events import Kind
from clientfolio.notifications.models import (
    EmailMode,
    Follow,
    Notification,
    NotificationSettings,
    Preference,
)
from tests.schedule.factories import TaskFactory

PREFERENCES = "/api/v1/notification-preferences/"


@pytest.fixture
def told(publish, task, project_manager, member):
    """Two notifications of the member: the manager assigned them, then the task was
    rescheduled."""
    publish(Kind.TASK_ASSIGNED, task, actor=project_manager, recipients=[member])
    publish(
        Kind.TASK_RESCHEDULED,
        task,
        actor=project_manager,
        recipients=[member],
        data={
            "title": str(task),
            "old_start": "2026-03-02",
            "old_finish": "2026-03-06",
            "new_start": "2026-03-09",
            "new_finish": "2026-03-13",
        },
    )
    return list(Notification.objects.filter(user=member).order_by("created_at", "pk"))


# --- notifications ----------------------------------------------------------------


def test_the_list_holds_the_callers_notifications_newest_first(
    api_as, told, task, project_manager
):
    response = api_as("member").get("/api/v1/notifications/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assigned = body["results"][1]
    assert [row["id"] for row in body["results"]] == [told[1].pk, told[0].pk]
    assert assigned["kind"] == "task.assigned"
    assert assigned["kind_label"] == "Assigned to a task"
    assert assigned["title"] == f"{project_manager} assigned you to {task}"
    assert assigned["object_name"] == str(task)
    assert assigned["project_name"] == f"{task.project.code} {task.project.name}"
    assert (assigned["target_type"], assigned["target_id"]) == (
        "schedule.task",
        task.pk,
    )
    assert assigned["web_url"] == f"/notifications/{told[0].pk}/"
    assert assigned["is_unread"] is True
    assert assigned["read_at"] is None


def test_the_list_takes_the_same_queries_for_2_and_20(
    api_as, publish, told, task, project_manager, member, django_assert_num_queries
):
    http = api_as("member")
    # session, user, count, page, the projects of the page
    with django_assert_num_queries(5):
        assert http.get("/api/v1/notifications/").json()["count"] == 2
    for i in range(18):
        publish(
            Kind.COMMENT_MENTIONED,
            TaskFactory(project=task.project, name=f"任务{i}"),
            actor=project_manager,
            recipients=[member],
            data={"title": f"任务{i}", "comment_id": i + 1, "excerpt": "请看"},
        )
    with django_assert_num_queries(5):
        assert http.get("/api/v1/notifications/").json()["count"] == 20


def test_unread_true_lists_only_the_unread(api_as, told):
    told[0].read_at = told[0].created_at
    told[0].save()

    body = api_as("member").get("/api/v1/notifications/?unread=true").json()

    assert [row["id"] for row in body["results"]] == [told[1].pk]


@pytest.mark.parametrize("persona", ["project_manager", "admin", "viewer"])
def test_another_users_notification_does_not_exist(api_as, told, persona):
    http = api_as(persona)
    pk = told[0].pk

    assert http.get("/api/v1/notifications/").json()["count"] == 0
    assert http.get(f"/api/v1/notifications/{pk}/").status_code == 404
    assert http.post(f"/api/v1/notifications/{pk}/read/").status_code == 404
    assert http.post("/api/v1/notifications/read-all/").json() == {"marked": 0}
    assert Notification.objects.filter(read_at__isnull=False).count() == 0


def test_a_client_contact_has_no_notifications(api_as):
    http = api_as("client_user")

    assert http.get("/api/v1/notifications/").status_code == 404
    assert http.get(PREFERENCES).status_code == 404
    assert http.patch(PREFERENCES, {}, format="json").status_code == 404


def test_reading_marks_it_read_once(api_as, told):
    http = api_as("member")

    first = http.post(f"/api/v1/notifications/{told[0].pk}/read/")
    again = http.post(f"/api/v1/notifications/{told[0].pk}/read/")

    assert first.status_code == again.status_code == 200
    assert first.json()["is_unread"] is False
    assert first.json()["read_at"] == again.json()["read_at"]
    told[1].refresh_from_db()
    assert told[1].read_at is None


def test_read_all_marks_every_unread_one(api_as, told, member):
    http = api_as("member")

    assert http.post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    assert http.post("/api/v1/notifications/read-all/").json() == {"marked": 0}
    assert not Notification.objects.filter(user=member, read_at__isnull=True).exists()


def test_listing_and_reading_are_get_and_post_only(api_as, told):
    http = api_as("member")
    pk = told[0].pk

    assert http.get(f"/api/v1/notifications/{pk}/read/").status_code == 405
    # the permission layer refuses to delete or add one before the method is asked
    assert http.delete(f"/api/v1/notifications/{pk}/").status_code == 403
    assert http.post("/api/v1/notifications/", {}).status_code == 403
    assert Notification.objects.count() == 2


# --- preferences ------------------------------------------------------------------


def test_the_preferences_list_every_kind_with_its_channels(api_as, member):
    body = api_as("member").get(PREFERENCES).json()

    assert body["digest_time"] == "08:00"
    kinds = {row["kind"]: row for row in body["kinds"]}
    assert set(kinds) == {kind.value for kind in Kind}
    assert kinds["task.assigned"] == {
        "kind": "task.assigned",
        "kind_label": "Assigned to a task",
        "in_app": True,
        "email": "immediate",
    }
    assert kinds["job.finished"]["email"] == "off"


def test_a_patch_changes_only_what_it_sends(api_as, member):
    response = api_as("member").patch(
        PREFERENCES,
        {
            "digest_time": "18:30",
            "kinds": [
                {"kind": "task.assigned", "email": "digest"},
                {"kind": "comment.added", "in_app": False},
            ],
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    kinds = {row["kind"]: row for row in response.json()["kinds"]}
    assert response.json()["digest_time"] == "18:30"
    assert (kinds["task.assigned"]["in_app"], kinds["task.assigned"]["email"]) == (
        True,
        "digest",
    )
    assert (kinds["comment.added"]["in_app"], kinds["comment.added"]["email"]) == (
        False,
        "digest",
    )
    assert NotificationSettings.objects.get(user=member).digest_time == dt.time(18, 30)
    assert sorted(
        Preference.objects.filter(user=member).values_list("kind", "in_app", "email")
    ) == [
        ("comment.added", False, EmailMode.DIGEST),
        ("task.assigned", True, EmailMode.DIGEST),
    ]


@pytest.mark.parametrize("value", ["24:00", "08:15", "8 am", "-01:00", ""])
def test_a_digest_time_out_of_range_is_400_and_nothing_is_saved(api_as, member, value):
    response = api_as("member").patch(
        PREFERENCES,
        {"digest_time": value, "kinds": [{"kind": "task.assigned", "email": "off"}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "digest_time": [
            "Choose a digest time from 00:00 to 23:30, on the hour or the half hour."
        ]
    }
    assert not NotificationSettings.objects.exists()
    assert not Preference.objects.exists()


def test_an_unknown_kind_or_channel_is_400_naming_it_and_nothing_is_saved(
    api_as, member
):
    response = api_as("member").patch(
        PREFERENCES,
        {
            "digest_time": "07:00",
            "kinds": [
                {"kind": "task.assigned", "email": "off"},
                {"kind": "task.exploded", "email": "off"},
                {"kind": "risk.level_rose", "email": "weekly"},
            ],
        },
        format="json",
    )

    assert response.status_code == 400
    # the errors by the row's index
    assert response.json() == {
        "kinds": {
            "1": {"kind": ['"task.exploded" is not a valid choice.']},
            "2": {"email": ['"weekly" is not a valid choice.']},
        }
    }
    assert not NotificationSettings.objects.exists()
    assert not Preference.objects.exists()


def test_a_kind_named_twice_is_400(api_as, member):
    response = api_as("member").patch(
        PREFERENCES,
        {"kinds": [{"kind": "task.assigned"}, {"kind": "task.assigned"}]},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["kinds"]
    assert not Preference.objects.exists()


# --- follows ----------------------------------------------------------------------


def test_following_a_record_twice_is_one_follow(api_as, task, viewer):
    http = api_as("viewer")
    body = {"target_type": "schedule.task", "target_id": task.pk}

    first = http.post("/api/v1/follows/", body, format="json")
    again = http.post("/api/v1/follows/", body, format="json")

    assert first.status_code == again.status_code == 201, first.content
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["project_id"] == task.project_id
    follow = Follow.objects.get()
    assert (follow.user, follow.target_id) == (viewer, task.pk)
    listed = http.get("/api/v1/follows/").json()
    assert [row["id"] for row in listed["results"]] == [follow.pk]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        # the staff persona is not on the project: the task does not exist for them
        ({"target_type": "schedule.task"}, "target_id"),
        ({"target_type": "core.user"}, "target_type"),
    ],
)
def test_following_outside_scope_or_an_unknown_kind_is_400(api_as, task, body, field):
    response = api_as("staff").post(
        "/api/v1/follows/", {**body, "target_id": task.pk}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Follow.objects.exists()


def test_a_missing_record_and_one_outside_scope_answer_alike(api_as, task):
    http = api_as("staff")

    outside = http.post(
        "/api/v1/follows/",
        {"target_type": "schedule.task", "target_id": task.pk},
        format="json",
    ).json()
    missing = http.post(
        "/api/v1/follows/",
        {"target_type": "schedule.task", "target_id": 987654321},
        format="json",
    ).json()

    assert outside["target_id"] == [f'Invalid pk "{task.pk}" - object does not exist.']
    assert missing["target_id"] == ['Invalid pk "987654321" - object does not exist.']


def test_unfollowing_and_another_users_follow(api_as, task, viewer, member):
    mine = Follow.objects.create(
        user=viewer,
        target_type="schedule.task",
        target_id=task.pk,
        project=task.project,
    )
    theirs = Follow.objects.create(
        user=member,
        target_type="schedule.task",
        target_id=task.pk,
        project=task.project,
    )
    http = api_as("viewer")

    assert http.get(f"/api/v1/follows/{theirs.pk}/").status_code == 404
    assert http.delete(f"/api/v1/follows/{theirs.pk}/").status_code == 404
    assert http.delete(f"/api/v1/follows/{mine.pk}/").status_code == 204
    assert list(Follow.objects.values_list("user__username", flat=True)) == ["member"]
