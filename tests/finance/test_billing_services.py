"""Invoice and payment services: drafts, amounts, issuing, voiding, payments (回款)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from clientfolio.clients import services as client_services
from clientfolio.clients.models import Client, Payment
from clientfolio.core.locking import StaleVersion
from clientfolio.finance import billing
from clientfolio.finance.models import Invoice, InvoiceLine
from tests.clients.factories import ClientFactory, ContractFactory
from tests.finance.billing_factories import draft, issued, line

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English."""
    with translation.override("en"):
        yield


# --- amounts (pure) ------------------------------------------------------------------------

quantities = st.decimals(min_value="0.01", max_value="9999", places=2)
prices = st.decimals(min_value="0", max_value="999999", places=2)
rates = st.decimals(min_value="0", max_value="100", places=2)


@pytest.mark.django_db(False)
@given(st.lists(st.tuples(quantities, prices), min_size=1, max_size=8), rates)
def test_lines_add_up_and_tax_is_rounded_once_on_the_subtotal(lines, rate):
    # given any lines and tax rate, when the amounts are computed
    amounts = billing.compute_amounts(lines, rate, "CNY")

    # then every amount has cents, the lines add up to the subtotal exactly,
    # the tax is the subtotal's tax rounded half up, and the total is their sum
    assert all(a == a.quantize(Decimal("0.01")) for a in amounts.lines)
    assert sum(amounts.lines, Decimal(0)) == amounts.subtotal
    exact = amounts.subtotal * rate / 100
    assert abs(amounts.tax - exact) <= Decimal("0.005")
    assert amounts.total == amounts.subtotal + amounts.tax


@pytest.mark.django_db(False)
def test_rounding_is_half_up_per_line_and_tax_on_the_subtotal():
    # given two lines of 0.005 each (each rounds up to 0.01) and 6 % tax
    amounts = billing.compute_amounts(
        [(Decimal("1"), Decimal("0.005")), (Decimal("1"), Decimal("0.005"))],
        Decimal("6"),
        "CNY",
    )
    # then the lines are 0.01 each and the tax is on 0.02 (0.0012 → 0.00)
    assert amounts.lines == (Decimal("0.01"), Decimal("0.01"))
    assert amounts.subtotal == Decimal("0.02")
    assert amounts.tax == Decimal("0.00")
    # and 3 × 33.335 = 100.005 → 100.01; tax 6 % = 6.0006 → 6.00
    amounts = billing.compute_amounts(
        [(Decimal("3"), Decimal("33.335"))], Decimal("6"), "CNY"
    )
    assert amounts.subtotal == Decimal("100.01")
    assert amounts.tax == Decimal("6.00")
    assert amounts.total == Decimal("106.01")


@pytest.mark.django_db(False)
def test_yen_has_no_cents():
    amounts = billing.compute_amounts(
        [(Decimal("1"), Decimal("100.5"))], Decimal("10"), "JPY"
    )
    assert amounts.subtotal == Decimal("101")
    assert amounts.tax == Decimal("10")


# --- drafts --------------------------------------------------------------------------------


def test_a_draft_takes_the_projects_client_and_stores_its_amounts(
    project, project_manager
):
    # given lines of 2 × 1,000.00 and 1 × 333.33 at 6 %
    invoice = draft(
        project,
        lines=[line("需求调研", "2", "1000.00"), line("部署", "1", "333.33")],
        user=project_manager,
    )
    # then the stored amounts follow the rounding rule
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.DRAFT
    assert invoice.client == project.client
    assert invoice.subtotal == Decimal("2333.33")
    assert invoice.tax_amount == Decimal("140.00")
    assert invoice.total == Decimal("2473.33")
    assert [x.amount for x in invoice.lines.all()] == [
        Decimal("2000.00"),
        Decimal("333.33"),
    ]
    assert invoice.created_by == project_manager


def _bad(project, message, **kwargs):
    with translation.override("en"):
        with pytest.raises(billing.BillingError) as error:
            draft(project, **kwargs)
        assert message in str(error.value.message)
    assert not Invoice.objects.exists()
    assert not InvoiceLine.objects.exists()


def test_a_duplicate_number_is_refused(project):
    draft(project, number="INV-1")
    with translation.override("en"), pytest.raises(billing.BillingError) as error:
        draft(project, number="inv-1")
    assert "is already used" in str(error.value.message)
    assert error.value.field == "number"
    assert Invoice.objects.count() == 1


