"""Spreadsheet bombs: a small upload that expands to millions of cells is refused
quickly, with a message, before the server's memory grows; CSV files are bounded too."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.utils import translation

from clientfolio.clients import exchange

HEADER = ["Client name", "Contact name"]
CELL = '<c r="A{row}" t="inlineStr"><is><t>某公司</t></is></c>'


@pytest.fixture(autouse=True)
def _english():
    """The refusals are asserted in English; the default language is Chinese."""
    with translation.override("en"):
        yield


def _workbook(sheet_rows, dimension="", doctype=""):
    """An .xlsx written as XML straight into a zip, streaming ``sheet_rows`` (row XML
    strings), so a file with millions of cells costs the test no memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType='
            '"application/vnd.openxmlformats-package.relationships+xml"/><Default '
            'Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
            '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        package.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats'
            '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            "schemas.openxmlformats.org/officeDocument/2006/relationships/"
            'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        package.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets><sheet name="Sheet1" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        package.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats'
            '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            "schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
            '" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with package.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                (
                    f'<?xml version="1.0"?>{doctype}<worksheet xmlns="http://schemas.'
                    f'openxmlformats.org/spreadsheetml/2006/main">{dimension}'
                    "<sheetData>"
                ).encode()
            )
            chunk = []
            for row in sheet_rows:
                chunk.append(row)
                if len(chunk) == 10_000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write(("".join(chunk) + "</sheetData></worksheet>").encode())
    return buffer.getvalue()


def _rows(count, cells=1):
    for row in range(1, count + 1):
        line = "".join(
            f'<c r="{chr(65 + column % 26)}{row}"><v>{column}</v></c>'
            for column in range(cells)
        )
        yield f'<row r="{row}">{line}</row>'


def _refused_quickly(data, filename, match):
    """Parse ``data``; assert it is refused with ``match`` within 5 s of CPU and 30 MB
    (CPU time, not the clock: a busy machine must not fail it)."""
    tracemalloc.start()
    started = time.process_time()
    try:
        with pytest.raises(exchange.ImportError_, match=match):
            exchange.parse_file(data, filename)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.process_time() - started < 5
    assert peak < 30 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"


def test_a_workbook_that_expands_to_ten_million_cells_is_refused_at_once():
    # given 1,000,000 rows of 10 cells: a few hundred KB that unpack to ~170 MB
    row = "<row>" + "<c><v>1</v></c>" * 10 + "</row>"
    bomb = _workbook(row for _ in range(1_000_000))
    assert len(bomb) < 2 * 1024 * 1024

    # when it is imported, then it is refused before openpyxl opens it
    _refused_quickly(bomb, "clients.xlsx", "too large once unpacked|far more than")


def test_rows_are_counted_while_streaming_the_sheet(monkeypatch):
    # given the unpacked-size checks out of the way, a sheet of 200,000 rows
    monkeypatch.setattr(exchange, "MAX_XLSX_RATIO", 10**9)
    data = _workbook(_rows(200_000))

    # then the scan stops at the row limit
    _refused_quickly(data, "clients.xlsx", "more than 100,000 rows")


def test_a_declared_dimension_beyond_the_limits_is_refused():
    data = _workbook(_rows(2), dimension='<dimension ref="A1:XFD1048576"/>')
    _refused_quickly(data, "clients.xlsx", "more than 100,000 rows")


def test_a_row_with_too_many_cells_is_refused(monkeypatch):
    monkeypatch.setattr(exchange, "MAX_XLSX_RATIO", 10**9)
    wide = "".join(f'<c r="A1"><v>{n}</v></c>' for n in range(500_000))
    data = _workbook([f'<row r="1">{wide}</row>'])
    _refused_quickly(data, "clients.xlsx", "Row 1 has more than 100 columns")


def test_xml_entity_declarations_are_refused():
    doctype = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>'
    data = _workbook(_rows(2), doctype=doctype)
    _refused_quickly(data, "clients.xlsx", "XML declarations that are not allowed")


@pytest.mark.django_db
def test_a_workbook_within_the_limits_still_imports():
    data = _workbook(
        [
            '<row r="1"><c r="A1" t="inlineStr"><is><t>Client name</t></is></c></row>',
            '<row r="2">' + CELL.format(row=2) + "</row>",
        ]
    )
    report = exchange.parse_file(data, "clients.xlsx")
    assert report.ok, report.errors
    assert [client.values["name"] for client in report.clients] == ["某公司"]


# --- CSV ------------------------------------------------------------------------------


def test_a_csv_with_too_many_rows_is_refused():
    data = ("Client name\n" + "某公司\n" * 110_000).encode()
    _refused_quickly(data, "clients.csv", "more than 100,000 rows")


def test_a_csv_line_that_is_too_long_is_refused():
    data = ("Client name\n" + "," * 10_000_000 + "\n").encode()
    _refused_quickly(data, "clients.csv", "Line 2 is longer than 100,000 characters")


def test_a_csv_row_with_too_many_columns_is_refused():
    data = ("Client name\n" + "x," * 500 + "x\n").encode()
    _refused_quickly(data, "clients.csv", "Row 2 has more than 100 columns")


@pytest.mark.django_db
def test_an_exported_cell_defused_against_formulas_imports_as_it_was():
    data = "Client name,Contact name\n'=某公司,'@张伟\n".encode()
    report = exchange.parse_file(data, "clients.csv")
    assert report.ok, report.errors
    assert report.clients[0].values["name"] == "=某公司"
    assert report.clients[0].contacts[0]["name"] == "@张伟"


def test_the_import_page_refuses_a_bomb_with_the_message(staff_browser):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    row = "<row>" + "<c><v>1</v></c>" * 10 + "</row>"
    bomb = _workbook(row for _ in range(1_000_000))

    response = staff_browser.post(
        reverse("clients:client_import"),
        {"file": SimpleUploadedFile("clients.xlsx", bomb)},
    )

    assert response.status_code == 400
    assert "far more than its size" in response.content.decode()
