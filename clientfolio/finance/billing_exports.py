"""Invoices as a spreadsheet: Excel (openpyxl) or CSV in UTF-8 with a byte-order mark,
so Excel in Chinese opens it correctly. Cells that look like formulas are defused."""

import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook

from clientfolio.core.exports import csv_stream, safe_row
from clientfolio.finance.models import Invoice

__all__ = ["export_csv", "export_rows", "export_xlsx"]


def _header() -> list[str]:
    return [
        _("invoice number"),
        _("status"),
        _("client"),
        _("contract"),
        _("issue date"),
        _("due date"),
        _("currency"),
        _("subtotal"),
        _("tax"),
        _("total"),
        _("received"),
        _("outstanding"),
        _("Overdue"),
    ]


def export_rows(invoices: Iterable[Invoice]) -> Iterator[list[str]]:
    """The header, then one row per invoice of ``billing.hide_foreign_contracts``."""
    yield _header()
    for invoice in invoices:
        contract = getattr(invoice, "shown_contract", None)
        yield [
            invoice.number,
            str(invoice.get_status_display()),
            invoice.client.name,
            contract.number if contract else "",
            invoice.issued_on.isoformat() if invoice.issued_on else "",
            invoice.due_on.isoformat() if invoice.due_on else "",
            invoice.currency,
            str(invoice.subtotal),
            str(invoice.tax_amount),
            str(invoice.total),
            str(invoice.paid_amount),
            str(invoice.outstanding),
            _("yes") if invoice.is_overdue else "",
        ]


def export_csv(invoices: Iterable[Invoice]) -> Iterator[bytes]:
    return csv_stream(export_rows(invoices))


def export_xlsx(invoices: Iterable[Invoice]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Invoices")[:31])
    for index, row in enumerate(export_rows(invoices)):
        if index == 0:
            sheet.append(row)
            continue
        cells: list[object] = safe_row(row)
        for column in range(7, 12):  # amounts as numbers
            cells[column] = Decimal(row[column]) if row[column] else None
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
