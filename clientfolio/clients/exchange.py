"""Import and export of clients with their contacts, as CSV (UTF-8, UTF-8 with BOM, GBK)
and Excel.

One row per contact; the client's columns repeat on each of its rows, and a client without
contacts has one row with the contact columns empty. Headers may be the column keys or their
labels in English or Chinese; a file from another CRM goes through a column mapping
(``clients.mapping``) that says which of its columns feeds which field. An import is
all-or-nothing: it is validated completely first, and any error means nothing is written;
the report names row, column and reason.

Row numbers are the file's own line numbers as a spreadsheet shows them: the header is
row 1 (or lower, after blank rows above it) and the first data row the one after it, so
a user finds a reported row by its number in Excel or WPS.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from xml.parsers.expat import ExpatError, ParserCreate

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.utils import column_index_from_string
from simple_history.utils import bulk_create_with_history

from clientfolio.clients import mapping as column_mapping
from clientfolio.clients.models import Client, Contact, ImportPreset, phone_validator
from clientfolio.clients.services import search_text, sort_key
from clientfolio.core.exports import csv_stream, restore_cell, safe_row
from clientfolio.core.models import Tag, User

logger = logging.getLogger(__name__)

__all__ = [
    "COLUMNS",
    "ImportError_",
    "ImportReport",
    "Table",
    "StoredReport",
    "estimate_rows",
    "export_csv",
    "export_xlsx",
    "field_choices",
    "is_own_layout",
    "mapping_for",
    "preset_choices",
    "preset_columns",
    "samples",
    "import_clients",
    "known_headers",
    "parse_file",
    "read_table",
]

# (key, label, maximum length)
COLUMNS: list[tuple[str, object, int]] = [
    ("name", gettext_lazy("Client name"), 200),
    ("kind", gettext_lazy("Kind"), 32),
    ("status", gettext_lazy("Status"), 32),
    ("industry", gettext_lazy("Industry"), 64),
    ("source", gettext_lazy("Source"), 64),
    ("owner", gettext_lazy("Account manager"), 150),
    ("tier_override", gettext_lazy("Tier override"), 8),
    ("website", gettext_lazy("Website"), 200),
    ("address", gettext_lazy("Address"), 300),
    ("tags", gettext_lazy("Tags"), 500),
    ("notes", gettext_lazy("Notes"), 5000),
    ("contact_name", gettext_lazy("Contact name"), 100),
    ("contact_title", gettext_lazy("Contact title"), 100),
    ("contact_phone", gettext_lazy("Contact phone"), 40),
    ("contact_email", gettext_lazy("Contact e-mail"), 254),
    ("contact_wechat", gettext_lazy("Contact WeChat"), 60),
    ("contact_primary", gettext_lazy("Primary contact"), 8),
]
CLIENT_KEYS = [key for key, _label, _n in COLUMNS if not key.startswith("contact_")]
CHOICE_FIELDS = {
    "kind": Client.Kind,
    "status": Client.Status,
    "industry": Client.Industry,
    "source": Client.Source,
    "tier_override": Client.Tier,
}
TRUE_WORDS = {"1", "yes", "y", "true", "是", "√", "x", "主要"}
FALSE_WORDS = {"", "0", "no", "n", "false", "否"}
MAX_ERRORS = 200


class ImportError_(Exception):
    """The file cannot be read at all (encoding, format, columns)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ParsedClient:
    row: int
    values: dict[str, str]
    tags: list[str]
    contacts: list[dict[str, object]] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: int = 0
    clients: list[ParsedClient] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def contact_count(self) -> int:
        return sum(len(c.contacts) for c in self.clients)

    @property
    def client_count(self) -> int:
        return len(self.clients)

    def to_json(self, preview: int = 20) -> dict[str, Any]:
        """What a background check keeps of the report (``core.Job.result``): the
        counts, every problem listed and the first ``preview`` clients."""
        return {
            "rows": self.rows,
            "clients": self.client_count,
            "contacts": self.contact_count,
            "truncated": self.truncated,
            "errors": [[e.row, e.column, e.message] for e in self.errors],
            "preview": [
                {
                    "row": c.row,
                    "values": {
                        "name": c.values.get("name", ""),
                        "status": c.values.get("status", ""),
                    },
                    "contacts": [
                        {"name": str(x["name"]), "phone": str(x["phone"])}
                        for x in c.contacts
                    ],
                }
                for c in self.clients[:preview]
            ],
        }

    def add(self, row: int, column: str, message: str) -> None:
        if len(self.errors) >= MAX_ERRORS:
            self.truncated = True
            return
        self.errors.append(RowError(row, column, message))


