"""What the operator finds in the log: refused API requests, imports, e-mails sent and
slow recomputes (refused logins: tests/core/test_login_throttle.py; the health check:
tests/core/test_health.py)."""

import logging

import pytest
from rest_framework.test import APIClient

from clientfolio.clients import exchange
from clientfolio.comms import services as comms_services
from clientfolio.schedule import services as schedule_services
from clientfolio.schedule.models import Task
from tests.comms.factories import CommRecordFactory

pytestmark = pytest.mark.django_db


def test_a_refused_api_request_is_logged_with_the_user(staff, caplog):
    # given a staff member, who may not manage the firm's webhooks
    api = APIClient()
    api.force_authenticate(staff)

    # when they ask for the webhooks
    with caplog.at_level(logging.INFO, logger="clientfolio"):
        response = api.get("/api/v1/webhooks/")

    # then it is refused, and the log says who and what
    assert response.status_code == 403
    assert (
        "clientfolio.core.api_policy",
        logging.WARNING,
        "API GET /api/v1/webhooks/ refused with 403 for staff",
    ) in caplog.record_tuples


def test_an_anonymous_api_request_is_logged_at_info(caplog):
    with caplog.at_level(logging.INFO, logger="clientfolio"):
        response = APIClient().get("/api/v1/clients/")

    assert response.status_code == 401
    assert (
        "clientfolio.core.api_policy",
        logging.INFO,
        "API GET /api/v1/clients/ refused with 401 for anonymous",
    ) in caplog.record_tuples


def test_an_import_is_logged_with_its_counts(staff, caplog):
    # given a checked file of two clients
    report = exchange.parse_file(
        "Client name\n北京星河贸易\n杭州湖畔科技\n".encode(), "clients.csv"
    )
    assert report.ok, report.errors

    # when staff imports it
    with caplog.at_level(logging.INFO, logger="clientfolio"):
        exchange.import_clients(report, user=staff)

    # then the log has who imported how much
    assert (
        "clientfolio.clients.exchange",
        logging.INFO,
        "Client import by staff: 2 clients with 0 contacts",
    ) in caplog.record_tuples


def test_minutes_sent_for_confirmation_are_logged(project, project_manager, caplog):
    # given a meeting with the manager taking part
    record = CommRecordFactory(project=project, participant_users=[project_manager])

    # when its minutes are sent
    with caplog.at_level(logging.INFO, logger="clientfolio"):
        comms_services.send_minutes_for_confirmation(record, "https://cf.example.com/")

    # then the log says for which record and to how many
    assert (
        "clientfolio.comms.services",
        logging.INFO,
        f"Minutes of record {record.pk} sent for confirmation to 1 participant(s)",
    ) in caplog.record_tuples


def test_a_recompute_slower_than_the_threshold_is_logged(settings, project, caplog):
    # given a threshold every recompute exceeds
    settings.SLOW_OPERATION_SECONDS = 0
    schedule_services.create_task(Task(project=project, name="接口设计", duration=3))

    # when the plan is recomputed
    with caplog.at_level(logging.WARNING, logger="clientfolio"):
        schedule_services.recompute(project)

    # then a warning names the project and the time it took
    slow = [r for r in caplog.records if r.name == "clientfolio.core.timing"]
    assert slow
    assert slow[-1].getMessage().startswith("Slow schedule recompute: ")
    assert slow[-1].getMessage().endswith(f"s (id {project.pk})")


def test_a_quick_recompute_is_not_logged(settings, project, caplog):
    settings.SLOW_OPERATION_SECONDS = 60

    with caplog.at_level(logging.WARNING, logger="clientfolio"):
        schedule_services.recompute(project)

    assert not [r for r in caplog.records if r.name == "clientfolio.core.timing"]


def test_an_unhandled_exception_is_logged_with_its_traceback(
    monkeypatch, staff, caplog
):
    # given a page whose code fails
    from django.test import Client as BrowserClient

    from clientfolio.clients.models import Client

    def fail(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(Client.objects, "current", fail)
    browser = BrowserClient(raise_request_exception=False)
    browser.force_login(staff)

    # when it is requested
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = browser.get("/")

    # then the user gets the error page and the log the traceback
    assert response.status_code == 500
    errors = [r for r in caplog.records if r.name == "django.request"]
    assert errors
    assert errors[0].exc_info[0] is RuntimeError
