"""The project's money (财务记录): what was budgeted, spent, worked and billed.

- ``BudgetLine``: a planned amount by cost category, optionally for a WBS task.
- ``Expense``: money spent, with a receipt document and an approval (submitted →
  approved / rejected, who and when). Only approved expenses count as actual cost.
- ``TimeEntry``: hours a person worked on the project (optionally on a task), billable
  or not. Its cost and billing amounts are priced from the ``Rate`` valid on its date
  when it is saved, so reports never re-price history silently.
- ``Rate``: hourly cost and billing rates for a person or a project role, firm-wide or
  for one project, with dates of validity.
- ``ExchangeRate``: a dated rate table to convert other currencies for totals.
- ``Invoice`` with ``InvoiceLine``: what the client is billed, against one of the
  client's contracts. Money received against an invoice is a ``clients.Payment`` (回款)
  with its ``invoice`` set, so the client library's transaction history and the
  project's finance are one set of records.

Amounts are ``Decimal`` with a currency (``clients.models.Currency``), CNY by default;
arithmetic and rounding live in the pure ``core.money`` module.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from clientfolio.clients.models import Currency
from clientfolio.core.models import VersionedModel
from clientfolio.core.validators import validate_plan_date
from clientfolio.projects.models import ProjectRole

__all__ = [
    "BudgetLine",
    "CostCategory",
    "ExchangeRate",
    "Expense",
    "Invoice",
    "InvoiceLine",
    "Rate",
    "TimeEntry",
]

positive = MinValueValidator(
    Decimal("0.01"), _("The amount must be greater than zero.")
)
not_negative = MinValueValidator(Decimal("0"), _("The amount cannot be negative."))


class CostCategory(models.TextChoices):
    LABOR = "labor", _("Labor")
    MATERIAL = "material", _("Material")
    EQUIPMENT = "equipment", _("Equipment")
    TRAVEL = "travel", _("Travel")
    OUTSOURCING = "outsourcing", _("Outsourcing")
    OTHER = "other", pgettext_lazy("cost category", "Other")


def _currency_field() -> models.CharField:
    return models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY
    )


class BudgetLine(VersionedModel):
    """A planned amount of a project's money, by cost category (optionally for a task)."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="budget_lines",
    )
    category = models.CharField(
        _("category"), max_length=16, choices=CostCategory.choices
    )
    task = models.ForeignKey(
        "schedule.Task",
        verbose_name=_("WBS task"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_lines",
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("amount"), validators=[not_negative], max_digits=14, decimal_places=2
    )
    currency = _currency_field()
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    # The approved change whose cost this line adds (finance.change_impact); one line
    # per change, so a change is never added to the budget twice.
    change_request = models.OneToOneField(
        "projects.ChangeRequest",
        verbose_name=_("change request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="budget_line",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["project", "category", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="budget_line_amount_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.description or str(self.get_category_display())


class Expense(VersionedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("expense status", "Submitted")
        APPROVED = "approved", pgettext_lazy("expense status", "Approved")
        REJECTED = "rejected", pgettext_lazy("expense status", "Rejected")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="expenses",
    )
    task = models.ForeignKey(
        "schedule.Task",
        verbose_name=_("WBS task"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expenses",
    )
    category = models.CharField(
        _("category"), max_length=16, choices=CostCategory.choices
    )
    spent_on = models.DateField(_("date"), validators=[validate_plan_date])
    amount = models.DecimalField(
        _("amount"), validators=[positive], max_digits=14, decimal_places=2
    )
    currency = _currency_field()
    description = models.CharField(_("description"), max_length=300)
    vendor = models.CharField(_("vendor"), max_length=200, blank=True)
    receipt = models.ForeignKey(
        "documents.Document",
        verbose_name=_("receipt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-spent_on", "-pk"]
        indexes = [models.Index(fields=["project", "status", "spent_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="expense_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return self.description


class Rate(VersionedModel):
    """Hourly cost and billing rates for a person, or for everyone with a project role
    who has no personal rate; for one project or (without a project) firm-wide. The
    most specific rate valid on a date wins: person before role, project before firm."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rates",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rates",
    )
    role = models.CharField(
        _("project role"), max_length=16, choices=ProjectRole.choices, blank=True
    )
    cost_rate = models.DecimalField(
        _("cost per hour"), validators=[not_negative], max_digits=14, decimal_places=2
    )
    bill_rate = models.DecimalField(
        _("billing rate per hour"),
        validators=[not_negative],
        max_digits=14,
        decimal_places=2,
    )
    currency = _currency_field()
    valid_from = models.DateField(_("valid from"), validators=[validate_plan_date])
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, validators=[validate_plan_date]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rate")
        verbose_name_plural = _("rates")
        ordering = ["project", "user", "role", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(role=""))
                | (Q(user__isnull=True) & ~Q(role="")),
                name="rate_for_person_or_role",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="rate_valid_until_after_from",
            ),
            models.CheckConstraint(
                condition=Q(cost_rate__gte=0) & Q(bill_rate__gte=0),
                name="rate_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user or self.get_role_display())


class TimeEntry(VersionedModel):
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="time_entries",
    )
    task = models.ForeignKey(
        "schedule.Task",
        verbose_name=_("task"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="time_entries",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="time_entries",
    )
    worked_on = models.DateField(_("date"), validators=[validate_plan_date])
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0.25"), _("Enter at least a quarter hour.")),
            MaxValueValidator(Decimal("24"), _("A day has 24 hours.")),
        ],
    )
    billable = models.BooleanField(_("billable"), default=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Priced when saved from the rate valid on ``worked_on`` (zero if none applies).
    cost_amount = models.DecimalField(
        _("cost"), default=Decimal("0"), editable=False, max_digits=14, decimal_places=2
    )
    bill_amount = models.DecimalField(
        _("billing amount"),
        default=Decimal("0"),
        editable=False,
        max_digits=14,
        decimal_places=2,
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        choices=Currency.choices,
        default=Currency.CNY,
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        ordering = ["-worked_on", "user", "pk"]
        indexes = [
            models.Index(fields=["user", "worked_on"]),
            # Covers the finance overview's SUM(cost) GROUP BY day and task (billing)
            # and the time list's sums by week and person, so neither reads the rows;
            # its prefix serves the project's entries by date.
            models.Index(
                fields=[
                    "project",
                    "worked_on",
                    "task",
                    "currency",
                    "cost_amount",
                    "user",
                    "hours",
                    "bill_amount",
                ],
                name="finance_time_sums_cover",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24),
                name="time_entry_hours_in_a_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.worked_on} {self.hours}h"


class ExchangeRate(models.Model):
    """One unit of ``from_currency`` is worth ``rate`` units of ``to_currency`` from
    ``valid_from`` until the next rate of the same pair."""

    from_currency = models.CharField(
        _("from currency"), max_length=3, choices=Currency.choices
    )
    to_currency = models.CharField(
        _("to currency"), max_length=3, choices=Currency.choices, default=Currency.CNY
    )
    rate = models.DecimalField(
        _("rate"),
        max_digits=18,
        decimal_places=8,
        validators=[
            MinValueValidator(Decimal("0.00000001"), _("A rate must be positive."))
        ],
    )
    valid_from = models.DateField(_("valid from"), validators=[validate_plan_date])
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["from_currency", "to_currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_currency", "to_currency", "valid_from"],
                name="exchange_rate_one_per_day",
            ),
            models.CheckConstraint(
                condition=~Q(from_currency=models.F("to_currency")),
                name="exchange_rate_two_currencies",
            ),
            models.CheckConstraint(
                condition=Q(rate__gt=0), name="exchange_rate_positive"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.from_currency}/{self.to_currency} {self.rate} ({self.valid_from})"
        )


class Invoice(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("invoice status", "Draft")
        ISSUED = "issued", pgettext_lazy("invoice status", "Issued")
        PARTLY_PAID = "partly_paid", pgettext_lazy("invoice status", "Partly paid")
        PAID = "paid", pgettext_lazy("invoice status", "Paid")
        VOID = "void", pgettext_lazy("invoice status", "Void")

    number = models.CharField(_("invoice number"), max_length=64, unique=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    client = models.ForeignKey(
        "clients.Client",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    contract = models.ForeignKey(
        "clients.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    currency = _currency_field()
    tax_rate = models.DecimalField(
        _("tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("6"),
        validators=[
            MinValueValidator(Decimal("0"), _("The tax rate cannot be negative.")),
            MaxValueValidator(Decimal("100"), _("The tax rate is at most 100 %.")),
        ],
    )
    issued_on = models.DateField(
        _("issue date"), null=True, blank=True, validators=[validate_plan_date]
    )
    due_on = models.DateField(
        _("due date"), null=True, blank=True, validators=[validate_plan_date]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # Kept in step with the lines by the services; stored so lists and totals are cheap.
    subtotal = models.DecimalField(
        _("subtotal"),
        default=Decimal("0"),
        editable=False,
        max_digits=14,
        decimal_places=2,
    )
    tax_amount = models.DecimalField(
        _("tax"), default=Decimal("0"), editable=False, max_digits=14, decimal_places=2
    )
    total = models.DecimalField(
        _("total"),
        default=Decimal("0"),
        editable=False,
        max_digits=14,
        decimal_places=2,
    )
    paid_amount = models.DecimalField(
        _("received"),
        default=Decimal("0"),
        editable=False,
        max_digits=14,
        decimal_places=2,
    )
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    void_reason = models.CharField(_("reason for voiding"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_on", "-pk"]
        indexes = [models.Index(fields=["project", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(paid_amount__gte=0) & Q(paid_amount__lte=models.F("total")),
                name="invoice_paid_within_total",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def outstanding(self) -> Decimal:
        return self.total - self.paid_amount

    @property
    def is_overdue(self) -> bool:
        """Issued or partly paid and past its due date (see ``billing.overdue_q``)."""
        from django.utils import timezone

        return (
            self.status in (self.Status.ISSUED, self.Status.PARTLY_PAID)
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(
        Invoice,
        verbose_name=_("invoice"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("1"),
        validators=[
            MinValueValidator(
                Decimal("0.01"), _("The quantity must be greater than zero.")
            )
        ],
    )
    unit_price = models.DecimalField(
        _("unit price"), validators=[not_negative], max_digits=14, decimal_places=2
    )
    amount = models.DecimalField(
        _("amount"),
        default=Decimal("0"),
        editable=False,
        max_digits=14,
        decimal_places=2,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position", "pk"]

    def __str__(self) -> str:
        return self.description