def test_a_duplicate_number_taken_in_a_race_is_a_clear_error(project, monkeypatch):
    # given a number check that passes (another draft takes the number meanwhile)
    draft(project, number="INV-RACE")
    monkeypatch.setattr(billing, "_check_header", lambda invoice: None)
    invoice = Invoice(
        project=project,
        client=project.client,
        number="INV-RACE",
        contract=project.client.contracts.get(),
    )
    with pytest.raises(billing.BillingError) as error:
        billing.create_invoice(invoice, [line()])
    # then the database's unique constraint becomes the same clear message
    assert "already used" in str(error.value.message)
    assert Invoice.objects.count() == 1


def test_a_contract_of_another_client_is_refused(project):
    other = ContractFactory(client=ClientFactory(name="别家公司"))
    _bad(project, "contract of the project's client", contract=other)


def test_bad_lines_and_tax_are_refused(project):
    _bad(project, "greater than zero", lines=[line(quantity="0")])
    _bad(project, "cannot be negative", lines=[line(unit_price="-1")])
    _bad(project, "needs a description", lines=[line(description=" ")])
    _bad(project, "between 0 and 100", tax_rate="100.01")
    _bad(project, "between 0 and 100", tax_rate="-1")
    _bad(project, "Enter an invoice number", number="  ")


def test_the_currency_must_be_the_contracts(project):
    contract = project.client.contracts.get()
    invoice = Invoice(project=project, number="X", contract=contract, currency="USD")
    with translation.override("en"), pytest.raises(billing.BillingError) as error:
        billing.create_invoice(invoice, [line()])
    assert "contract's currency" in str(error.value.message)


def test_editing_a_draft_replaces_its_lines_and_checks_the_version(project):
    invoice = draft(project)
    version = invoice.version
    invoice.tax_rate = Decimal("0")
    billing.update_invoice(invoice, version, [line("新", "3", "10.00")])
    invoice.refresh_from_db()
    assert invoice.total == Decimal("30.00")
    assert [x.description for x in invoice.lines.all()] == ["新"]
    # a stale edit is refused and writes nothing
    with pytest.raises(StaleVersion):
        billing.update_invoice(invoice, version, [line("旧", "1", "1.00")])
    assert [x.description for x in invoice.lines.all()] == ["新"]


def test_only_drafts_can_be_edited(project):
    invoice = issued(project)
    with translation.override("en"), pytest.raises(billing.BillingError) as error:
        billing.update_invoice(invoice, invoice.version, [line()])
    assert "Only a draft" in str(error.value.message)


# --- issue and void ------------------------------------------------------------------------


def test_issuing_sets_the_dates_with_thirty_days_to_pay(project):
    invoice = draft(project)
    billing.issue_invoice(invoice, issued_on=date(2026, 3, 1))
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED
    assert invoice.issued_on == date(2026, 3, 1)
    assert invoice.due_on == date(2026, 3, 31)


def test_issuing_needs_a_draft_with_lines_and_a_total(project):
    empty = draft(project, number="EMPTY", lines=[])
    zero = draft(project, number="ZERO", lines=[line(unit_price="0")])
    done = issued(project, number="DONE")
    with translation.override("en"):
        for invoice, message in (
            (empty, "at least one line"),
            (zero, "total of zero"),
            (done, "Only a draft"),
        ):
            with pytest.raises(billing.BillingError) as error:
                billing.issue_invoice(invoice)
            assert message in str(error.value.message)
    assert Invoice.objects.get(number="EMPTY").status == Invoice.Status.DRAFT


def test_voiding_needs_a_reason_and_no_payments(project):
    invoice = issued(project)
    with translation.override("en"), pytest.raises(billing.BillingError) as error:
        billing.void_invoice(invoice, " ")
    assert "Say why" in str(error.value.message)
    billing.record_payment(invoice, Decimal("10"), date(2026, 11, 2))
    with translation.override("en"), pytest.raises(billing.BillingError) as error:
        billing.void_invoice(invoice, "开错了")
    assert "cannot be voided" in str(error.value.message)
    other = issued(project, number="INV-2")
    billing.void_invoice(other, "开错了")
    other.refresh_from_db()
    assert other.status == Invoice.Status.VOID
    assert other.void_reason == "开错了"


# --- overdue -------------------------------------------------------------------------------