@dataclass
class StoredReport:
    """An ``ImportReport`` as a background check kept it (``ImportReport.to_json``),
    read back for the import page: the same names the page shows."""

    rows: int
    client_count: int
    contact_count: int
    truncated: bool
    errors: list[RowError]
    preview: list[dict[str, Any]]

    @property
    def ok(self) -> bool:
        return not self.errors

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StoredReport:
        return cls(
            rows=int(data.get("rows", 0)),
            client_count=int(data.get("clients", 0)),
            contact_count=int(data.get("contacts", 0)),
            truncated=bool(data.get("truncated")),
            errors=[RowError(*error) for error in data.get("errors", [])],
            preview=list(data.get("preview", [])),
        )


def known_headers() -> dict[str, str]:
    """Our own headers (each column's label in every language, and its key) → key."""
    return _header_lookup()


def field_choices() -> list[tuple[str, str]]:
    """(key, label) of every field a column can be mapped to, in the active language."""
    return [(key, str(label)) for key, label, _n in COLUMNS]


def _header_lookup() -> dict[str, str]:
    lookup = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for key, label, _n in COLUMNS:
                lookup[str(label).strip().lower()] = key
    for key, _label, _n in COLUMNS:
        lookup[key] = key
    return lookup


def _choice_lookup() -> dict[str, dict[str, str]]:
    lookup: dict[str, dict[str, str]] = {}
    for name, choices in CHOICE_FIELDS.items():
        table = {}
        for language in ("en", "zh-hans"):
            with translation.override(language):
                for value, label in choices.choices:
                    table[str(label).strip().lower()] = value
                    table[str(value).lower()] = value
        lookup[name] = table
    return lookup


def column_label(key: str) -> str:
    return next(str(label) for k, label, _n in COLUMNS if k == key)


# --- reading files -------------------------------------------------------------------------


