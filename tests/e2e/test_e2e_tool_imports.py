"""Bringing in what exists in the tools people leave, through the import page: a
Trello board as a new project, a Jira export into an empty project; the check's
report, the confirmation, then the tasks on the schedule."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from clientfolio.interchange.models import ImportRun
from clientfolio.projects import services as project_services
from clientfolio.projects.models import Project
from clientfolio.schedule.models import Task
from tests.interchange.test_trello import BOARD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

JIRA = Path(__file__).resolve().parents[1] / "interchange" / "data"


def test_a_trello_board_becomes_a_new_project(
    live_server, page, signed_in, make_client, tmp_path
):
    make_client("上海云帆信息科技有限公司")
    board = tmp_path / "board.json"
    board.write_text(json.dumps(BOARD, ensure_ascii=False), encoding="utf-8")
    page.goto(live_server.url + "/imports/new-project/")
    page.set_input_files("#id_file", str(board))
    page.get_by_role("button", name="Check the file").click()

    ready = page.locator("#import-ready")
    expect(ready.locator('[data-count="tasks"]')).to_have_text("8")
    expect(
        page.get_by_test_id("field-report").locator('[data-field="phase"]')
    ).to_contain_text("Lists and sections")
    assert Task.objects.count() == 0

    page.get_by_label("Client").select_option(label="上海云帆信息科技有限公司")
    page.get_by_role("button", name="Import 8 tasks").click()
    expect(page.locator("#import-result")).to_contain_text("Imported 8 tasks")
    page.get_by_role("link", name="Open the schedule").click()
    expect(page).to_have_url(re.compile(r"/projects/\d+/schedule/$"))
    expect(page.locator("body")).to_contain_text("首页设计")
    expect(page.locator("body")).to_contain_text("视觉稿")


def test_a_jira_export_fills_an_empty_project(
    live_server, page, signed_in, make_client, staff_user
):
    project = project_services.create_project(
        Project(
            name="官网改版项目", client=make_client("云帆科技"), manager=staff_user
        ),
        user=staff_user,
    )
    page.goto(f"{live_server.url}/projects/{project.pk}/schedule/import/")
    page.set_input_files("#id_file", str(JIRA / "jira-cloud-export.csv"))
    page.get_by_role("button", name="Check the file").click()

    expect(page.locator("#import-ready [data-count='tasks']")).to_have_text("5")
    report = page.get_by_test_id("field-report")
    expect(report.locator('[data-field="column"]')).to_contain_text("8")
    expect(report).to_contain_text("columns not imported: Project key, Assignee Id")
    expect(page.get_by_test_id("import-preview")).to_contain_text("row 3 (WEB-2)")
    page.get_by_role("button", name="Import 5 tasks").click()

    expect(page.locator("#import-result")).to_contain_text(
        "Imported 5 tasks and 2 links."
    )
    assert ImportRun.objects.get().source == ImportRun.Source.JIRA
    page.get_by_role("link", name="Open the schedule").click()
    expect(page.locator("body")).to_contain_text("联调脚本")
