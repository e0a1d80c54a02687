"""Calendar feeds: the iCalendar text (RFC 5545 structure) and the secret-token URLs."""

import re
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from clientfolio.projects.models import Membership
from clientfolio.schedule.exports import CalendarEvent, ics_calendar
from clientfolio.schedule.models import FeedToken
from tests.schedule.gantt_plan import build_plan


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def assert_valid_ics(text: str) -> list[str]:
    """CRLF everywhere, lines of at most 75 octets, balanced BEGIN/END; the unfolded lines."""
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, line
    lines = _unfold(text)[:-1]
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    stack = []
    for line in lines:
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
        elif line.startswith("END:"):
            assert stack.pop() == line[4:]
    assert not stack
    for event in re.findall(
        r"BEGIN:VEVENT\r\n(.*?)END:VEVENT", "\r\n".join(lines), re.S
    ):
        for required in (
            "UID:",
            "DTSTAMP:",
            "DTSTART;VALUE=DATE:",
            "DTEND;VALUE=DATE:",
            "SUMMARY:",
        ):
            assert required in event
    return lines


def test_ics_folds_long_lines_and_escapes_text():
    # given an event with a long Chinese summary and characters that need escaping
    summary = "里程碑：" + "客户数据平台一期的上线验收，含报表、接口；以及\\培训\n" * 3
    text = ics_calendar(
        "项目, 日历",
        [
            CalendarEvent(
                uid="task-1@clientfolio", day=date(2026, 10, 9), summary=summary
            )
        ],
        now=datetime(2026, 10, 1, 8, 0, tzinfo=UTC),
    )

    # then the text is valid, all-day with an exclusive end, and unfolds to the escaped value
    lines = assert_valid_ics(text)
    assert "DTSTART;VALUE=DATE:20261009" in lines
    assert "DTEND;VALUE=DATE:20261010" in lines
    assert "DTSTAMP:20261001T080000Z" in lines
    assert "X-WR-CALNAME:项目\\, 日历" in lines
    line = next(line for line in lines if line.startswith("SUMMARY:"))
    assert line == "SUMMARY:" + summary.replace("\\", "\\\\").replace(
        ";", "\\;"
    ).replace(",", "\\,").replace("\n", "\\n")


@pytest.fixture
def plan(project, member):
    return build_plan(project, owner=member)


def _make_feed(browser, scope, project=None):
    query = f"?project={project.pk}" if project else ""
    data = {"scope": scope, "action": "regenerate"}
    if project:
        data["project"] = project.pk
    response = browser.post(reverse("schedule:ical_settings") + query, data)
    assert response.status_code == 302
    return response


@pytest.mark.django_db
def test_a_member_gets_feed_urls_that_work_without_login(
    project, plan, as_persona, member, client
):
    # given a member who makes a personal and a project feed on the settings page
    browser = as_persona("member")
    _make_feed(browser, "user")
    _make_feed(browser, "project", project)
    page = browser.get(reverse("schedule:ical_settings") + f"?project={project.pk}")
    assert page.status_code == 200
    user_token = FeedToken.objects.get(user=member, project=None).token
    project_token = FeedToken.objects.get(user=member, project=project).token
    assert user_token in page.content.decode()
    assert project_token in page.content.decode()

    # when a calendar app (no session) fetches them
    for name, token in (
        ("schedule:ical_user", user_token),
        ("schedule:ical_project", project_token),
    ):
        response = client.get(reverse(name, args=[token]))

        # then they are iCalendar text with the milestone and the member's due dates only
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        text = response.content.decode()
        lines = assert_valid_ics(text)
        summaries = [line for line in lines if line.startswith("SUMMARY:")]
        assert any("验收里程碑" in s for s in summaries)
        assert any("需求调研" in s for s in summaries)  # owned by the member
        assert not any("编码实现" in s for s in summaries)  # someone else's
        assert f"DTSTART;VALUE=DATE:{plan.milestone.finish:%Y%m%d}" in lines


@pytest.mark.django_db
def test_unknown_regenerated_and_revoked_tokens_get_404(
    project, plan, as_persona, member, client
):
    browser = as_persona("member")
    assert (
        client.get(reverse("schedule:ical_user", args=["not-a-token"])).status_code
        == 404
    )

    # given a feed, when it is regenerated, then the old URL is dead and the new one works
    _make_feed(browser, "user")
    old = FeedToken.objects.get(user=member).token
    _make_feed(browser, "user")
    new = FeedToken.objects.get(user=member).token
    assert old != new
    assert client.get(reverse("schedule:ical_user", args=[old])).status_code == 404
    assert client.get(reverse("schedule:ical_user", args=[new])).status_code == 200

    # a user token does not open the project feed URL
    assert client.get(reverse("schedule:ical_project", args=[new])).status_code == 404

    # when it is turned off, then it is gone
    browser.post(
        reverse("schedule:ical_settings"), {"scope": "user", "action": "revoke"}
    )
    assert client.get(reverse("schedule:ical_user", args=[new])).status_code == 404


@pytest.mark.django_db
def test_a_project_feed_dies_when_the_user_leaves_the_project(
    project, plan, as_persona, member, client
):
    _make_feed(as_persona("member"), "project", project)
    token = FeedToken.objects.get(user=member, project=project).token
    Membership.objects.filter(project=project, user=member).delete()
    assert client.get(reverse("schedule:ical_project", args=[token])).status_code == 404


@pytest.mark.django_db
def test_an_outsider_cannot_make_a_feed_for_a_project(project, as_persona):
    response = as_persona("staff").get(
        reverse("schedule:ical_settings") + f"?project={project.pk}"
    )
    assert response.status_code == 404
    assert project.name not in response.content.decode()