def decode_csv(data: bytes) -> str:
    """Text of a CSV file in UTF-8 (with or without BOM) or GBK/GB18030 (Chinese Excel)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise ImportError_(
            _(
                "The file is neither UTF-8 nor GBK text. Save it as CSV (UTF-8) and try again."
            )
        ) from error


def read_rows(data: bytes, filename: str = "") -> list[list[str]]:
    """All rows of a CSV or Excel file as lists of strings (header first), trailing
    empty cells dropped.

    The file is read within ``MAX_ROWS`` rows, ``MAX_COLUMNS`` columns and ``MAX_CELLS``
    cells, counted while streaming, so a small file that expands to millions of cells
    (a "spreadsheet bomb") is refused before memory grows: ``ImportError_`` says which
    limit was passed."""
    if not data.strip():
        raise ImportError_(_("The file is empty."))
    if data[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    text = decode_csv(data)
    if "\x00" in text:
        raise ImportError_(_("The file is not a CSV text file."))
    # Only the separator is guessed: quotes are always '"' (as Excel writes them), else
    # the apostrophes of defused cells ("'=…", see core.exports) pass for quotes.
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    try:
        rows = csv.reader(_bounded_lines(text), delimiter=delimiter)
        return _collect(list(row) for row in rows)
    except csv.Error as error:
        raise ImportError_(
            _("The CSV file is malformed: %(reason)s") % {"reason": error}
        ) from error


# Limits of an import file. A client list of 100,000 rows of the export's columns fits (the
# import target of DESIGN.md); larger is split by the user. The Excel limits hold before
# openpyxl opens it.
MAX_ROWS = 100_000
MAX_COLUMNS = 100
MAX_CELLS = 2_000_000
MAX_LINE_CHARS = 100_000
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_XLSX_RATIO = 100  # unpacked / packed size of one part (real sheets: 5-30)


def _too_many_rows() -> ImportError_:
    return ImportError_(
        _("The file has more than %(rows)s rows. Split it into smaller files.")
        % {"rows": f"{MAX_ROWS:,}"}
    )


def _too_many_columns(row: int) -> ImportError_:
    return ImportError_(
        _("Row %(row)s has more than %(columns)s columns.")
        % {"row": row, "columns": MAX_COLUMNS}
    )


def _too_many_cells() -> ImportError_:
    return ImportError_(
        _("The file has more than %(cells)s cells. Split it into smaller files.")
        % {"cells": f"{MAX_CELLS:,}"}
    )


def _bounded_lines(text: str) -> Iterator[str]:
    """The lines of ``text``, each measured before it is copied."""
    start, number = 0, 0
    while start < len(text):
        number += 1
        end = text.find("\n", start)
        end = len(text) if end == -1 else end + 1
        if end - start > MAX_LINE_CHARS:
            raise ImportError_(
                _("Line %(line)s is longer than %(chars)s characters.")
                % {"line": number, "chars": f"{MAX_LINE_CHARS:,}"}
            )
        yield text[start:end]
        start = end


def _collect(rows: Iterable[Iterable[object]]) -> list[list[str]]:
    """Rows as text, counted as they arrive; stops at the first limit passed."""
    collected: list[list[str]] = []
    cells = 0
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS + 1:  # the header is not a data row
            raise _too_many_rows()
        values = [
            "" if cell is None else restore_cell(_cell_text(cell)) for cell in row
        ]
        while values and not values[-1]:
            values.pop()
        if len(values) > MAX_COLUMNS:
            raise _too_many_columns(number)
        cells += len(values)
        if cells > MAX_CELLS:
            raise _too_many_cells()
        collected.append(values)
    return collected


def _read_xlsx(data: bytes) -> list[list[str]]:
    unreadable = _("The Excel file cannot be read: it may be damaged.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            _check_package(package)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError) as error:
        raise ImportError_(unreadable) from error
    except ExpatError as error:
        raise ImportError_(unreadable) from error
    try:
        sheet = workbook.worksheets[0]
        return _collect(sheet.iter_rows(values_only=True))
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, ExpatError) as error:
        raise ImportError_(unreadable) from error
    finally:
        workbook.close()


def _check_package(package: zipfile.ZipFile) -> int:
    """Refuse a workbook that unpacks too large, or whose sheets or shared strings pass
    the limits, by streaming their XML once with expat (constant memory) before openpyxl
    reads it. Also refuses XML with a DOCTYPE: entity expansion is another bomb.
    Returns the number of rows of its sheets."""
    parts = package.infolist()
    if sum(part.file_size for part in parts) > MAX_XLSX_UNPACKED_BYTES:
        raise ImportError_(
            _("The Excel file is too large once unpacked (more than %(size)s MB).")
            % {"size": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)}
        )
    for part in parts:
        if part.file_size > 1024 * 1024 and part.file_size > MAX_XLSX_RATIO * max(
            part.compress_size, 1
        ):
            raise ImportError_(
                _(
                    "The Excel file unpacks to far more than its size: it is not a "
                    "plain table. Save it again as .xlsx or CSV."
                )
            )
    rows = 0
    for part in parts:
        name = part.filename.lower()
        if name.endswith(".xml") and (
            name.startswith("xl/worksheets/") or name == "xl/sharedstrings.xml"
        ):
            scan = _SheetScan()
            with package.open(part) as stream:
                scan.scan(stream)
            rows += scan.rows
    return rows


class _SheetScan:
    """Counts rows, cells per row and shared strings of one XML part, and reads the
    sheet's declared dimension, raising ``ImportError_`` at the first limit passed."""

    def __init__(self) -> None:
        self.rows = 0
        self.cells_in_row = 0
        self.strings = 0
        self.parser = ParserCreate()
        self.parser.StartElementHandler = self.start
        self.parser.StartDoctypeDeclHandler = self.doctype
        self.parser.EntityDeclHandler = self.doctype

    def scan(self, stream) -> None:
        while chunk := stream.read(64 * 1024):
            self.parser.Parse(chunk, False)
        self.parser.Parse(b"", True)

    def doctype(self, *_args) -> None:
        raise ImportError_(
            _("The Excel file contains XML declarations that are not allowed.")
        )

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        tag = tag.rpartition(":")[2]
        if tag == "row":
            self.rows += 1
            self.cells_in_row = 0
            if self.rows > MAX_ROWS + 1:
                raise _too_many_rows()
        elif tag == "c":
            self.cells_in_row += 1
            if self.cells_in_row > MAX_COLUMNS:
                raise _too_many_columns(self.rows)
        elif tag == "si":
            self.strings += 1
            if self.strings > MAX_CELLS:
                raise _too_many_cells()
        elif tag == "dimension":
            self.check_dimension(attributes.get("ref", ""))

    def check_dimension(self, ref: str) -> None:
        last = ref.rpartition(":")[2]
        letters = last.rstrip("0123456789").lstrip("$").upper()
        digits = last[len(last.rstrip("0123456789")) :]
        if not digits or not letters.isalpha():
            return
        if int(digits) > MAX_ROWS + 1:
            raise _too_many_rows()
        if column_index_from_string(letters) > MAX_COLUMNS:
            raise _too_many_columns(1)


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def estimate_rows(data: bytes, filename: str = "") -> int:
    """About how many rows the file has, without reading it: its lines for CSV (a
    quoted line break counts twice), the ``<row>`` elements of its sheets for Excel.
    0 when it cannot tell, or when the file passes a limit (``parse_file`` then says
    what is wrong, at once). Decides whether an
    import is checked in the request or by a background job."""
    if data[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                return _check_package(package)
        except (zipfile.BadZipFile, OSError, ValueError, ExpatError, ImportError_):
            return 0
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


# --- validating ----------------------------------------------------------------------------


@dataclass
class Table:
    """A file's rows as text: its header, the data rows after it, and the spreadsheet
    row number of the first data row (``first_row``)."""

    header: list[str]
    body: list[list[str]]
    first_row: int


def read_table(data: bytes, filename: str = "") -> Table:
    """The header and data rows of a CSV or Excel file; blank rows above the header are
    skipped but still counted in the row numbers. Raises ``ImportError_``."""
    rows = read_rows(data, filename)
    skipped = 0
    while skipped < len(rows) and not any(cell.strip() for cell in rows[skipped]):
        skipped += 1
    if skipped == len(rows):
        raise ImportError_(_("The file is empty."))
    header = [cell.strip().lstrip("\ufeff") for cell in rows[skipped]]
    return Table(header, rows[skipped + 1 :], skipped + 2)


def _strict_keys(header: list[str]) -> list[str | None]:
    """The fields of a file in our own layout: every header must be one of ours."""
    header_lookup = _header_lookup()
    keys: list[str | None] = []
    unknown = []
    for cell in header:
        if not cell:
            keys.append(None)
            continue
        key = header_lookup.get(cell.lower())
        if key is None:
            unknown.append(cell)
        keys.append(key)
    if unknown:
        raise ImportError_(
            _("Unknown columns: %(columns)s. Use the columns of the export file.")
            % {"columns": ", ".join(unknown)}
        )
    if "name" not in keys:
        raise ImportError_(
            _("The file has no “%(column)s” column.") % {"column": column_label("name")}
        )
    duplicate_headers = {k for k in keys if k and keys.count(k) > 1}
    if duplicate_headers:
        raise ImportError_(
            _("These columns appear twice: %(columns)s")
            % {"columns": ", ".join(column_label(k) for k in sorted(duplicate_headers))}
        )
    return keys


def check_mapping(header: list[str], mapping: list[str | None]) -> list[str | None]:
    """``mapping`` if it can be used for a file with ``header``, else ``ImportError_``
    with the reason: the client name unmapped, an unknown field, a field that cannot
    take two columns given two, or a mapping for another number of columns."""
    if len(mapping) != len(header):
        raise ImportError_(
            _(
                "The column mapping is for %(mapped)s columns, but the file has "
                "%(columns)s. Upload the file again."
            )
            % {"mapped": len(mapping), "columns": len(header)}
        )
    problems = column_mapping.mapping_problems(mapping, [k for k, _l, _n in COLUMNS])
    for problem in problems:
        if problem == "no_name":
            raise ImportError_(
                _(
                    "No column is mapped to “%(field)s”: choose the column that holds "
                    "the client's name. Nothing was imported."
                )
                % {"field": column_label("name")}
            )
        code, _sep, field_key = problem.partition(":")
        if code == "unknown":
            raise ImportError_(
                _("“%(field)s” is not a field clients can be imported into.")
                % {"field": field_key}
            )
        raise ImportError_(
            _("Two columns are mapped to “%(field)s”; it can take only one.")
            % {"field": column_label(field_key)}
        )
    return mapping


def preset_choices() -> list[tuple[str, str]]:
    """(reference, name) of every preset: the built-in layouts, then the firm's saved
    ones by name. A reference is ``builtin:<slug>`` or ``saved:<id>``."""
    choices = [(f"builtin:{p.slug}", p.name) for p in column_mapping.BUILT_IN_PRESETS]
    choices += [
        (f"saved:{pk}", name)
        for pk, name in ImportPreset.objects.order_by("name").values_list("id", "name")
    ]
    return choices


def preset_columns(reference: str) -> dict[str, str | None] | None:
    """The columns (header → field) of the preset ``reference`` names, or ``None`` if
    there is no such preset."""
    kind, _sep, ident = (reference or "").partition(":")
    if kind == "builtin":
        for preset in column_mapping.BUILT_IN_PRESETS:
            if preset.slug == ident:
                return dict(preset.columns)
    if kind == "saved" and ident.isdigit():
        columns = (
            ImportPreset.objects.filter(pk=int(ident))
            .values_list("columns", flat=True)
            .first()
        )
        if isinstance(columns, dict):
            return columns
    return None


def mapping_for(header: list[str], reference: str = "") -> list[str | None]:
    """The mapping of ``header`` under the preset ``reference`` (if it exists), else the
    one guessed from the header's names."""
    columns = preset_columns(reference) if reference else None
    if columns is None:
        return guess_for(header)
    return column_mapping.apply_preset(header, columns, known_headers())


def is_own_layout(header: list[str]) -> bool:
    """Whether every header is one of ours (an export of this system, or the
    template): such a file needs no mapping step."""
    try:
        _strict_keys(header)
    except ImportError_:
        return False
    return True


def samples(table: Table, count: int = 3) -> list[list[str]]:
    """For each column, its first ``count`` non-empty cells (the mapping step shows
    them beside each header)."""
    found: list[list[str]] = [[] for _ in table.header]
    for raw in table.body:
        for index, cell in enumerate(raw[: len(found)]):
            if cell.strip() and len(found[index]) < count:
                found[index].append(cell.strip()[:60])
        if all(len(f) >= count for f in found):
            break
    return found


def guess_for(header: list[str]) -> list[str | None]:
    """The mapping guessed from the header's names (ours, and other tools')."""
    return column_mapping.guess_mapping(header, known_headers())


def parse_file(
    data: bytes,
    filename: str = "",
    progress: Callable[[Iterable], Iterable] | None = None,
    mapping: list[str | None] | None = None,
) -> ImportReport:
    """Read and validate a whole file; writes nothing. Raises ``ImportError_`` when the
    file as a whole is unusable; row problems are collected in the report.

    Without ``mapping`` the file must be in our own layout (every header one of ours);
    with it, ``mapping[i]`` is the field column ``i`` feeds (``None``: left out), and
    several columns may feed one ``mapping.JOINABLE`` field."""
    table = read_table(data, filename)
    if mapping is None:
        keys = _strict_keys(table.header)
    else:
        keys = check_mapping(table.header, list(mapping))
    joined = {k for k in keys if k and keys.count(k) > 1}

    report = ImportReport()
    context = _Validator()
    by_name: dict[str, ParsedClient] = {}
    iterable: Iterable = list(enumerate(table.body, start=table.first_row))
    if progress is not None:
        iterable = progress(iterable)
    for number, raw in iterable:
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) > len(keys) and any(cell.strip() for cell in raw[len(keys) :]):
            report.add(
                number, "", _("This row has more cells than the header has columns.")
            )
            continue
        values = {
            key: " ".join(raw[i].split()) if key != "notes" else raw[i].strip()
            for i, key in enumerate(keys)
            if key and key not in joined and i < len(raw)
        }
        for key in joined:
            cells = [
                " ".join(raw[i].split()) if key != "notes" else raw[i].strip()
                for i, k in enumerate(keys)
                if k == key and i < len(raw)
            ]
            values[key] = column_mapping.join_cells(key, cells)
        report.rows += 1
        context.check_row(number, values, report, by_name)
    context.check_existing(by_name, report)
    report.clients = list(by_name.values())
    return report


