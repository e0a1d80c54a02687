"""Every write to invoices and the money received against them (回款).

Invoices
    A draft is created with its lines and edited only while it is a draft; issuing
    freezes it (issue date, due date, status "issued"); voiding needs a reason and is
    refused once money was received.

Amounts (the rounding rule)
    Each line's amount is ``round_money(quantity × unit_price, currency)``; the subtotal
    is the sum of the rounded line amounts; the tax is
    ``round_money(subtotal × tax_rate / 100, currency)``, computed once on the subtotal
    (never per line); the total is subtotal + tax. ``round_money`` rounds half up to the
    currency's minor units (``core.money``). So the printed lines always add up to the
    printed subtotal, and subtotal + tax = total exactly.

Payments
    Money received against an invoice is a ``clients.Payment`` with ``contract =
    invoice.contract`` and ``invoice`` set: the client library shows the same record.
    ``record_payment`` locks the invoice row (``select_for_update``) and updates its
    ``paid_amount`` and status in the same transaction; ``sync_paid`` recomputes them from
    the payments, which the client library's services call after a payment changes there.

Errors are ``BillingError`` with a translated message and the field it is about.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Case, Q, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clientfolio.clients.models import Contract, Payment
from clientfolio.core.locking import save_versioned
from clientfolio.core.money import round_money
from clientfolio.core.permissions import scope
from clientfolio.finance.models import Invoice, InvoiceLine

__all__ = [
    "DEFAULT_TERM_DAYS",
    "BillingError",
    "LineInput",
    "compute_amounts",
    "create_invoice",
    "delete_payment",
    "hide_foreign_contracts",
    "is_overdue",
    "issue_invoice",
    "overdue_q",
    "record_payment",
    "shown_contracts",
    "sync_paid",
    "update_invoice",
    "void_invoice",
    "with_overdue",
]

DEFAULT_TERM_DAYS = 30
_HUNDRED = Decimal(100)
OPEN_STATUSES = (Invoice.Status.ISSUED, Invoice.Status.PARTLY_PAID)


class BillingError(Exception):
    """An invoice or payment input that is refused; nothing was saved."""

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


@dataclass(frozen=True)
class LineInput:
    description: str
    quantity: Decimal
    unit_price: Decimal


@dataclass(frozen=True)
class Amounts:
    lines: tuple[Decimal, ...]
    subtotal: Decimal
    tax: Decimal
    total: Decimal


def compute_amounts(
    lines: Iterable[tuple[Decimal, Decimal]], tax_rate: Decimal, currency: str
) -> Amounts:
    """Line amounts, subtotal, tax and total by the rounding rule of the module."""
    amounts = tuple(round_money(q * p, currency) for q, p in lines)
    subtotal = round_money(sum(amounts, Decimal(0)), currency)
    tax = round_money(subtotal * tax_rate / _HUNDRED, currency)
    return Amounts(amounts, subtotal, tax, subtotal + tax)


# --- overdue ---------------------------------------------------------------------------------


def overdue_q(today: date | None = None) -> Q:
    """Issued or partly paid invoices whose due date has passed."""
    today = today or timezone.localdate()
    return Q(status__in=OPEN_STATUSES, due_on__lt=today)


def with_overdue(queryset: QuerySet, today: date | None = None) -> QuerySet:
    """Annotate ``is_overdue_db`` (a boolean computed by the database)."""
    return queryset.annotate(
        is_overdue_db=Case(
            When(overdue_q(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def is_overdue(invoice: Invoice, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        invoice.status in OPEN_STATUSES
        and invoice.due_on is not None
        and invoice.due_on < today
    )


# --- the contract as readers see it ---------------------------------------------------------


def shown_contracts(user, client_ids: Iterable[int | None]) -> dict[int, int]:
    """Contract id -> client id of the contracts of ``client_ids`` that ``user`` may see
    (one query)."""
    contracts = Contract.objects.filter(client_id__in={pk for pk in client_ids if pk})
    return dict(scope(user, contracts).values_list("pk", "client_id"))


def hide_foreign_contracts(
    invoices: Iterable[Invoice], shown: Mapping[int, int]
) -> Iterator[Invoice]:
    """The loaded ``invoices`` (with their project and contract), each with
    ``shown_contract``: its contract if that is a contract of the client of the invoice's
    project and in ``shown`` (``shown_contracts`` of the reader), else ``None``. Pages and
    exports print ``shown_contract``, never ``contract``.

    Both ends of the relation count: an import or an administrator can leave an invoice
    naming another client's contract, which must not be printed on it, even for a reader
    who may see that contract elsewhere."""
    for invoice in invoices:
        ok = shown.get(invoice.contract_id) == invoice.project.client_id
        invoice.shown_contract = invoice.contract if ok else None  # type: ignore[attr-defined]
        yield invoice


# --- drafts ----------------------------------------------------------------------------------


def _check_header(invoice: Invoice) -> None:
    number = (invoice.number or "").strip()
    if not number:
        raise BillingError(_("Enter an invoice number."), "number")
    invoice.number = number
    if Invoice.objects.filter(number__iexact=number).exclude(pk=invoice.pk).exists():
        raise BillingError(
            _("Invoice number %(number)s is already used.") % {"number": number},
            "number",
        )
    invoice.client_id = invoice.project.client_id
    contract = (
        Contract.objects.filter(pk=invoice.contract_id)
        .only("client_id", "currency")
        .first()
    )
    if contract is None or contract.client_id != invoice.client_id:
        raise BillingError(_("Choose a contract of the project's client."), "contract")
    if invoice.currency != contract.currency:
        raise BillingError(
            _("The invoice must be in the contract's currency (%(currency)s).")
            % {"currency": contract.currency},
            "currency",
        )
    rate = invoice.tax_rate
    if rate is None or not Decimal(0) <= rate <= _HUNDRED:
        raise BillingError(_("The tax rate must be between 0 and 100 %."), "tax_rate")


def _check_lines(lines: Sequence[LineInput]) -> None:
    for line in lines:
        if not (line.description or "").strip():
            raise BillingError(_("Every line needs a description."), "lines")
        if line.quantity is None or line.quantity <= 0:
            raise BillingError(_("The quantity must be greater than zero."), "lines")
        if line.unit_price is None or line.unit_price < 0:
            raise BillingError(_("The unit price cannot be negative."), "lines")


def _write_lines(invoice: Invoice, lines: Sequence[LineInput]) -> None:
    amounts = compute_amounts(
        ((line.quantity, line.unit_price) for line in lines),
        invoice.tax_rate,
        invoice.currency,
    )
    invoice.lines.all().delete()
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            position=index,
            description=line.description.strip(),
            quantity=line.quantity,
            unit_price=line.unit_price,
            amount=amount,
        )
        for index, (line, amount) in enumerate(zip(lines, amounts.lines, strict=True))
    )
    invoice.subtotal, invoice.tax_amount, invoice.total = (
        amounts.subtotal,
        amounts.tax,
        amounts.total,
    )


def _duplicate_number(error: IntegrityError, number: str) -> BillingError:
    return BillingError(
        _("Invoice number %(number)s is already used.") % {"number": number}, "number"
    )


def create_invoice(
    invoice: Invoice, lines: Sequence[LineInput], *, user=None
) -> Invoice:
    """Save a new draft invoice with its lines; the client is the project's."""
    invoice.status = Invoice.Status.DRAFT
    invoice.paid_amount = Decimal(0)
    if user is not None and invoice.created_by_id is None:
        invoice.created_by = user
    _check_header(invoice)
    _check_lines(lines)
    try:
        with transaction.atomic():
            invoice.save()
            _write_lines(invoice, lines)
            invoice.save(update_fields=["subtotal", "tax_amount", "total"])
    except IntegrityError as error:  # another draft took the number meanwhile
        invoice.pk = None
        raise _duplicate_number(error, invoice.number) from error
    return invoice


