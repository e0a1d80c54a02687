"""Authorization rows of the notifications pages and API, merged into
tests/test_authorization.py.

Notifications are personal: a user reaches only their own (here ``staff``'s), so for
everyone else, administrators included, a notification does not exist; client contacts
have none. Following a record asks the record's scope: outside it the record does not
exist."""

from tests.authz import API, LOGIN, PAGE, Rule, statuses

OWN_PAGE_GET = statuses(
    LOGIN, 403, 302, 404, pm=404, member=404, viewer=404, accountant=404
)
OWN_WRITE = statuses(
    LOGIN, 403, 302, 404, pm=404, member=404, viewer=404, accountant=404
)
SIGNED_IN_WRITE = statuses(LOGIN, 403, 302, 302)
POST_ONLY = statuses(LOGIN, 405, 405, 405)
OWN_API = statuses(401, 403, 200, 404, pm=404, member=404, viewer=404, accountant=404)
API_POST_ONLY = statuses(401, 403, 405, 405)
# Following through the API: outside the record's scope it does not exist (400, as an
# unknown id in the body).
API_FOLLOW = statuses(
    401, 403, 400, 201, pm=201, member=201, viewer=201, accountant=201
)
FOLLOW = statuses(LOGIN, 403, 404, 302, pm=302, member=302, viewer=302, accountant=302)


def _own(world):
    return {"pk": world.staff_notification.pk}


def _task(world):
    return {"target_type": "schedule.task", "target_id": world.task.pk}


def _own_follow(world):
    return {"pk": world.staff_follow.pk}


def _follow_body(world, persona):
    return {"target_type": "schedule.task", "target_id": world.task.pk}


def _preferences(world, persona):
    from clientfolio.core.events import Kind
    from clientfolio.notifications.forms import field_name

    data = {"digest_time": "07:30"}
    for kind in Kind:
        data[field_name(kind, "in_app")] = "on"
        data[field_name(kind, "email")] = "digest"
    return data


RULES: dict[str, Rule] = {
    "notifications:list": Rule(get=PAGE),
    "notifications:bell": Rule(get=PAGE),
    "notifications:open": Rule(kwargs=_own, get=OWN_PAGE_GET),
    "notifications:mark_read": Rule(kwargs=_own, get=POST_ONLY, post=OWN_WRITE),
    "notifications:mark_all_read": Rule(get=POST_ONLY, post=SIGNED_IN_WRITE),
    "notifications:preferences": Rule(
        get=PAGE, post=SIGNED_IN_WRITE, data=_preferences
    ),
    "notifications:follow": Rule(kwargs=_task, get=POST_ONLY, post=FOLLOW),
    "notification-list": Rule(get=API),
    "notification-detail": Rule(kwargs=_own, get=OWN_API),
    "notification-read": Rule(kwargs=_own, get=API_POST_ONLY, post=OWN_API),
    "notification-read-all": Rule(get=API_POST_ONLY, post=statuses(401, 403, 200, 200)),
    # PATCH (the update) is tested in tests/notifications/test_api.py.
    "notification-preferences": Rule(get=API),
    "follow-list": Rule(get=API, post=API_FOLLOW, data=_follow_body),
    "follow-detail": Rule(kwargs=_own_follow, get=OWN_API),
}


def world(world) -> dict:
    """A notification of ``staff`` (a follow-up visit of the client is due) and a
    follow of theirs."""
    from django.utils import timezone

    from clientfolio.core.models import Event
    from clientfolio.notifications.models import Follow, Notification

    event = Event.objects.create(
        kind="followup.due",
        target_type="clients.followup",
        target_id=world.follow_up.pk,
        recipient_ids=[world.staff.pk],
        data={"title": str(world.follow_up), "due": "2026-12-01"},
        occurred_at=timezone.now(),
        delivered_at=timezone.now(),
    )
    notification = Notification.objects.create(
        user=world.staff,
        event=event,
        kind=event.kind,
        target_type=event.target_type,
        target_id=event.target_id,
    )
    # A follow of ``staff``'s, left from when they were on the project.
    follow = Follow.objects.create(
        user=world.staff,
        target_type="schedule.task",
        target_id=world.task.pk,
        project=world.project,
    )
    return {"staff_notification": notification, "staff_follow": follow}


def state() -> dict:
    from clientfolio.notifications.models import Follow, Notification, Preference

    return {
        "Notification": list(Notification.objects.order_by("pk").values()),
        "Preference": list(Preference.objects.order_by("pk").values()),
        "Follow": list(Follow.objects.order_by("pk").values()),
    }
