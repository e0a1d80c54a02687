"""Import and export of clients: encodings, headers, row errors, all-or-nothing, web and CLI."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from clientfolio.clients import exchange
from clientfolio.clients.models import Client, Contact
from tests.clients.factories import ClientFactory

pytestmark = pytest.mark.django_db

ENGLISH_HEADER = [
    "Client name",
    "Status",
    "Industry",
    "Tags",
    "Contact name",
    "Contact phone",
    "Contact e-mail",
    "Primary contact",
]
CHINESE_HEADER = [
    "客户名称",
    "状态",
    "行业",
    "标签",
    "联系人姓名",
    "联系人电话",
    "联系人邮箱",
    "主联系人",
]
ROWS = [
    [
        "杭州数澜科技有限公司",
        "活跃",
        "软件与互联网",
        "华东，重点",
        "王芳",
        "13700001111",
        "wang.fang@shulan.cn",
        "是",
    ],
    ["杭州数澜科技有限公司", "", "", "", "赵磊", "0571-88886666", "", "否"],
    ["Acme Trading Ltd", "prospect", "retail", "", "", "", "", ""],
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def csv_text(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def xlsx_bytes(header, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 with BOM": lambda text: text.encode("utf-8-sig"),
    "gbk": lambda text: text.encode("gbk"),
}


def _import(data, filename="clients.csv"):
    report = exchange.parse_file(data, filename)
    assert report.ok, report.errors
    return exchange.import_clients(report)


def _assert_imported():
    assert sorted(Client.objects.values_list("name", flat=True)) == [
        "Acme Trading Ltd",
        "杭州数澜科技有限公司",
    ]
    shulan = Client.objects.get(name="杭州数澜科技有限公司")
    assert (shulan.status, shulan.industry) == ("active", "software")
    assert sorted(t.name for t in shulan.tags.all()) == ["华东", "重点"]
    assert sorted(shulan.contacts.values_list("name", "is_primary")) == [
        ("王芳", True),
        ("赵磊", False),
    ]
    assert "13700001111" in shulan.search_text
    assert shulan.name_sort.startswith("hang zhou")
    assert Client.objects.get(name="Acme Trading Ltd").contacts.count() == 0


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("header", [ENGLISH_HEADER, CHINESE_HEADER], ids=["en", "zh"])
def test_csv_files_in_each_encoding_and_header_language_import(encoding, header):
    data = ENCODINGS[encoding](csv_text(header, ROWS))
    assert _import(data) == 2
    _assert_imported()


@pytest.mark.parametrize("header", [ENGLISH_HEADER, CHINESE_HEADER], ids=["en", "zh"])
def test_excel_files_import(header):
    assert _import(xlsx_bytes(header, ROWS), "clients.xlsx") == 2
    _assert_imported()


def test_column_keys_work_as_headers_and_semicolons_as_separators():
    text = "name;contact_name;contact_email\n成都天府软件;刘强;liu@tianfu.cn\n"
    assert _import(text.encode()) == 1
    assert Contact.objects.get().email == "liu@tianfu.cn"


def test_an_unknown_column_is_refused_with_its_name():
    data = csv_text(["Client name", "Shoe size"], [["某公司", "42"]]).encode()
    with pytest.raises(exchange.ImportError_, match="Shoe size"):
        exchange.parse_file(data, "clients.csv")


def test_a_file_without_a_name_column_is_refused():
    data = csv_text(["Status"], [["active"]]).encode()
    with pytest.raises(exchange.ImportError_, match="Client name"):
        exchange.parse_file(data, "clients.csv")


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"\xff\xfe\x00garbage", "clients.csv"),
        (bytes(range(256)) * 8, "clients.csv"),
        (b"", "clients.csv"),
        (b"   \n  ", "clients.csv"),
        (b"PK\x03\x04 this is not a zip", "clients.xlsx"),
        (b"name\n\x00\x00\x00", "clients.csv"),
    ],
    ids=["utf16-ish", "binary", "empty", "blank", "broken-xlsx", "nul-bytes"],
)
def test_unreadable_files_raise_an_import_error_with_a_message(data, filename):
    with pytest.raises(exchange.ImportError_) as raised:
        exchange.parse_file(data, filename)
    assert str(raised.value)
    assert not Client.objects.exists()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_a_report_or_an_import_error_never_a_crash(data):
    try:
        report = exchange.parse_file(data, "upload.csv")
    except exchange.ImportError_ as error:
        message = str(error)
    else:
        message = "ok" if report.ok else report.errors[0].message
    assert message


def test_row_errors_name_the_row_and_the_column():
    # given a file whose third row (second data row) has a bad e-mail and a bad phone
    rows = [
        ["甲公司", "", "", "", "张三", "13800000000", "a@example.cn", ""],
        ["乙公司", "", "", "", "李四", "phone?", "not-an-email", ""],
    ]
    data = csv_text(ENGLISH_HEADER, rows).encode()

    # when it is checked
    report = exchange.parse_file(data, "clients.csv")

    # then both problems point at row 3 and their columns
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    assert found == {(3, "Contact e-mail"), (3, "Contact phone")}
    assert any("e-mail" in e.message for e in report.errors)


@pytest.mark.parametrize(
    ("column", "value", "label"),
    [
        ("Status", "maybe", "Status"),
        ("Industry", "astrology", "Industry"),
        ("Primary contact", "perhaps", "Primary contact"),
    ],
)
def test_unknown_choices_are_row_errors(column, value, label):
    row = dict.fromkeys(ENGLISH_HEADER, "")
    row.update({"Client name": "丙公司", "Contact name": "王五", column: value})
    data = csv_text(ENGLISH_HEADER, [list(row.values())]).encode()
    report = exchange.parse_file(data, "clients.csv")
    assert [(e.row, e.column) for e in report.errors] == [(2, label)]


def test_one_bad_row_means_nothing_is_imported():
    # given a file with two good rows and one bad one
    rows = [*ROWS, ["丁公司", "", "", "", "孙七", "", "bad@", ""]]
    data = csv_text(ENGLISH_HEADER, rows).encode()

    # when it is checked, then it is refused as a whole
    report = exchange.parse_file(data, "clients.csv")
    assert [(e.row, e.column) for e in report.errors] == [(5, "Contact e-mail")]
    with pytest.raises(ValueError, match="errors"):
        exchange.import_clients(report)
    assert not Client.objects.exists()
    assert not Contact.objects.exists()


def test_a_client_name_that_already_exists_is_an_error():
    ClientFactory(name="Acme Trading Ltd")
    data = csv_text(["Client name"], [["ACME trading ltd"]]).encode()
    report = exchange.parse_file(data, "clients.csv")
    assert [(e.row, e.column) for e in report.errors] == [(2, "Client name")]
    assert "already exists" in report.errors[0].message


def test_rows_of_one_client_that_disagree_are_an_error():
    rows = [["戊公司", "active"], ["戊公司", "lost"]]
    report = exchange.parse_file(csv_text(["Client name", "Status"], rows).encode())
    assert [(e.row, e.column) for e in report.errors] == [(3, "Status")]


def test_an_unknown_account_manager_is_an_error(staff):
    rows = [["己公司", "staff"], ["庚公司", "nobody"]]
    data = csv_text(["Client name", "Account manager"], rows).encode()
    report = exchange.parse_file(data)
    assert [(e.row, e.column) for e in report.errors] == [(3, "Account manager")]


def test_export_then_import_round_trips(client_record):
    # given the export of a client
    data = b"".join(exchange.export_csv(Client.objects.for_export()))
    client_record.delete()

    # when it is imported again
    assert _import(data) == 1

    # then the client and its contacts are back
    client = Client.objects.get(name="上海云帆信息科技有限公司")
    assert sorted(client.contacts.values_list("name", flat=True)) == ["张伟", "李娜"]
    assert sorted(t.name for t in client.tags.all()) == ["华东", "重点"]


def test_the_xlsx_export_can_be_imported_again(client_record):
    data = exchange.export_xlsx(Client.objects.for_export())
    assert load_workbook(io.BytesIO(data)).worksheets[0].max_row == 3
    client_record.delete()
    assert _import(data, "clients.xlsx") == 1


# --- the web flow: upload → preview → confirm -------------------------------------------------

IMPORT = reverse("clients:client_import")


def upload(browser, data, name="clients.csv"):
    return browser.post(IMPORT, {"file": SimpleUploadedFile(name, data)})


def test_the_web_import_previews_then_imports_on_confirmation(staff_browser):
    # when staff upload a GBK file
    data = csv_text(CHINESE_HEADER, ROWS).encode("gbk")
    response = upload(staff_browser, data)

    # then they see a preview and nothing is written yet
    assert response.status_code == 200
    assert "杭州数澜科技有限公司" in response.content.decode()
    token = response.context["token"]
    assert not Client.objects.exists()

    # when they confirm, then everything is imported
    response = staff_browser.post(IMPORT, {"token": token, "filename": "clients.csv"})
    assert response.status_code == 302
    _assert_imported()


def test_the_web_import_shows_row_errors_and_offers_no_confirmation(staff_browser):
    rows = [*ROWS, ["丁公司", "", "", "", "孙七", "", "bad@", ""]]
    response = upload(staff_browser, csv_text(ENGLISH_HEADER, rows).encode())
    body = response.content.decode()
    assert response.status_code == 400
    assert "Contact e-mail" in body
    assert "token" not in response.context
    assert not Client.objects.exists()


@pytest.mark.parametrize(
    ("data", "name"),
    [(b"\xff\xfe\x00garbage", "clients.csv"), (b"name\n", "clients.pdf")],
    ids=["unreadable", "wrong-type"],
)
def test_the_web_import_refuses_unusable_files_with_a_message(
    staff_browser, data, name
):
    response = upload(staff_browser, data, name)
    assert response.status_code == 400
    assert response.context["file_error"]
    assert not Client.objects.exists()


def test_the_web_import_without_a_file_says_so(staff_browser):
    response = staff_browser.post(IMPORT, {})
    assert response.status_code == 400
    assert "Choose a CSV or Excel file." in response.content.decode()


def test_an_expired_or_forged_token_imports_nothing(staff_browser):
    response = staff_browser.post(IMPORT, {"token": "deadbeef", "filename": "x.csv"})
    assert response.status_code == 302
    assert staff_browser.post(IMPORT, {"token": "../../etc/passwd"}).status_code == 403
    assert not Client.objects.exists()


def test_a_confirmation_is_rechecked_against_clients_created_meanwhile(staff_browser):
    # given an upload that was previewed
    data = csv_text(ENGLISH_HEADER, ROWS).encode()
    token = upload(staff_browser, data).context["token"]

    # when one of its clients is created before the confirmation
    ClientFactory(name="Acme Trading Ltd")
    response = staff_browser.post(IMPORT, {"token": token, "filename": "clients.csv"})

    # then nothing is imported
    assert response.status_code == 400
    assert Client.objects.count() == 1


def test_the_import_template_is_a_csv_with_the_headers(staff_browser):
    response = staff_browser.get(reverse("clients:import_template"))
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").startswith("Client name,")


# --- the command line --------------------------------------------------------------------------


def test_the_command_imports_a_file(tmp_path):
    path = tmp_path / "clients.csv"
    path.write_bytes(csv_text(CHINESE_HEADER, ROWS).encode("utf-8-sig"))
    out = io.StringIO()
    call_command(
        "import_clients", str(path), "--language", "en", verbosity=0, stdout=out
    )
    assert "Imported 2 clients with 2 contacts." in out.getvalue()
    _assert_imported()


def test_the_command_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "clients.xlsx"
    path.write_bytes(xlsx_bytes(ENGLISH_HEADER, ROWS))
    out = io.StringIO()
    call_command(
        "import_clients",
        str(path),
        "--dry-run",
        "--language",
        "en",
        verbosity=0,
        stdout=out,
    )
    assert (
        "OK: 2 clients with 2 contacts. Nothing was imported (dry run)."
        in out.getvalue()
    )
    assert not Client.objects.exists()


def test_the_command_reports_row_errors_and_imports_nothing(tmp_path):
    path = tmp_path / "clients.csv"
    rows = [*ROWS, ["丁公司", "", "", "", "孙七", "", "bad@", ""]]
    path.write_text(csv_text(ENGLISH_HEADER, rows), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_clients", str(path), "--language", "en", verbosity=0, stderr=err
        )
    assert "row 5, Contact e-mail" in err.getvalue()
    assert not Client.objects.exists()


def test_the_command_refuses_a_missing_or_unreadable_file(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command(
            "import_clients",
            str(tmp_path / "missing.csv"),
            "--language",
            "en",
            verbosity=0,
        )
    path = tmp_path / "garbage.csv"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CommandError):
        call_command("import_clients", str(path), verbosity=0)
