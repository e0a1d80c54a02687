"""The template pages: list, detail, edit, delete, starting a project and saving one."""

import json
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from clientfolio.blueprints import builtin, services
from clientfolio.blueprints.models import ProjectTemplate
from clientfolio.projects.models import Project
from clientfolio.schedule.models import Task

SMALL = {
    "tasks": [
        {"ref": "a", "name": {"zh": "调研", "en": "Discovery"}, "duration": 3},
        {
            "ref": "b",
            "name": {"zh": "上线", "en": "Launch"},
            "milestone": True,
            "acceptance": {"en": "Signed off"},
        },
    ],
    "links": [{"from": "a", "to": "b", "type": "FS", "lag": 2}],
    "folders": [{"ref": "f", "name": {"zh": "合同", "en": "Contracts"}}],
    "roles": [{"role": "member", "name": {"en": "Tester"}}],
}


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime(2026, 2, 2, 9, tzinfo=UTC), tick=False):
        yield


def make_templates(count, user=None):
    return [
        services.create_template(user=user, content=SMALL, name_en=f"Template {i}")
        for i in range(count)
    ]


def test_the_list_costs_the_same_queries_for_one_and_for_many_templates(
    staff_browser, django_assert_num_queries
):
    make_templates(1)
    with django_assert_num_queries(3):
        response = staff_browser.get(reverse("blueprints:template_list"))
    assert response.status_code == 200
    make_templates(5)
    with django_assert_num_queries(3):
        response = staff_browser.get(reverse("blueprints:template_list"))
    assert response.content.decode().count("Template ") == 6


def test_the_detail_shows_the_plan_in_ms_project_notation(
    staff_browser, django_assert_num_queries
):
    template = make_templates(1)[0]
    with django_assert_num_queries(4):
        response = staff_browser.get(
            reverse("blueprints:template_detail", args=[template.pk])
        )
    body = response.content.decode()
    assert "Discovery" in body
    assert "Launch" in body
    assert "1FS+2" in body
    assert "Signed off" in body
    assert "Contracts" in body
    assert "Tester" in body


def test_a_staff_user_starts_a_project_and_lands_on_its_gantt(staff_browser, staff):
    from tests.clients.factories import ClientFactory

    template = make_templates(1)[0]
    client = ClientFactory(name="Northwind Traders Ltd.")
    response = staff_browser.post(
        reverse("blueprints:project_start"),
        {
            "template": template.pk,
            "client": client.pk,
            "name": "Northwind portal",
            "manager": staff.pk,
            # Spring Festival 2026 (2-15 … 2-23): the plan starts after it
            "starts_on": "2026-02-17",
            "calendar": "cn",
            "language": "en",
        },
        follow=True,
    )
    project = Project.objects.get(name="Northwind portal")
    assert response.redirect_chain[-1][0] == reverse(
        "schedule:gantt", args=[project.pk]
    )
    body = response.content.decode()
    assert "is not a working day" in body
    assert "Tester" in body
    assert project.starts_on > date(2026, 2, 17)
    launch = Task.objects.get(project=project, name="Launch")
    assert launch.is_milestone
    assert launch.start is not None


def test_a_missing_client_is_an_error_on_the_field_and_nothing_is_created(
    staff_browser, staff
):
    template = make_templates(1)[0]
    response = staff_browser.post(
        reverse("blueprints:project_start"),
        {
            "template": template.pk,
            "name": "No client",
            "manager": staff.pk,
            "starts_on": "2026-03-02",
            "calendar": "cn",
            "language": "en",
        },
    )
    assert response.status_code == 400
    assert "Choose the client the project is for." in response.content.decode()
    assert not Project.objects.filter(name="No client").exists()


def test_a_template_off_the_schema_shows_a_clear_error(staff_browser, staff):
    from tests.clients.factories import ClientFactory

    template = make_templates(1)[0]
    # a stored version that was written by hand with a cycle
    template.revisions.update(
        content={**SMALL, "links": [*SMALL["links"], {"from": "b", "to": "a"}]}
    )
    response = staff_browser.post(
        reverse("blueprints:project_start"),
        {
            "template": template.pk,
            "client": ClientFactory().pk,
            "name": "Cyclic",
            "manager": staff.pk,
            "starts_on": "2026-03-02",
            "calendar": "cn",
            "language": "en",
        },
    )
    assert response.status_code == 400
    assert "links form a cycle" in response.content.decode()
    assert not Project.objects.filter(name="Cyclic").exists()


def test_the_manager_saves_the_project_as_a_template(project, as_persona):
    browser = as_persona("project_manager")
    response = browser.post(
        reverse("blueprints:save_as_template", args=[project.pk]),
        {"name": "Data platform"},
    )
    template = ProjectTemplate.objects.get(name_en="Data platform")
    assert response["Location"] == reverse(
        "blueprints:template_detail", args=[template.pk]
    )
    assert template.source_project == project
    assert template.created_by.username == "pm"


def test_the_author_edits_and_deletes_their_template_but_not_another(
    staff_browser, staff, admin
):
    own = make_templates(1, user=staff)[0]
    other = make_templates(1, user=admin)[0]
    edit = staff_browser.post(
        reverse("blueprints:template_edit", args=[own.pk]),
        {"name_zh": "我的模板", "name_en": "", "version": own.version},
    )
    assert edit.status_code == 302
    stale = staff_browser.post(
        reverse("blueprints:template_edit", args=[own.pk]),
        {"name_zh": "又改", "name_en": "", "version": own.version},
    )
    assert stale.status_code == 409
    refused = staff_browser.post(reverse("blueprints:template_delete", args=[other.pk]))
    assert refused.status_code == 403
    staff_browser.post(reverse("blueprints:template_delete", args=[own.pk]))
    assert list(ProjectTemplate.objects.values_list("pk", flat=True)) == [other.pk]


def test_an_administrator_adds_the_built_in_templates(admin_browser):
    response = admin_browser.get(reverse("blueprints:template_list"))
    assert "Add the built-in templates" in response.content.decode()
    admin_browser.post(reverse("blueprints:builtin_install"))
    assert ProjectTemplate.objects.filter(builtin_key__isnull=False).count() == len(
        builtin.TEMPLATES
    )


def test_a_downloaded_template_imports_again_and_a_cycle_is_refused(admin_browser):
    from django.core.files.uploadedfile import SimpleUploadedFile

    template = make_templates(1)[0]
    exported = admin_browser.get(
        reverse("blueprints:template_export", args=[template.pk])
    )
    assert exported["Content-Disposition"].startswith("attachment")
    document = exported.json()
    assert document["name"]["en"] == "Template 0"

    url = reverse("blueprints:template_import")
    added = admin_browser.post(
        url, {"file": SimpleUploadedFile("t.json", exported.content)}, follow=True
    )
    assert ProjectTemplate.objects.filter(name_en="Template 0").count() == 2
    assert "Discovery" in added.content.decode()

    document["links"].append({"from": "b", "to": "a"})
    refused = admin_browser.post(
        url,
        {"file": SimpleUploadedFile("t.json", json.dumps(document).encode())},
    )
    assert refused.status_code == 400
    assert "links form a cycle: Discovery (a) → Launch (b) → Discovery (a)" in (
        refused.content.decode()
    )
    not_json = admin_browser.post(url, {"file": SimpleUploadedFile("t.json", b"<x>")})
    assert "not a JSON document" in not_json.content.decode()
    assert ProjectTemplate.objects.count() == 2
