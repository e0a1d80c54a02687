"""The firm's report template in a browser: an administrator moves the risks first, takes
the tasks out, uploads the logo, and the next draft shows them in that order with it."""

import io

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_template_orders_the_next_draft_and_puts_the_logo_on_it(
    live_server, page, login, make_client, settings, tmp_path
):
    from PIL import Image

    from clientfolio.core.models import User
    from clientfolio.projects import services
    from clientfolio.projects.models import Project

    settings.MEDIA_ROOT = tmp_path / "media"
    admin = login(
        User.objects.create_user(
            username="boss", password="x-admin-pass-1", role="admin", language="en"
        )
    )
    project = services.create_project(
        Project(name="客户数据平台一期", client=make_client("上海云帆"), manager=admin),
        user=admin,
    )
    logo = tmp_path / "logo.png"
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), "#206bc4").save(buffer, "PNG")
    logo.write_bytes(buffer.getvalue())
    (tmp_path / "fake.png").write_text("<svg/>")

    # given the template page, reached from the project's reports
    page.goto(f"{live_server.url}/projects/{project.pk}/reports/")
    page.get_by_role("link", name="Report template").click()
    # when a file that only calls itself a picture is uploaded
    page.set_input_files("#id_logo", str(tmp_path / "fake.png"))
    page.get_by_role("button", name="Save the template").click()
    expect(page.locator("#logo-error")).to_contain_text("must be a PNG or JPEG")
    # when the risks come first, the tasks go and the real logo is uploaded
    page.get_by_label("Place of Risks and issues").fill("1")
    page.get_by_label("Place of Progress").fill("2")
    page.get_by_label("Tasks in reports").uncheck()
    page.set_input_files("#id_logo", str(logo))
    page.get_by_role("button", name="Save the template").click()
    expect(page.locator("#template-logo")).to_be_visible()

    # then this period's draft follows it
    page.goto(f"{live_server.url}/projects/{project.pk}/reports/")
    page.get_by_role("button", name="Draft this period's report").click()
    expect(page.locator("#report-logo")).to_be_visible()
    sections = page.locator(".cf-report-section").evaluate_all(
        "nodes => nodes.map(n => n.dataset.section)"
    )
    assert sections[0] == "risks"
    assert "tasks" not in sections