def test_overdue_is_open_and_past_its_due_date(project):
    today = timezone.localdate()
    late = issued(
        project, "LATE", issued_on=today - timedelta(40), due_on=today - timedelta(1)
    )
    due_today = issued(project, "TODAY", issued_on=today, due_on=today)
    paid = issued(
        project, "PAID", issued_on=today - timedelta(40), due_on=today - timedelta(1)
    )
    billing.record_payment(paid, paid.total, today)
    draft(project, "DRAFT")
    assert list(
        Invoice.objects.filter(billing.overdue_q()).values_list("number", flat=True)
    ) == ["LATE"]
    flags = dict(
        billing.with_overdue(Invoice.objects.all()).values_list(
            "number", "is_overdue_db"
        )
    )
    assert flags == {"LATE": True, "TODAY": False, "PAID": False, "DRAFT": False}
    assert late.is_overdue
    assert not due_today.is_overdue


# --- payments ------------------------------------------------------------------------------


def test_a_partial_then_full_payment_moves_the_status(project, project_manager):
    invoice = issued(project)  # total 1,060.00
    payment = billing.record_payment(
        invoice,
        Decimal("500"),
        date(2026, 11, 5),
        "bank",
        "B-1",
        "首付",
        project_manager,
    )
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PARTLY_PAID
    assert invoice.paid_amount == Decimal("500")
    assert payment.contract == invoice.contract
    assert payment.invoice == invoice
    billing.record_payment(invoice, Decimal("560"), date(2026, 11, 6))
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert invoice.outstanding == 0


def _refused(invoice, message, amount="10", **kwargs):
    before = Payment.objects.count()
    with translation.override("en"):
        with pytest.raises(billing.BillingError) as error:
            billing.record_payment(
                invoice, Decimal(amount), date(2026, 11, 5), **kwargs
            )
        assert message in str(error.value.message)
    assert Payment.objects.count() == before


def test_bad_payments_are_refused(project):
    invoice = issued(project)
    _refused(invoice, "greater than zero", amount="0")
    _refused(invoice, "greater than zero", amount="-5")
    _refused(invoice, "larger than what is due", amount="1060.01")
    _refused(invoice, "invoice's currency", currency="USD")
    _refused(draft(project, "D"), "Issue the invoice")
    void = issued(project, "V")
    billing.void_invoice(void, "作废")
    _refused(void, "void invoice")
    invoice.refresh_from_db()
    assert invoice.paid_amount == 0


def test_deleting_a_payment_recomputes_the_invoice(project):
    invoice = issued(project)
    payment = billing.record_payment(invoice, Decimal("1060"), date(2026, 11, 5))
    billing.delete_payment(payment)
    invoice.refresh_from_db()
    assert invoice.paid_amount == 0
    assert invoice.status == Invoice.Status.ISSUED


# --- one truth with the client library ---------------------------------------------------


def test_a_payment_on_the_invoice_is_a_client_payment_and_counts_for_the_tier(
    project, settings
):
    # given a client whose tier A starts at 1,000 received in twelve months
    settings.CLIENT_TIER_A_MIN = "1000"
    settings.CLIENT_TIER_B_MIN = "500"
    invoice = issued(project, lines=[line(unit_price="5000")], tax_rate="0")
    # when 4,000 is received against the invoice
    billing.record_payment(invoice, Decimal("4000"), timezone.localdate())
    # then it is in the client's payments and the tier is recomputed
    client = Client.objects.get(pk=project.client_id)
    assert client.tier_computed == "A"
    assert Payment.objects.filter(
        contract__client=client, invoice=invoice
    ).get().amount == Decimal("4000")


def test_a_payment_edited_in_the_client_library_updates_the_invoice(project):
    invoice = issued(project)
    payment = billing.record_payment(invoice, Decimal("100"), date(2026, 11, 5))
    # when the client library changes the amount
    payment.amount = Decimal("1060")
    payment.full_clean()
    client_services.save_record(payment, payment.version)
    invoice.refresh_from_db()
    assert invoice.paid_amount == Decimal("1060")
    assert invoice.status == Invoice.Status.PAID
    # and deleting it there recomputes too
    client_services.delete_record(payment)
    invoice.refresh_from_db()
    assert invoice.paid_amount == 0
    assert invoice.status == Invoice.Status.ISSUED


def test_the_client_library_refuses_a_payment_larger_than_the_invoice(project):
    from django.core.exceptions import ValidationError

    invoice = issued(project)
    payment = billing.record_payment(invoice, Decimal("100"), date(2026, 11, 5))
    payment.amount = Decimal("2000")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        payment.full_clean()
    assert "larger than what is due" in str(error.value)
    # and the database refuses it even without the check
    with pytest.raises((billing.BillingError, IntegrityError)):
        client_services.save_record(payment, payment.version)
    invoice.refresh_from_db()
    assert invoice.paid_amount == Decimal("100")
