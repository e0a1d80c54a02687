"""The bell, the notification list, opening and marking read, the preferences grid and the
follow toggle; list pages with their exact query counts."""

import pytest
from django.urls import reverse
from django.utils import translation

from clientfolio.core.events import Kind
from clientfolio.core.models import Event
from clientfolio.notifications.forms import field_name
from clientfolio.notifications.models import (
    Follow,
    Notification,
    NotificationSettings,
    Preference,
)


def _notify(user, target, n=1, kind=Kind.TASK_ASSIGNED, actor=None):
    """``n`` notifications of ``user`` about ``target``, as the handler stores them."""
    from django.utils import timezone

    rows = []
    for i in range(n):
        event = Event.objects.create(
            kind=kind,
            target_type=target._meta.label_lower,
            target_id=target.pk,
            project_id=getattr(target, "project_id", None),
            actor=actor,
            data={"title": f"{target} #{i}"},
            occurred_at=timezone.now(),
        )
        rows.append(
            Notification(
                user=user,
                event=event,
                kind=kind,
                project_id=event.project_id,
                target_type=event.target_type,
                target_id=event.target_id,
            )
        )
    return Notification.objects.bulk_create(rows)


def test_the_bell_counts_the_unread(as_persona, member, task, project_manager):
    rows = _notify(member, task, 3, actor=project_manager)
    rows[0].read_at = rows[0].created_at
    rows[0].save()

    response = as_persona("member").get(reverse("notifications:bell"))

    assert response.status_code == 200
    assert 'data-unread="2"' in response.content.decode()


def test_pages_pay_no_query_for_the_bell(as_persona, member):
    # The page itself only carries the placeholder the bell loads into.
    response = as_persona("member").get(reverse("notifications:preferences"))

    html = response.content.decode()
    assert 'id="notification-bell"' in html
    assert 'hx-trigger="load, every 60s"' in html


def test_client_contacts_have_no_bell(as_persona, client_user):
    response = as_persona("client_user").get(reverse("core:profile"))

    assert 'id="notification-bell"' not in response.content.decode()


@pytest.mark.parametrize(("menu", "queries"), [(False, 3), (True, 5)])
def test_the_bell_costs_a_fixed_number_of_queries(
    as_persona, member, task, project_manager, django_assert_num_queries, menu, queries
):
    # given many notifications about records of the project
    _notify(member, task, 30, actor=project_manager)
    browser = as_persona("member")
    url = reverse("notifications:bell") + ("?menu=1" if menu else "")

    # session, user, count; the menu adds the latest (with events and actors) and their
    # projects
    with django_assert_num_queries(queries):
        response = browser.get(url, headers={"HX-Request": "true"})

    assert response.status_code == 200
    if menu:
        assert response.content.decode().count("list-group-item cf-unread") == 8


@pytest.mark.parametrize(
    ("headers", "template"),
    [
        ({}, "notifications/notification_list.html"),
        ({"HX-Request": "true"}, "notifications/partials/notification_list.html"),
    ],
)
def test_the_list_costs_a_fixed_number_of_queries(
    as_persona,
    member,
    task,
    project_manager,
    django_assert_num_queries,
    headers,
    template,
):
    _notify(member, task, 60, actor=project_manager)
    browser = as_persona("member")

    # session, user, count, the page (with events and actors), their projects
    with django_assert_num_queries(5):
        response = browser.get(reverse("notifications:list"), headers=headers)

    assert response.status_code == 200
    assert response.templates[0].name == template
    assert response.context["page"].paginator.count == 60
    assert len(response.context["items"]) == 25
    assert "HX-Request" in response["Vary"]


def test_the_list_shows_only_my_unread_when_asked(
    as_persona, member, viewer, task, project_manager
):
    mine = _notify(member, task, 2, actor=project_manager)
    _notify(viewer, task, 1, actor=project_manager)
    mine[0].read_at = mine[0].created_at
    mine[0].save()

    response = as_persona("member").get(reverse("notifications:list") + "?show=unread")

    assert [item["n"].pk for item in response.context["items"]] == [mine[1].pk]
    assert f"{task} #1" in response.content.decode()


