"""The search service: scope, every kind, Chinese and Latin substrings, counts."""

import pytest

from clientfolio.reports import search as search_module
from clientfolio.reports.matching import QueryError
from clientfolio.reports.search import KINDS, search

pytestmark = pytest.mark.django_db


def _titles(groups):
    return {group.kind: [hit.title for hit in group.hits] for group in groups}


def test_groups_come_in_the_fixed_order_with_every_kind_found(search_world):
    groups = search(search_world.staff, "琥珀")

    assert [group.kind for group in groups] == list(KINDS)
    assert all(group.total >= 1 for group in groups), [
        (g.kind, g.total) for g in groups
    ]
    titles = _titles(groups)
    assert titles["clients"] == ["琥珀数据有限公司"]
    assert titles["contacts"] == ["王琥珀"]
    assert titles["projects"] == [f"{search_world.project.code} · 琥珀平台一期"]
    assert titles["tasks"] == ["琥珀接口联调"]
    assert titles["records"] == ["第三次周例会"]
    assert titles["documents"] == ["琥珀需求规格说明书"]
    assert set(titles["requirements"]) == {"报表导出", "琥珀移动端审批"}
    assert titles["changes"] == [f"CR-{search_world.change.number} · 琥珀范围变更"]
    assert titles["risks"] == ["琥珀供应商延期"]


def test_a_task_of_a_project_the_user_is_not_on_never_appears(search_world):
    groups = search(search_world.staff, "保密", kinds=["tasks", "projects"])

    assert [(g.total, g.hits) for g in groups] == [(0, []), (0, [])]


def test_an_administrator_finds_it(search_world):
    (tasks,) = search(search_world.admin, "琥珀", kinds=["tasks"])

    assert {hit.title for hit in tasks.hits} == {"琥珀接口联调", "琥珀保密任务"}


def test_a_client_contact_gets_nothing(search_world):
    groups = search(search_world.client_user, "琥珀")

    assert [group.kind for group in groups] == list(KINDS)
    assert all(group.total == 0 and not group.hits for group in groups)


def test_latin_words_match_whatever_their_case_and_every_word_must_match(search_world):
    (records,) = search(search_world.staff, "aMBER 迁移", kinds=["records"])
    (none,) = search(search_world.staff, "amber 不存在", kinds=["records"])

    assert [hit.title for hit in records.hits] == ["第三次周例会"]
    assert none.total == 0


def test_a_hit_says_where_it_belongs_and_links_to_its_page(search_world):
    (tasks,) = search(search_world.staff, "接口联", kinds=["tasks"])

    (hit,) = tasks.hits
    world = search_world
    assert hit.url == f"/projects/{world.project.pk}/schedule/tasks/{world.task.pk}/"
    assert hit.project == f"{world.project.code} · 琥珀平台一期"
    assert hit.client == "琥珀数据有限公司"
    assert (hit.snippet.before, hit.snippet.match, hit.snippet.after) == (
        "琥珀",
        "接口联",
        "调",
    )


def test_the_snippet_of_a_record_shows_the_minutes_around_the_word(search_world):
    (records,) = search(search_world.staff, "清洗", kinds=["records"])

    assert (
        str(records.hits[0].snippet)
        == "双方确认 Amber 迁移计划 - 琥珀数据清洗由客户负责"
    )
    assert records.hits[0].snippet.match == "清洗"


def test_a_project_is_found_by_its_code(search_world):
    code = search_world.project.code

    (projects,) = search(search_world.staff, code.lower(), kinds=["projects"])

    assert [hit.url for hit in projects.hits] == [
        f"/projects/{search_world.project.pk}/"
    ]


def test_a_contact_is_found_by_phone_and_e_mail(search_world):
    by_phone, by_email = (
        search(search_world.staff, text, kinds=["contacts"])[0]
        for text in ("0000111", "AMBER@hupo")
    )

    assert [hit.title for hit in by_phone.hits] == ["王琥珀"]
    assert [hit.title for hit in by_email.hits] == ["王琥珀"]
    assert by_phone.hits[0].url == f"/clients/{search_world.client.pk}/"


def test_counts_stop_at_the_cap(search_world, monkeypatch):
    from tests.schedule.factories import TaskFactory

    for index in range(3):
        TaskFactory(project=search_world.project, name=f"琥珀批量{index}")
    monkeypatch.setattr(search_module, "COUNT_CAP", 2)

    (tasks,) = search(search_world.staff, "琥珀批量", kinds=["tasks"], per_kind=1)

    assert (tasks.total, tasks.capped, len(tasks.hits)) == (2, True, 1)


def test_hits_page_across_both_kinds_of_requirement(search_world):
    first, second = (
        search(
            search_world.staff, "琥珀", kinds=["requirements"], per_kind=1, offset=n
        )[0]
        for n in (0, 1)
    )

    assert (first.total, second.total) == (2, 2)
    assert [hit.title for hit in first.hits + second.hits] == [
        "报表导出",
        "琥珀移动端审批",
    ]
    assert second.hits[0].url == f"/clients/{search_world.client.pk}/"


@pytest.mark.parametrize(
    ("text", "code"), [("", "empty"), ("   ", "empty"), ("字" * 101, "too_long")]
)
def test_bad_queries_are_refused(search_world, text, code):
    with pytest.raises(QueryError) as refused:
        search(search_world.staff, text)

    assert refused.value.code == code


def test_an_unknown_kind_is_refused(search_world):
    with pytest.raises(KeyError):
        search(search_world.staff, "琥珀", kinds=["nonsense"])
