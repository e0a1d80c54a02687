"""The folder template in a browser: an administrator opens it from the navigation, adds a
folder, renames it in both languages, moves it up and removes it (after confirming)."""

import pytest
from playwright.sync_api import expect

from clientfolio.documents.models import FolderTemplate

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_user(transactional_db):
    from clientfolio.core.models import User
    from tests.e2e.conftest import PASSWORD

    return User.objects.create_user(
        username="admin", password=PASSWORD, role="admin", language="en"
    )


def test_an_admin_edits_the_folder_template(
    live_server, page, login, admin_user, shots
):
    # given two template folders and an administrator on the home page
    FolderTemplate.objects.all().delete()
    FolderTemplate.objects.create(name_zh="合同", name_en="Contracts", position=0)
    FolderTemplate.objects.create(name_zh="纪要", name_en="Minutes", position=1)
    login(admin_user)
    page.goto(f"{live_server.url}/")

    # when they open the folder template from the navigation and add a folder
    page.get_by_role("link", name="Folder template").click()
    page.locator("#new-folder-template").click()
    page.fill("#id_name_zh", "测试报告")
    page.fill("#id_name_en", "Test reports")
    page.locator("#folder-template-form").get_by_role("button", name="Save").click()

    # then it is listed last
    rows = page.locator("#folder-templates tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(2)).to_contain_text("测试报告")

    # when they rename it in both languages
    rows.nth(2).get_by_role("link", name="Rename").click()
    page.fill("#id_name_zh", "测试与验收")
    page.fill("#id_name_en", "Testing")
    page.locator("#folder-template-form").get_by_role("button", name="Save").click()
    expect(rows.nth(2)).to_contain_text("测试与验收")
    expect(rows.nth(2)).to_contain_text("Testing")

    # and move it up one place
    rows.nth(2).get_by_role("button", name="Move up").click()
    expect(rows.nth(1)).to_contain_text("测试与验收")
    page.screenshot(path=str(shots / "documents-folder-template.png"), full_page=True)

    # and remove it, confirming the question
    page.once("dialog", lambda dialog: dialog.accept())
    rows.nth(1).get_by_role("button", name="Remove").click()
    expect(rows).to_have_count(2)
    assert list(FolderTemplate.objects.values_list("name_en", flat=True)) == [
        "Contracts",
        "Minutes",
    ]
    assert page.js_errors == []