def test_opening_a_notification_marks_it_read_and_goes_to_the_record(
    as_persona, member, task, project_manager
):
    [row] = _notify(member, task, actor=project_manager)

    response = as_persona("member").get(reverse("notifications:open", args=[row.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "schedule:task_detail", args=[task.project_id, task.pk]
    )
    row.refresh_from_db()
    assert row.read_at is not None


def test_opening_a_notification_of_something_gone_says_so(
    as_persona, member, task, project_manager
):
    [row] = _notify(member, task, actor=project_manager)
    task.delete()

    response = as_persona("member").get(
        reverse("notifications:open", args=[row.pk]), follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("notifications:list")
    assert "no longer there" in response.content.decode()


def test_someone_elses_notification_does_not_exist(as_persona, member, task):
    [row] = _notify(member, task)

    for url in (
        reverse("notifications:open", args=[row.pk]),
        reverse("notifications:mark_read", args=[row.pk]),
    ):
        browser = as_persona("viewer")
        response = browser.post(url) if "read" in url else browser.get(url)
        assert response.status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_mark_one_read_by_htmx_answers_its_row(as_persona, member, task):
    [row] = _notify(member, task)

    response = as_persona("member").post(
        reverse("notifications:mark_read", args=[row.pk]),
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert response.templates[0].name == "notifications/partials/notification_row.html"
    assert "cf-unread" not in response.content.decode()
    row.refresh_from_db()
    assert row.read_at is not None


def test_mark_all_read(as_persona, member, viewer, task):
    _notify(member, task, 3)
    [other] = _notify(viewer, task)

    response = as_persona("member").post(reverse("notifications:mark_all_read"))

    assert response.status_code == 302
    assert not Notification.objects.filter(user=member, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def _grid(**changes):
    data = {"digest_time": "08:00"}
    for kind in Kind:
        data[field_name(kind, "in_app")] = "on"
        data[field_name(kind, "email")] = "digest"
    data.update(changes)
    return data


def test_preferences_save_the_grid_and_the_digest_time(as_persona, member):
    data = _grid(digest_time="18:30")
    data[field_name(Kind.TASK_ASSIGNED, "email")] = "immediate"
    del data[field_name(Kind.COMMENT_ADDED, "in_app")]
    data[field_name(Kind.COMMENT_ADDED, "email")] = "off"

    response = as_persona("member").post(reverse("notifications:preferences"), data)

    assert response.status_code == 302
    prefs = {
        p.kind: (p.in_app, p.email) for p in Preference.objects.filter(user=member)
    }
    # task.assigned is back at its default (in the app, immediately): no row kept
    assert Kind.TASK_ASSIGNED not in prefs
    assert prefs[Kind.COMMENT_ADDED] == (False, "off")
    assert prefs[Kind.MINUTES_SENT] == (True, "digest")
    assert f"{NotificationSettings.objects.get(user=member).digest_time:%H:%M}" == (
        "18:30"
    )


@pytest.mark.parametrize("value", ["24:00", "25:00", "08:15", "-1:00", "noon", ""])
def test_a_digest_time_out_of_range_is_refused_and_nothing_is_saved(
    as_persona, member, value
):
    response = as_persona("member").post(
        reverse("notifications:preferences"), _grid(digest_time=value)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["digest_time"] == [
        "Choose a digest time from 00:00 to 23:30, on the hour or the half hour."
    ]
    assert "Nothing was saved" in response.content.decode()
    assert not Preference.objects.filter(user=member).exists()
    assert not NotificationSettings.objects.filter(user=member).exists()


def test_an_unknown_email_choice_is_refused(as_persona, member):
    data = _grid()
    data[field_name(Kind.TASK_ASSIGNED, "email")] = "sms"

    response = as_persona("member").post(reverse("notifications:preferences"), data)

    assert response.status_code == 200
    assert field_name(Kind.TASK_ASSIGNED, "email") in response.context["form"].errors
    assert not Preference.objects.exists()


def test_the_preferences_page_shows_the_defaults(as_persona, member):
    response = as_persona("member").get(reverse("notifications:preferences"))

    form = response.context["form"]
    assert form[field_name(Kind.TASK_ASSIGNED, "email")].value() == "immediate"
    assert form[field_name(Kind.TASK_OVERDUE, "email")].value() == "digest"
    assert form[field_name(Kind.JOB_FINISHED, "email")].value() == "off"
    assert form["digest_time"].value() == "08:00"
    # every kind once, under its section; the digest time comes before the grid
    kinds = [row["kind"] for row in form.rows()]
    assert sorted(kinds) == sorted(kind.value for kind in Kind)
    assert str(form.rows()[0]["group"]) == "Tasks and action items"
    html = response.content.decode()
    assert html.index('name="digest_time"') < html.index('id="preference-grid"')


def test_the_follow_button_toggles(as_persona, viewer, task):
    from django.template import Context, Template

    url = reverse("notifications:follow", args=["schedule.task", task.pk])
    browser = as_persona("viewer")

    first = browser.post(url, headers={"HX-Request": "true"})
    assert first.status_code == 200
    assert 'aria-pressed="true"' in first.content.decode()
    assert Follow.objects.filter(target_id=task.pk).count() == 1

    second = browser.post(url, headers={"HX-Request": "true"})
    assert 'aria-pressed="false"' in second.content.decode()
    assert not Follow.objects.exists()

    # and the tag renders the same button for the record's page
    html = Template("{% load notifications %}{% follow_button obj %}").render(
        Context({"obj": task, "user": viewer})
    )
    assert f'action="{url}"' in html


def _button(obj, user):
    from django.template import Context, Template

    return Template("{% load notifications %}{% follow_button obj %}").render(
        Context({"obj": obj, "user": user})
    )


def test_the_owner_is_told_they_follow_and_offered_no_toggle(
    member, task, django_assert_num_queries
):
    with translation.override("en"), django_assert_num_queries(1):
        html = _button(task, member)

    assert "Following (you own this)" in html
    assert "because you own it" in html
    assert "<form" not in html
    assert 'data-follow-reason="owner"' in html
    with translation.override("zh-hans"):
        assert "已关注（您是负责人）" in _button(task, member)


def test_an_assignee_is_told_they_follow_because_of_the_assignment(
    project, viewer, django_assert_num_queries
):
    from clientfolio.schedule.models import Assignment
    from tests.schedule.factories import TaskFactory

    assigned = TaskFactory(project=project, name="联调")
    Assignment.objects.create(task=assigned, user=viewer)

    with translation.override("en"), django_assert_num_queries(1):
        html = _button(assigned, viewer)

    assert "Following (assigned to you)" in html
    assert "<form" not in html


def test_the_owner_pressing_follow_changes_nothing_and_hears_why(
    as_persona, member, task
):
    url = reverse("notifications:follow", args=["schedule.task", task.pk])
    browser = as_persona("member")

    swapped = browser.post(url, headers={"HX-Request": "true"})
    assert swapped.status_code == 200
    html = swapped.content.decode()
    assert "Following (you own this)" in html
    assert 'role="status"' in html
    assert "There is nothing to unfollow." in html
    assert not Follow.objects.exists()

    page = browser.post(url, {"next": "/"}, follow=True)
    assert page.redirect_chain == [("/", 302)]
    assert "because you own it" in page.content.decode()
    assert not Follow.objects.exists()


def test_unfollowing_says_what_still_reaches_you(as_persona, viewer, task):
    from clientfolio.notifications import services

    url = reverse("notifications:follow", args=["schedule.task", task.pk])
    services.follow(viewer, task)
    browser = as_persona("viewer")

    swapped = browser.post(url, headers={"HX-Request": "true"})
    html = swapped.content.decode()
    assert swapped.status_code == 200
    assert 'aria-pressed="false"' in html
    assert "You no longer follow this." in html
    assert not Follow.objects.exists()

    services.follow(viewer, task)
    page = browser.post(url, {"next": "/"}, follow=True)
    assert "Only what is addressed to you" in page.content.decode()
    assert not Follow.objects.exists()


def test_a_record_outside_my_projects_cannot_be_followed(as_persona, task):
    url = reverse("notifications:follow", args=["schedule.task", task.pk])

    response = as_persona("staff").post(url)

    assert response.status_code == 404
    assert not Follow.objects.exists()


def test_a_kind_that_cannot_be_followed_does_not_exist(as_persona, project):
    url = reverse("notifications:follow", args=["projects.membership", 1])

    assert as_persona("member").post(url).status_code == 404
