"""Helpers of the billing tests: a draft invoice on the shared project's contract."""

from datetime import date
from decimal import Decimal

from clientfolio.finance import billing
from clientfolio.finance.models import Invoice

__all__ = ["draft", "issued", "line"]


def line(description="实施服务", quantity="1", unit_price="1000.00"):
    return billing.LineInput(description, Decimal(quantity), Decimal(unit_price))


def draft(
    project, number="INV-2026-001", lines=None, tax_rate="6", contract=None, user=None
):
    contract = contract or project.client.contracts.get()
    invoice = Invoice(
        project=project,
        number=number,
        contract=contract,
        currency=contract.currency,
        tax_rate=Decimal(tax_rate),
    )
    return billing.create_invoice(
        invoice, lines if lines is not None else [line()], user=user
    )


def issued(project, number="INV-2026-001", issued_on=None, due_on=None, **kwargs):
    invoice = draft(project, number, **kwargs)
    return billing.issue_invoice(
        invoice, issued_on=issued_on or date(2026, 11, 1), due_on=due_on
    )