def update_invoice(
    invoice: Invoice, expected_version: int | None, lines: Sequence[LineInput]
) -> Invoice:
    """Save a draft's header and replace its lines; raises ``StaleVersion``."""
    if invoice.status != Invoice.Status.DRAFT:
        raise BillingError(_("Only a draft invoice can be edited."))
    _check_header(invoice)
    _check_lines(lines)
    try:
        with transaction.atomic():
            _write_lines(invoice, lines)
            save_versioned(invoice, expected_version)
    except IntegrityError as error:
        raise _duplicate_number(error, invoice.number) from error
    return invoice


def _locked(invoice: Invoice) -> Invoice:
    return Invoice.objects.select_for_update().get(pk=invoice.pk)


def issue_invoice(
    invoice: Invoice,
    expected_version: int | None = None,
    *,
    issued_on: date | None = None,
    due_on: date | None = None,
) -> Invoice:
    """Issue a draft: issue date (today by default), due date (30 days later by
    default). Needs at least one line and a total above zero."""
    with transaction.atomic():
        current = _locked(invoice)
        if current.status != Invoice.Status.DRAFT:
            raise BillingError(_("Only a draft invoice can be issued."))
        if not current.lines.exists():
            raise BillingError(_("Add at least one line before issuing."), "lines")
        if current.total <= 0:
            raise BillingError(_("An invoice with a total of zero cannot be issued."))
        issued_on = issued_on or timezone.localdate()
        due_on = due_on or issued_on + timedelta(days=DEFAULT_TERM_DAYS)
        if due_on < issued_on:
            raise BillingError(
                _("The due date cannot be before the issue date."), "due_on"
            )
        current.status = Invoice.Status.ISSUED
        current.issued_on, current.due_on = issued_on, due_on
        save_versioned(
            current,
            invoice.version if expected_version is None else expected_version,
            fields=["status", "issued_on", "due_on"],
        )
    _copy(current, invoice)
    return invoice


