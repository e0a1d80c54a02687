"""Starting a project from a file saved by Microsoft Project: upload from the project
list, read the check's report, confirm, land on the schedule."""

import re

import pytest
from playwright.sync_api import expect

from clientfolio.interchange.models import ImportRun
from clientfolio.schedule.models import Task
from tests.interchange.test_mspdi import TESTDATA, needs_testdata

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), needs_testdata]


def test_new_project_from_an_ms_project_file(live_server, page, signed_in, make_client):
    make_client("上海云帆信息科技有限公司")
    page.goto(live_server.url + "/projects/")
    page.locator("#new-project-from-file").click()
    page.set_input_files("#id_file", str(TESTDATA / "sample.xml"))
    page.get_by_role("button", name="Check the file").click()

    # the check: what will be created, field by field, and nothing saved yet
    ready = page.locator("#import-ready")
    expect(ready.locator('[data-count="tasks"]')).to_have_text("19")
    expect(ready.locator('[data-count="links"]')).to_have_text("6")
    expect(ready).to_contain_text("Nothing has been saved yet.")
    report = page.get_by_test_id("field-report")
    expect(report.locator('[data-field="link"]')).to_contain_text("6")
    expect(report).to_contain_text("task UID")
    assert Task.objects.count() == 0

    page.get_by_label("Client").select_option(label="上海云帆信息科技有限公司")
    page.get_by_role("button", name="Import 19 tasks").click()

    expect(page.locator("#import-result")).to_contain_text(
        "Imported 19 tasks and 6 links."
    )
    page.get_by_role("link", name="Open the schedule").click()
    expect(page).to_have_url(re.compile(r"/projects/\d+/schedule/$"))
    expect(page.locator("body")).to_contain_text("Related Task 1b")
    assert ImportRun.objects.get().status == ImportRun.Status.IMPORTED
