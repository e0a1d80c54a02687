"""Importing a client list exported from another CRM through the column-mapping step."""

import re

import pytest
from playwright.sync_api import expect

from clientfolio.clients.models import Client, ImportPreset

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FXIAOKE = (
    "客户名称,客户级别,客户来源,行业,详细地址,负责人,联系人姓名,手机\r\n"
    "上海云帆信息科技有限公司,A,转介绍,软件,上海市浦东新区张江路 88 号,赵经理,张伟,13800138000\r\n"
    "北京星河贸易有限公司,B,官网,零售,,钱经理,王芳,13900139000\r\n"
).encode("utf-8-sig")


def test_a_csv_with_foreign_headers_is_mapped_checked_and_imported(
    live_server, page, signed_in, shots
):
    page.goto(live_server.url + "/clients/import/")
    page.set_input_files(
        "#id_file",
        files=[{"name": "纷享销客客户.csv", "mimeType": "text/csv", "buffer": FXIAOKE}],
    )
    page.get_by_role("button", name="Check file").click()

    step = page.get_by_test_id("import-mapping")
    expect(step).to_contain_text("Map the columns of 纷享销客客户.csv")
    expect(page.get_by_label("客户名称")).to_have_value("name")
    expect(page.get_by_label("联系人姓名")).to_have_value("contact_name")
    expect(page.get_by_label("负责人")).to_have_value("owner")  # guessed, but…
    page.get_by_label("Preset", exact=True).select_option(label="纷享销客 — 客户")
    page.get_by_role("button", name="Apply preset").click()
    expect(page.get_by_label("负责人")).to_have_value("")  # …the preset leaves it out
    expect(page.get_by_label("客户级别")).to_have_value("tier_override")
    page.screenshot(path=str(shots / "import-mapping.png"), full_page=True)

    # Without the client name nothing goes further.
    page.get_by_label("客户名称").select_option("")
    page.get_by_role("button", name="Check file").click()
    expect(page.get_by_test_id("mapping-error")).to_contain_text(
        "No column is mapped to “Client name”"
    )
    page.get_by_label("客户名称").select_option("name")
    page.get_by_label("Save this mapping as a preset (optional)").fill(
        "纷享销客（销售部）"
    )
    page.get_by_role("button", name="Check file").click()

    expect(page.get_by_role("status")).to_contain_text(
        "2 rows read: 2 clients with 2 contacts"
    )
    assert Client.objects.count() == 0
    page.get_by_role("button", name="Import 2 clients").click()
    expect(page).to_have_url(re.compile(r"/clients/$"))
    yunfan = Client.objects.get(name="上海云帆信息科技有限公司")
    assert (yunfan.tier_override, yunfan.source, yunfan.industry) == (
        "A",
        "referral",
        "software",
    )
    assert yunfan.contacts.get().phone == "13800138000"
    assert ImportPreset.objects.get().name == "纷享销客（销售部）"
    # The refused mapping was answered 400, which the console reports; nothing else.
    assert [e for e in page.js_errors if "status of 400" not in e] == []
