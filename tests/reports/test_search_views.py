"""The search page: groups with counts and links, one kind page by page, bad input."""

import pytest
from django.test import Client as BrowserClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(search_world):
    http = BrowserClient(headers={"accept-language": "en"})
    http.force_login(search_world.staff)
    return http


def test_the_page_shows_every_group_with_its_count_and_links(browser, search_world):
    response = browser.get("/search/", {"q": "琥珀"})

    body = response.content.decode()
    assert response.status_code == 200
    for kind in ("clients", "contacts", "tasks", "records", "risks"):
        assert f'id="cf-search-{kind}"' in body
    world = search_world
    assert (
        f'href="/projects/{world.project.pk}/schedule/tasks/{world.task.pk}/"' in body
    )
    assert "<mark>琥珀</mark>接口联调" in body
    assert "琥珀保密任务" not in body


# The session and the user, then per kind with hits the ids and the rows (two for each
# kind of requirement).
QUERIES = 2 + 2 * 10


def test_the_query_count_does_not_grow_with_the_hits(
    browser, search_world, django_assert_num_queries
):
    from tests.schedule.factories import TaskFactory

    with django_assert_num_queries(QUERIES):
        browser.get("/search/", {"q": "琥珀"})
    for index in range(8):
        TaskFactory(project=search_world.project, name=f"琥珀任务{index}")

    with django_assert_num_queries(QUERIES):
        response = browser.get("/search/", {"q": "琥珀"})

    assert "Show all 9" in response.content.decode()


def test_show_all_lists_one_kind_page_by_page(browser, search_world):
    from tests.schedule.factories import TaskFactory

    for index in range(24):
        TaskFactory(project=search_world.project, name=f"琥珀分页{index:02d}")

    first = browser.get("/search/", {"q": "琥珀分页", "kind": "tasks"}).content.decode()
    second = browser.get(
        "/search/", {"q": "琥珀分页", "kind": "tasks", "page": 2}
    ).content.decode()

    assert "1 / 2" in first
    assert "琥珀分页23" in first
    assert "琥珀分页03" not in first
    assert "2 / 2" in second
    assert "琥珀分页03" in second
    assert "琥珀分页23" not in second
    assert "page=2" in first
    assert "kind=tasks" in first


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Enter a word to search for."),
        ("    ", "Enter a word to search for."),
        ("琥" * 101, "Search for at most 100 characters."),
    ],
)
def test_bad_input_gets_an_inline_message_and_runs_no_search(
    browser, query, message, django_assert_num_queries
):
    with django_assert_num_queries(2):
        response = browser.get("/search/", {"q": query})

    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_unknown_kind_gets_a_message(browser):
    response = browser.get("/search/", {"q": "琥珀", "kind": "planets"})

    assert "Select a valid choice" in response.content.decode()


def test_nothing_found_says_so(browser):
    body = browser.get("/search/", {"q": "不存在的东西"}).content.decode()

    assert 'id="cf-search-empty"' in body


def test_a_client_contact_gets_404(search_world):
    http = BrowserClient()
    http.force_login(search_world.client_user)

    assert http.get("/search/", {"q": "琥珀"}).status_code == 404


def test_the_top_bar_searches_everything(browser):
    body = browser.get("/search/").content.decode()

    assert 'class="cf-global-search" action="/search/"' in body
    assert 'data-hotkey="/"' in body


def test_a_null_character_gets_a_message(browser):
    response = browser.get("/search/", {"q": "琥\x00珀"})

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