class _Validator:
    def __init__(self) -> None:
        self.choices = _choice_lookup()
        self.owners = {
            u.username.lower(): u.pk for u in User.objects.only("id", "username")
        }
        self.email = EmailValidator()
        self.url = URLValidator(schemes=["http", "https"])
        self.lengths = {key: n for key, _label, n in COLUMNS}
        self.seen_phones: dict[str, int] = {}

    def check_row(self, number, values, report: ImportReport, by_name) -> None:
        errors_before = len(report.errors)
        for key, text in values.items():
            if len(text) > self.lengths[key]:
                report.add(
                    number,
                    column_label(key),
                    _("Too long: at most %(n)d characters.") % {"n": self.lengths[key]},
                )
        name = values.get("name", "")
        if not name:
            report.add(number, column_label("name"), _("The client name is required."))
            return
        client_values = {}
        for key in CLIENT_KEYS:
            text = values.get(key, "")
            if key in CHOICE_FIELDS and text:
                value = self.choices[key].get(text.lower())
                if value is None:
                    value = column_mapping.VALUE_SYNONYMS.get(key, {}).get(
                        column_mapping.normalize(text)
                    )
                if value is None:
                    report.add(
                        number,
                        column_label(key),
                        _("“%(value)s” is not one of the allowed values.")
                        % {"value": text},
                    )
                    continue
                text = value
            if key == "owner" and text and text.lower() not in self.owners:
                report.add(
                    number,
                    column_label(key),
                    _("No user is called “%(value)s”.") % {"value": text},
                )
                continue
            if key == "website" and text:
                if "://" not in text:
                    text = "https://" + text
                try:
                    self.url(text)
                except ValidationError:
                    report.add(
                        number, column_label(key), _("This is not a valid web address.")
                    )
                    continue
            client_values[key] = text
        from clientfolio.core.forms import split_tags

        tags = split_tags(client_values.pop("tags", ""))
        if any(len(t) > 40 for t in tags):
            report.add(
                number, column_label("tags"), _("A tag can have at most 40 characters.")
            )

        contact = self._contact(number, values, report)
        if len(report.errors) != errors_before:
            return
        key = name.lower()
        parsed = by_name.get(key)
        if parsed is None:
            by_name[key] = parsed = ParsedClient(number, client_values, tags)
        else:
            for field_key, value in client_values.items():
                if (
                    value
                    and parsed.values.get(field_key)
                    and parsed.values[field_key] != value
                ):
                    report.add(
                        number,
                        column_label(field_key),
                        _("Differs from row %(row)d for the same client.")
                        % {"row": parsed.row},
                    )
                    return
                if value and not parsed.values.get(field_key):
                    parsed.values[field_key] = value
            parsed.tags.extend(t for t in tags if t not in parsed.tags)
        if contact is not None:
            parsed.contacts.append(contact)

    def _contact(self, number, values, report: ImportReport):
        fields = {
            key[len("contact_") :]: values.get(key, "")
            for key, _label, _n in COLUMNS
            if key.startswith("contact_")
        }
        primary_text = fields.pop("primary").lower()
        if not any(fields.values()):
            return None
        ok = True
        if not fields["name"]:
            report.add(
                number, column_label("contact_name"), _("A contact needs a name.")
            )
            ok = False
        if fields["email"]:
            fields["email"] = fields["email"].lower()
            try:
                self.email(fields["email"])
            except ValidationError:
                report.add(
                    number,
                    column_label("contact_email"),
                    _("This is not a valid e-mail address."),
                )
                ok = False
        if fields["phone"]:
            try:
                phone_validator(fields["phone"])
            except ValidationError:
                report.add(
                    number,
                    column_label("contact_phone"),
                    _("This is not a valid phone number."),
                )
                ok = False
        if primary_text not in TRUE_WORDS | FALSE_WORDS:
            report.add(number, column_label("contact_primary"), _("Write yes or no."))
            ok = False
        if not ok:
            return None
        return {**fields, "is_primary": primary_text in TRUE_WORDS}

    def check_existing(
        self, by_name: dict[str, ParsedClient], report: ImportReport
    ) -> None:
        if not by_name:
            return
        existing = {
            name.lower()
            for name in Client.objects.filter(archived_at__isnull=True).values_list(
                "name", flat=True
            )
        }
        for key, parsed in by_name.items():
            if key in existing:
                report.add(
                    parsed.row,
                    column_label("name"),
                    _("A client called “%(name)s” already exists.")
                    % {"name": parsed.values["name"]},
                )


