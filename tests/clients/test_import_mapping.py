"""The import's column-mapping step, on the page and over the API: a file from another CRM
is mapped, checked and imported all or nothing; presets are saved and applied."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from clientfolio.clients.models import Client, Contact, ImportPreset
from tests.clients.test_exchange import csv_text

pytestmark = pytest.mark.django_db

IMPORT = reverse("clients:client_import")
COLUMNS = reverse("client_import_columns")
CHECK = reverse("client_import_check")
ZOHO = csv_text(
    ["Record Id", "Account Name", "First Name", "Last Name", "Email", "Lead Source"],
    [
        [
            "zcrm_1",
            "Acme Trading Ltd",
            "John",
            "Smith",
            "john@acme.example",
            "Web Download",
        ],
        ["zcrm_2", "杭州数澜科技", "", "王芳", "wang@shulan.example", "Trade Show"],
        ["zcrm_3", "Acme Trading Ltd", "Mary", "Jones", "mary@acme.example", ""],
    ],
).encode()


@pytest.fixture(autouse=True)
def english(staff):
    staff.language = "en"
    staff.save()
    with translation.override("en"):
        yield


def upload(browser, data=ZOHO, name="Contacts_2026.csv"):
    return browser.post(IMPORT, {"file": SimpleUploadedFile(name, data)})


def mapped(browser, page, mapping, **extra):
    data = {"step": "map", "token": page.context["token"], "filename": "zoho.csv"}
    data.update({f"map_{i}": field or "" for i, field in enumerate(mapping)})
    data.update(extra)
    return browser.post(IMPORT, data)


def test_a_foreign_file_opens_the_mapping_step_with_a_guess(staff_browser):
    page = upload(staff_browser)

    assert page.status_code == 200
    columns = page.context["mapping_columns"]
    assert [c["field"] for c in columns] == [
        None,
        "name",
        "contact_name",
        "contact_name",
        "contact_email",
        "source",
    ]
    assert columns[1]["samples"] == [
        "Acme Trading Ltd",
        "杭州数澜科技",
        "Acme Trading Ltd",
    ]
    assert "Zoho CRM — Contacts" in page.content.decode()
    assert not Client.objects.exists()


def test_a_preset_is_applied_then_the_file_checked_and_imported(staff_browser):
    page = upload(staff_browser)
    applied = staff_browser.post(
        IMPORT,
        {
            "step": "map",
            "action": "preset",
            "preset": "builtin:zoho-contacts",
            "token": page.context["token"],
            "filename": "zoho.csv",
        },
    )
    mapping = [c["field"] for c in applied.context["mapping_columns"]]
    assert mapping == [
        None,
        "name",
        "contact_name",
        "contact_name",
        "contact_email",
        "source",
    ]

    checked = mapped(staff_browser, page, mapping)

    assert checked.status_code == 200
    report = checked.context["report"]
    assert (report.client_count, report.contact_count) == (2, 3)
    assert not Client.objects.exists()
    done = staff_browser.post(
        IMPORT,
        {
            "token": checked.context["token"],
            "filename": "zoho.csv",
            "mapped": "1",
            **{f"map_{i}": f or "" for i, f in enumerate(mapping)},
        },
    )
    assert done.status_code == 302
    acme = Client.objects.get(name="Acme Trading Ltd")
    assert acme.source == "website"  # Zoho's "Web Download"
    assert sorted(acme.contacts.values_list("name", flat=True)) == [
        "John Smith",
        "Mary Jones",
    ]
    assert Contact.objects.get(email="wang@shulan.example").name == "王芳"


def test_leaving_the_client_name_unmapped_is_refused_with_nothing_imported(
    staff_browser,
):
    page = upload(staff_browser)

    refused = mapped(
        staff_browser, page, [None, None, None, "contact_name", None, None]
    )

    assert refused.status_code == 400
    assert "No column is mapped to “Client name”" in refused.context["mapping_error"]
    assert refused.context["mapping_columns"]  # the step again, with the choices kept
    assert not Client.objects.exists()


def test_a_mapping_is_saved_as_a_preset_for_the_firm(staff_browser):
    page = upload(staff_browser)

    mapped(
        staff_browser,
        page,
        [None, "name", None, "contact_name", "contact_email", None],
        save_as="Zoho of the sales team",
    )

    preset = ImportPreset.objects.get()
    assert preset.name == "Zoho of the sales team"
    assert preset.columns["Account Name"] == "name"
    assert preset.columns["Lead Source"] is None


def test_row_numbers_are_the_spreadsheet_rows(staff_browser):
    data = csv_text(
        ["公司", "邮箱"], [["甲公司", "a@jia.example"], ["乙公司", "not-an-address"]]
    ).encode()
    page = upload(staff_browser, data)
    checked = mapped(staff_browser, page, ["name", None])
    assert checked.status_code == 200
    page = upload(staff_browser, b"\n" + data)  # a blank line above the header
    checked = mapped(staff_browser, page, ["name", "notes"])
    assert checked.status_code == 200
    checked = mapped(staff_browser, page, ["name", "website"])

    assert checked.status_code == 400
    assert [e.row for e in checked.context["report"].errors] == [4]  # 乙公司's line
    assert "the header is row 1" in checked.content.decode()


def test_the_mapping_step_page_has_a_constant_number_of_queries(
    staff_browser, django_assert_num_queries
):
    page = upload(staff_browser)
    step = {
        "step": "map",
        "action": "preset",
        "preset": "",
        "token": page.context["token"],
        "filename": "zoho.csv",
    }
    ImportPreset.objects.create(name="One", columns={"公司": "name"})
    with django_assert_num_queries(4):  # the presets are listed in one query
        staff_browser.post(IMPORT, {**step, "preset": "saved:0"})
    for n in range(2, 6):
        ImportPreset.objects.create(name=f"Preset {n}", columns={"公司": "name"})
    with django_assert_num_queries(5):  # and one to read the preset applied
        staff_browser.post(
            IMPORT, {**step, "preset": f"saved:{ImportPreset.objects.first().pk}"}
        )


# --- the API -------------------------------------------------------------------------


def test_the_api_reads_the_columns_with_the_guess_and_the_presets(staff_api):
    response = staff_api.post(
        COLUMNS, {"file": SimpleUploadedFile("zoho.csv", ZOHO)}, format="multipart"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["own_layout"] is False
    assert [c["field"] for c in body["columns"]][:2] == [None, "name"]
    assert body["fields"]["contact_email"] == "Contact e-mail"
    assert body["presets"]["builtin:fxiaoke-accounts"] == "纷享销客 — 客户"


def test_the_api_checks_then_imports_under_a_mapping(staff_api):
    mapping = [None, "name", "contact_name", "contact_name", "contact_email", None]
    body = {
        "file": SimpleUploadedFile("zoho.csv", ZOHO),
        "mapping": json.dumps(mapping),
    }

    checked = staff_api.post(CHECK, body, format="multipart")
    assert checked.status_code == 200
    assert (checked.json()["clients"], checked.json()["contacts"]) == (2, 3)
    assert not Client.objects.exists()

    body = {
        "file": SimpleUploadedFile("zoho.csv", ZOHO),
        "mapping": json.dumps(mapping),
        "confirm": "true",
    }
    imported = staff_api.post(CHECK, body, format="multipart")
    assert imported.status_code == 201
    assert imported.json() == {"imported": 2, "contacts": 3}


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ([None, None, None, None, None, None], "No column is mapped to “Client name”"),
        (["name"], "The column mapping is for 1 columns, but the file has 6"),
        ("{bad", "Give the mapping as a JSON list."),
        ([1, 2], "Give one field key or null per column."),
    ],
)
def test_the_api_refuses_an_unusable_mapping_with_400(staff_api, mapping, message):
    raw = mapping if isinstance(mapping, str) else json.dumps(mapping)
    body = {"file": SimpleUploadedFile("zoho.csv", ZOHO), "mapping": raw}

    response = staff_api.post(CHECK, body, format="multipart")

    assert response.status_code == 400
    assert message in response.json()["mapping"][0]
    assert not Client.objects.exists()


def test_the_api_answers_row_problems_with_the_report(staff_api):
    data = csv_text(["Company", "Email"], [["甲公司", "bad@"]]).encode()
    body = {"file": SimpleUploadedFile("c.csv", data), "confirm": "true"}

    response = staff_api.post(CHECK, body, format="multipart")

    assert response.status_code == 400
    assert response.json()["mapping"] == ["name", "contact_email"]
    assert [e[:2] for e in response.json()["errors"]] == [
        [2, "Contact name"],  # an e-mail without a name is no contact
        [2, "Contact e-mail"],
    ]
    assert not Client.objects.exists()


def test_presets_are_saved_and_updated_with_their_version(staff_api):
    created = staff_api.post(
        "/api/v1/client-import-presets/",
        {"name": "CRM 导出", "columns": {"公司": "name", "编号": None}},
        format="json",
    )
    assert created.status_code == 201
    url = f"/api/v1/client-import-presets/{created.json()['id']}/"
    stale = {"columns": {"公司": "name"}, "version": 0}
    assert staff_api.patch(url, stale, format="json").status_code == 409
    bad = {"columns": {"公司": "shoe_size"}, "version": 1}
    assert staff_api.patch(url, bad, format="json").status_code == 400
    ok = staff_api.patch(
        url, {"columns": {"公司": "name"}, "version": 1}, format="json"
    )
    assert ok.status_code == 200
    assert ok.json()["version"] == 2


# --- the command line ------------------------------------------------------------------


def test_the_command_maps_a_foreign_file_by_preset_and_says_so(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "Contacts.csv"
    path.write_bytes(ZOHO)
    out = StringIO()
    call_command(
        "import_clients",
        str(path),
        "--preset",
        "zoho-contacts",
        "--language",
        "en",
        verbosity=0,
        stdout=out,
    )
    assert "First Name → Contact name" in out.getvalue()
    assert "Record Id → (left out)" in out.getvalue()
    assert "Imported 2 clients with 3 contacts." in out.getvalue()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "1 problem found; nothing was imported (rows are numbered"),
        (
            "zh-hans",
            "发现 1 个问题，未导入任何数据（行号与电子表格一致：表头为第 1 行）。",
        ),
    ],
)
def test_the_command_reports_in_the_users_language_with_plurals(
    tmp_path, language, message
):
    from io import StringIO

    from django.core.management import CommandError, call_command

    path = tmp_path / "c.csv"
    path.write_bytes(csv_text(["公司", "网址"], [["甲公司", "not a site"]]).encode())
    err = StringIO()
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        call_command(
            "import_clients",
            str(path),
            "--language",
            language,
            "--dry-run",
            verbosity=0,
            stderr=err,
            stdout=StringIO(),
        )
    assert not Client.objects.exists()
