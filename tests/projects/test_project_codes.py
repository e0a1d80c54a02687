"""Project codes under concurrent writers: of eight requests for one code one wins and the
others get a 400 naming the field; generated codes never clash. The race is reproduced
deterministically (the other writer commits between the check and the insert) and with
real threads on separate database connections."""

import threading
from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection, connections
from rest_framework.test import APIClient

from clientfolio.projects import services
from clientfolio.projects.api.serializers import ProjectSerializer
from clientfolio.projects.models import Project
from tests.clients.factories import ClientFactory
from tests.core.factories import UserFactory
from tests.projects.factories import ProjectFactory

TAKEN = {"code": ["A project with this code already exists."]}
WRITERS = 8
# Generated codes carry the year of the day: the tests that name them fix the day.
IN_2026 = time_machine.travel(datetime(2026, 11, 25, 2, 0, tzinfo=UTC))


def _body(client, manager, **extra):
    return {
        "name": "并发项目",
        "client": client.pk,
        "manager": manager.pk,
        "starts_on": "2026-03-02",
        **extra,
    }


# --- the race, step by step -------------------------------------------------------------


def test_a_code_taken_between_the_check_and_the_insert_is_400(
    staff_api, staff, client_record, monkeypatch
):
    # given the other writer saves CF-001 after this request's check passed
    check = ProjectSerializer.validate_code

    def check_then_lose_the_race(self, value):
        value = check(self, value)
        ProjectFactory(code="CF-001")
        return value

    monkeypatch.setattr(ProjectSerializer, "validate_code", check_then_lose_the_race)

    # when this request saves its project with the same code
    response = staff_api.post(
        "/api/v1/projects/", _body(client_record, staff, code="CF-001"), format="json"
    )

    # then it is a 400 on the code, and only the other project exists
    assert response.status_code == 400
    assert response.json() == TAKEN
    assert Project.objects.filter(code="CF-001").count() == 1
    assert not Project.objects.filter(name="并发项目").exists()


@IN_2026
def test_a_generated_code_taken_meanwhile_moves_on_to_the_next(
    staff, client_record, monkeypatch
):
    # given P2026-001 exists, and the code generator still answers it once (the other
    # writer committed it after the generator looked)
    ProjectFactory(code="P2026-001")
    generate = services.next_code
    answers = iter(["P2026-001"])
    monkeypatch.setattr(
        services, "next_code", lambda year=None: next(answers, None) or generate(year)
    )

    # when a project without a code is created
    project = services.create_project(
        Project(name="并发项目", client=client_record, manager=staff), user=staff
    )

    # then it gets the next free code
    assert project.code == "P2026-002"


def test_renaming_a_project_to_a_taken_code_is_400(api_as, project, monkeypatch):
    # given another project takes CF-009 after this request's check passed
    ProjectFactory(code="CF-009")
    monkeypatch.setattr(ProjectSerializer, "validate_code", lambda self, value: value)

    response = api_as("project_manager").patch(
        f"/api/v1/projects/{project.pk}/",
        {"code": "CF-009", "version": project.version},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == TAKEN
    project.refresh_from_db()
    assert project.code != "CF-009"


def test_the_project_page_says_the_code_is_taken(as_persona, project, monkeypatch):
    def lose_the_race(project, expected_version, **kwargs):
        raise services.CodeTaken()

    monkeypatch.setattr(services, "update_project", lose_the_race)

    response = as_persona("project_manager").post(
        f"/projects/{project.pk}/edit/",
        {
            "code": "CF-009",
            "name": project.name,
            "manager": project.manager_id,
            "priority": project.priority,
            "status": project.status,
            "phase": project.phase,
            "version": project.version,
        },
    )

    assert response.status_code == 400
    assert "A project with this code already exists." in response.content.decode()


# --- real threads ------------------------------------------------------------------------


@pytest.fixture
def concurrent_database(transactional_db):
    """Threads with their own connections, committing for real. An in-memory SQLite
    database (the default test database) serialises them with table locks that fail
    instead of waiting, so there the test runs only with a file or PostgreSQL database
    (DATABASE_URL, as the PostgreSQL run of .ci/run does)."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database cannot take concurrent writers")


def _post_together(bodies, user):
    """POST each body from its own thread (own connection) after a common start."""
    barrier = threading.Barrier(len(bodies))
    answers: list = [None] * len(bodies)

    def write(index, body):
        try:
            api = APIClient(headers={"accept-language": "en"})
            api.force_authenticate(user)
            barrier.wait()
            response = api.post("/api/v1/projects/", body, format="json")
            answers[index] = (response.status_code, response.json())
        except Exception as error:  # reported by the assertion, with the others
            answers[index] = (None, repr(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=write, args=(i, body)) for i, body in enumerate(bodies)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_eight_writers_posting_one_code_one_wins_the_others_get_400(
    concurrent_database,
):
    staff, client = UserFactory(), ClientFactory()
    bodies = [_body(client, staff, code="RACE-1", name=f"并发{i}") for i in range(8)]

    answers = _post_together(bodies, staff)

    statuses = sorted(status or 0 for status, _body in answers)
    assert statuses == [201] + [400] * (WRITERS - 1), answers
    assert [body for status, body in answers if status == 400] == [TAKEN] * 7
    assert Project.objects.filter(code="RACE-1").count() == 1


@IN_2026
def test_eight_writers_without_a_code_each_get_a_fresh_one(concurrent_database):
    staff, client = UserFactory(), ClientFactory()
    bodies = [_body(client, staff, name=f"并发{i}") for i in range(WRITERS)]

    answers = _post_together(bodies, staff)

    assert [status for status, _body in answers] == [201] * WRITERS, answers
    codes = {body["code"] for _status, body in answers}
    assert codes == {f"P2026-{n:03d}" for n in range(1, WRITERS + 1)}