# --- writing -------------------------------------------------------------------------------


def import_clients(
    report: ImportReport,
    user: User | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
    batch_size: int = 2000,
) -> int:
    """Create every client and contact of a validated report in one transaction.

    Returns the number of clients created. Refuses a report with errors.
    """
    if not report.ok:
        raise ValueError("cannot import a report with errors")
    owners = {u.username.lower(): u.pk for u in User.objects.only("id", "username")}
    batches = [
        report.clients[i : i + batch_size]
        for i in range(0, len(report.clients), batch_size)
    ]
    iterable: Iterable = batches
    if progress is not None:
        iterable = progress(batches)
    created = 0
    with transaction.atomic():
        all_tags = {t for parsed in report.clients for t in parsed.tags}
        Tag.objects.bulk_create([Tag(name=t) for t in all_tags], ignore_conflicts=True)
        tag_ids = dict(Tag.objects.filter(name__in=all_tags).values_list("name", "id"))
        through = Client.tags.through
        for batch in iterable:
            clients = [_build_client(parsed, owners) for parsed in batch]
            clients = bulk_create_with_history(
                clients, Client, batch_size=500, default_user=user
            )
            if clients and clients[0].pk is None:  # databases without RETURNING
                names = [c.name for c in clients]
                ids = dict(
                    Client.objects.filter(name__in=names)
                    .order_by("id")
                    .values_list("name", "id")
                )
                for client in clients:
                    client.pk = client.id = ids[client.name]
            contacts: list[Contact] = []
            links: list[Any] = []
            for client, parsed in zip(clients, batch, strict=True):
                has_primary = any(c["is_primary"] for c in parsed.contacts)
                first = len(contacts)  # this client's contacts start here
                for index, fields in enumerate(parsed.contacts):
                    is_primary = (
                        bool(fields["is_primary"]) if has_primary else index == 0
                    )
                    if is_primary:
                        has_primary = True
                    contacts.append(
                        Contact(
                            client=client,
                            name=fields["name"],
                            title=fields["title"],
                            phone=fields["phone"],
                            email=fields["email"],
                            wechat=fields["wechat"],
                            is_primary=is_primary,
                        )
                    )
                _keep_one_primary(contacts[first:], client)
                links.extend(
                    through(client_id=client.pk, tag_id=tag_ids[t]) for t in parsed.tags
                )
            bulk_create_with_history(
                contacts, Contact, batch_size=500, default_user=user
            )
            through.objects.bulk_create(links, batch_size=1000)
            created += len(clients)
    logger.info(
        "Client import by %s: %d clients with %d contacts",
        user.username if user else "the command line",
        created,
        report.contact_count,
    )
    return created