def void_invoice(
    invoice: Invoice, reason: str, expected_version: int | None = None
) -> Invoice:
    """Void an invoice that has no payments; the reason is kept."""
    reason = (reason or "").strip()
    if not reason:
        raise BillingError(_("Say why the invoice is voided."), "reason")
    with transaction.atomic():
        current = _locked(invoice)
        if current.status == Invoice.Status.VOID:
            raise BillingError(_("The invoice is already void."))
        if Payment.objects.filter(invoice=current).exists():
            raise BillingError(
                _("Money was received against this invoice; it cannot be voided.")
            )
        current.status = Invoice.Status.VOID
        current.void_reason = reason[:500]
        save_versioned(
            current,
            invoice.version if expected_version is None else expected_version,
            fields=["status", "void_reason"],
        )
    _copy(current, invoice)
    return invoice


def _copy(source: Invoice, target: Invoice) -> None:
    for name in (
        "status",
        "issued_on",
        "due_on",
        "void_reason",
        "paid_amount",
        "version",
    ):
        setattr(target, name, getattr(source, name))


# --- payments --------------------------------------------------------------------------------


def _status_for(paid: Decimal, total: Decimal, status: str) -> str:
    if status in (Invoice.Status.DRAFT, Invoice.Status.VOID):
        return status
    if paid <= 0:
        return Invoice.Status.ISSUED
    if paid >= total:
        return Invoice.Status.PAID
    return Invoice.Status.PARTLY_PAID


def record_payment(
    invoice: Invoice,
    amount: Decimal,
    received_on: date,
    method: str = Payment.Method.BANK,
    reference: str = "",
    note: str = "",
    user=None,
    *,
    currency: str | None = None,
) -> Payment:
    """Record money received against an issued invoice as a client payment (回款)."""
    if amount is None or amount <= 0:
        raise BillingError(_("The amount must be greater than zero."), "amount")
    if received_on is None:
        raise BillingError(_("Enter the date the money was received."), "received_on")
    with transaction.atomic():
        current = _locked(invoice)
        if current.status == Invoice.Status.DRAFT:
            raise BillingError(_("Issue the invoice before recording payments."))
        if current.status == Invoice.Status.VOID:
            raise BillingError(_("A void invoice cannot receive payments."))
        if currency is not None and currency != current.currency:
            raise BillingError(
                _("The payment must be in the invoice's currency (%(currency)s).")
                % {"currency": current.currency},
                "currency",
            )
        outstanding = current.total - current.paid_amount
        if amount > outstanding:
            raise BillingError(
                _(
                    "A payment larger than what is due: %(outstanding)s %(currency)s "
                    "is outstanding."
                )
                % {"outstanding": outstanding, "currency": current.currency},
                "amount",
            )
        payment = Payment(
            contract_id=current.contract_id,
            invoice=current,
            amount=amount,
            received_on=received_on,
            method=method or Payment.Method.BANK,
            reference=reference or "",
            note=note or "",
        )
        payment.full_clean()
        payment.save()
        current.paid_amount += amount
        current.status = _status_for(current.paid_amount, current.total, current.status)
        current.save(update_fields=["paid_amount", "status"])
        _after_payments([current.client_id])
    _copy(current, invoice)
    return payment


def delete_payment(payment: Payment) -> None:
    """Delete a payment and recompute its invoice."""
    with transaction.atomic():
        invoice_id = payment.invoice_id
        client_id = payment.contract.client_id
        payment.delete()
        if invoice_id:
            sync_paid([invoice_id])
        _after_payments([client_id])


def sync_paid(invoice_ids: Iterable[int | None]) -> None:
    """Recompute ``paid_amount`` and status of invoices from their payments (locks them).

    Raises ``BillingError`` when the payments exceed an invoice's total."""
    ids = sorted({pk for pk in invoice_ids if pk})
    if not ids:
        return
    with transaction.atomic():
        invoices = list(
            Invoice.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        )
        paid = dict(
            Payment.objects.filter(invoice_id__in=ids)
            .values("invoice_id")
            .annotate(total=Sum("amount"))
            .values_list("invoice_id", "total")
        )
        for invoice in invoices:
            amount = paid.get(invoice.pk) or Decimal(0)
            if amount > invoice.total:
                raise BillingError(
                    _(
                        "A payment larger than what is due: invoice %(number)s totals "
                        "%(total)s."
                    )
                    % {"number": invoice.number, "total": invoice.total},
                    "amount",
                )
            status = _status_for(amount, invoice.total, invoice.status)
            if amount != invoice.paid_amount or status != invoice.status:
                invoice.paid_amount, invoice.status = amount, status
                invoice.save(update_fields=["paid_amount", "status"])


def _after_payments(client_ids: list[int]) -> None:
    from clientfolio.clients import services as client_services

    client_services.recompute_tiers(client_ids)
