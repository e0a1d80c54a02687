"""Starting a project from a template in a real browser: from the project list's
"From a template" to the new project's Gantt with its bars and milestones."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_project_started_from_a_template_opens_on_its_gantt(
    live_server, page, signed_in, make_client, shots
):
    from clientfolio.blueprints import builtin
    from clientfolio.schedule.models import Task

    builtin.install()
    make_client("Northwind Traders Ltd.", owner=signed_in)

    # from the project list, the "From a template" button
    page.goto(f"{live_server.url}/projects/")
    page.click("#start-from-template")
    page.select_option("#id_template", label="Website / app delivery")
    page.select_option("#id_client", label="Northwind Traders Ltd.")
    page.fill("#id_name", "Northwind storefront")
    page.select_option("#id_language", "en")
    page.click("#start-form button[type=submit]")

    # the new project's Gantt shows the template's tasks and milestones
    expect(page.locator("[data-gantt][data-gantt-ready]")).to_have_count(1)
    assert "/schedule/gantt/" in page.url
    expect(page.get_by_text("started from “Website / app delivery”")).to_be_visible()
    launch = Task.objects.get(name="Launch")
    expect(page.locator(f'.cf-g-milestone[data-id="{launch.pk}"]')).to_have_count(1)
    front_end = Task.objects.get(name="Front-end development")
    expect(
        page.locator(f'.cf-g-task[data-id="{front_end.pk}"] .cf-g-bar')
    ).to_be_visible()
    page.screenshot(path=str(shots / "template-started-gantt.png"), full_page=True)
    assert page.js_errors == []