def _keep_one_primary(contacts: list[Contact], client: Client) -> None:
    seen = False
    for contact in contacts:
        if contact.client is client and contact.is_primary:
            if seen:
                contact.is_primary = False
            seen = True


def _build_client(parsed: ParsedClient, owners: dict[str, int]) -> Client:
    values = parsed.values
    client = Client(
        name=values["name"],
        kind=values.get("kind") or Client.Kind.COMPANY,
        status=values.get("status") or Client.Status.PROSPECT,
        industry=values.get("industry", ""),
        source=values.get("source", ""),
        owner_id=owners.get(values.get("owner", "").lower()),
        tier_override=values.get("tier_override", ""),
        website=values.get("website", ""),
        address=values.get("address", ""),
        notes=values.get("notes", ""),
    )
    client.search_text = search_text(
        client.name,
        [(str(c["name"]), str(c["phone"]), str(c["email"])) for c in parsed.contacts],
    )
    client.name_sort = sort_key(client.name)
    return client


# --- export --------------------------------------------------------------------------------


def export_rows(clients: Iterable[Client]) -> Iterator[list[str]]:
    """Header (in the active language), then one row per contact of each client."""
    yield [str(label) for _key, label, _n in COLUMNS]
    for client in clients:
        base = [
            client.name,
            client.get_kind_display(),
            client.get_status_display(),
            client.get_industry_display() if client.industry else "",
            client.get_source_display() if client.source else "",
            client.owner.username if client.owner else "",
            client.tier_override,
            client.website,
            client.address,
            ", ".join(t.name for t in client.tags.all()),
            client.notes,
        ]
        contacts = list(client.contacts.all())
        if not contacts:
            yield base + [""] * 6
        for contact in contacts:
            yield base + [
                contact.name,
                contact.title,
                contact.phone,
                contact.email,
                contact.wechat,
                _("yes") if contact.is_primary else _("no"),
            ]


def export_csv(clients: Iterable[Client]) -> Iterator[bytes]:
    """CSV in UTF-8 with a byte-order mark, so Excel in Chinese opens it correctly."""
    return csv_stream(export_rows(clients))


def export_xlsx(clients: Iterable[Client]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Clients")[:31])
    for row in export_rows(clients):
        sheet.append(safe_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
