"""Filters never reveal what is outside the user's scope: an id the user cannot see is
answered exactly like an id that does not exist, on every API list and on the pages."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from clientfolio.core.filters import ScopedFilterBackend, ScopedModelChoiceFilter
from clientfolio.projects.models import Project

pytestmark = pytest.mark.django_db

INVALID = ["Select a valid choice. That choice is not one of the available choices."]


def _list_views():
    """(URL name, viewset class) of every API list."""
    found = []

    def walk(resolver):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern)
            elif isinstance(pattern, URLPattern) and (pattern.name or "").endswith(
                "-list"
            ):
                cls = getattr(pattern.callback, "cls", None)
                # the portal's API is for client contacts (tests/portal)
                if cls is not None and not getattr(cls, "is_portal", False):
                    found.append((pattern.name, cls))

    walk(get_resolver())
    return sorted(set(found), key=lambda row: row[0])


def _project_filters():
    """(URL name, query parameter) of every API list filter that takes a project id."""
    rows = []
    for name, cls in _list_views():
        view = cls()
        view.request = None
        view.format_kwarg = None
        view.action = "list"
        view.kwargs = {}
        queryset = getattr(cls, "queryset", None)
        if queryset is None:
            continue
        filterset = ScopedFilterBackend().get_filterset_class(view, queryset.all())
        if filterset is None:
            continue
        for param, flt in filterset.base_filters.items():
            if (
                isinstance(flt, ScopedModelChoiceFilter)
                and flt.queryset.model is Project
            ):
                rows.append(pytest.param(name, param, id=f"{name}?{param}"))
    return rows


PROJECT_FILTERS = _project_filters()


def test_the_lists_named_in_the_issue_filter_by_project():
    # the property below covers at least the lists where the leak was found
    names = {param.values[0] for param in PROJECT_FILTERS}
    assert {
        "task-list",
        "risk-list",
        "comm-record-list",
        "document-list",
        "changerequest-list",
        "deliverable-list",
        "membership-list",
    } <= names


@pytest.mark.parametrize(("name", "param"), PROJECT_FILTERS)
def test_a_project_outside_scope_is_answered_like_one_that_does_not_exist(
    name, param, project, staff_api
):
    # given the shared project, which the staff persona is not on, and an unknown id
    missing = Project.objects.order_by("-pk").first().pk + 1000
    url = reverse(name)

    # when the outsider filters a list by each
    hidden = staff_api.get(url, {param: project.pk})
    unknown = staff_api.get(url, {param: missing})

    # then both are refused with the same answer
    assert unknown.status_code == 400, unknown.content[:300]
    assert hidden.status_code == 400, hidden.content[:300]
    assert hidden.json() == unknown.json() == {param: INVALID}


@pytest.mark.parametrize(("name", "param"), PROJECT_FILTERS)
def test_a_member_filters_by_their_own_project(name, param, project, api_as):
    # when a member of the project filters by it
    response = api_as("project_manager").get(reverse(name), {param: project.pk})

    # then the filter is accepted
    assert response.status_code == 200, response.content[:300]


def test_a_task_of_another_project_is_answered_like_one_that_does_not_exist(
    project, staff_api
):
    # given a task of the shared project (the staff persona is not on it)
    from clientfolio.schedule import services
    from clientfolio.schedule.models import Task

    task = services.create_task(Task(project=project, name="接口设计"))

    # when the outsider filters time entries and dependencies by it and by an unknown id
    for url, param in (
        ("/api/v1/time-entries/", "task"),
        ("/api/v1/dependencies/", "predecessor"),
    ):
        hidden = staff_api.get(url, {param: task.pk})
        unknown = staff_api.get(url, {param: task.pk + 1000})

        # then the answers are the same
        assert hidden.status_code == unknown.status_code == 400
        assert hidden.json() == unknown.json() == {param: INVALID}


def test_the_filter_message_is_in_the_users_language(project, staff):
    # given the outsider, who reads Chinese
    from rest_framework.test import APIClient

    http = APIClient(headers={"accept-language": "zh-hans"})
    http.force_login(staff)

    # when they filter tasks by a project outside their scope
    response = http.get("/api/v1/tasks/", {"project": project.pk})

    # then the refusal is in Chinese
    assert response.status_code == 400
    assert response.json()["project"] == [
        "选择一个有效的选项： 该选择不在可用的选项中。"
    ]


def test_the_timeline_page_filters_by_its_own_project(as_persona, project):
    # when the manager opens the project's communication timeline filtered by the project
    url = reverse("comms:record_list", args=[project.pk])
    response = as_persona("project_manager").get(url, {"project": project.pk})

    # then the page is shown
    assert response.status_code == 200
