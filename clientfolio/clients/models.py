"""The client library (客户库): clients, their contacts, needs, contracts, payments,
feedback and follow-up visits."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from clientfolio.clients.querysets import ClientQuerySet, FollowUpQuerySet
from clientfolio.core.models import VersionedModel
from clientfolio.core.validators import validate_plan_date

__all__ = [
    "Client",
    "Contact",
    "Contract",
    "Feedback",
    "FollowUp",
    "ImportPreset",
    "Payment",
    "Requirement",
]

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{4,22}[0-9](\s*(ext|转|x)\s*[0-9]{1,6})?$",
    _("Enter a phone number: digits, spaces, dashes and an optional leading +."),
)
MAX_AMOUNT = Decimal("999999999999.99")
amount_validators = [
    MinValueValidator(Decimal("0.01"), _("The amount must be greater than zero.")),
]


class Currency(models.TextChoices):
    CNY = "CNY", _("CNY – Chinese yuan")
    USD = "USD", _("USD – US dollar")
    EUR = "EUR", _("EUR – euro")
    HKD = "HKD", _("HKD – Hong Kong dollar")
    JPY = "JPY", _("JPY – Japanese yen")
    GBP = "GBP", _("GBP – pound sterling")


class Client(VersionedModel):
    """A company or a person the firm serves or hopes to serve."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        INDIVIDUAL = "individual", _("Individual")

    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")
        LOST = "lost", _("Lost")

    class Tier(models.TextChoices):
        A = "A", _("A")
        B = "B", _("B")
        C = "C", _("C")

    class Industry(models.TextChoices):
        SOFTWARE = "software", _("Software and internet")
        MANUFACTURING = "manufacturing", _("Manufacturing")
        FINANCE = "finance", _("Finance and insurance")
        RETAIL = "retail", _("Retail and consumer goods")
        HEALTHCARE = "healthcare", _("Healthcare")
        EDUCATION = "education", _("Education")
        GOVERNMENT = "government", _("Government and public sector")
        ENERGY = "energy", _("Energy and utilities")
        CONSTRUCTION = "construction", _("Construction and real estate")
        LOGISTICS = "logistics", _("Transport and logistics")
        MEDIA = "media", _("Media and entertainment")
        TELECOM = "telecom", _("Telecommunications")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        REFERRAL = "referral", _("Referral")
        WEBSITE = "website", _("Website")
        EXHIBITION = "exhibition", _("Exhibition or event")
        TENDER = "tender", _("Public tender")
        PARTNER = "partner", _("Partner")
        OUTBOUND = "outbound", _("Outbound sales")
        EXISTING = "existing", _("Existing relationship")
        OTHER = "other", _("Other")

    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.COMPANY
    )
    name = models.CharField(_("name"), max_length=200)
    industry = models.CharField(
        _("industry"), max_length=32, choices=Industry.choices, blank=True
    )
    source = models.CharField(
        _("source"), max_length=32, choices=Source.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROSPECT
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_clients",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), max_length=200, blank=True)
    tags = models.ManyToManyField(
        "core.Tag", verbose_name=_("tags"), blank=True, related_name="clients"
    )
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    tier_computed = models.CharField(
        _("computed tier"),
        max_length=1,
        choices=Tier.choices,
        default=Tier.C,
        editable=False,
    )
    tier_override = models.CharField(
        _("tier override"),
        max_length=1,
        choices=Tier.choices,
        blank=True,
        help_text=_(
            "Leave empty to use the tier computed from the last 12 months of payments."
        ),
    )
    archived_at = models.DateTimeField(
        _("archived"), null=True, blank=True, editable=False
    )
    # Derived for fast, case-insensitive substring search and pinyin sorting; kept up to date
    # by clients.services whenever the client or its contacts change.
    search_text = models.TextField(default="", editable=False)
    name_sort = models.CharField(
        max_length=400, default="", editable=False, db_index=True
    )

    history = HistoricalRecords(excluded_fields=["search_text", "name_sort"])
    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name_sort", "id"]
        indexes = [
            # archived_at is in each list index because every list filters on it.
            models.Index(fields=["status", "archived_at", "name_sort"]),
            models.Index(fields=["status", "archived_at", "updated_at"]),
            models.Index(fields=["owner", "name_sort"]),
            # Covers the default list order and search: pages (also deep ones) and
            # search counts read this index, not the wide table rows.
            models.Index(fields=["archived_at", "name_sort", "id", "search_text"]),
            models.Index(fields=["-updated_at"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tier(self) -> str:
        return self.tier_override or self.tier_computed

    @property
    def tier_is_overridden(self) -> bool:
        return bool(self.tier_override) and self.tier_override != self.tier_computed

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Contact(VersionedModel):
    """A person at a client."""

    client = models.ForeignKey(
        Client,
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = models.CharField(_("Full name"), max_length=100)
    title = models.CharField(_("Job title"), max_length=100, blank=True)
    phone = models.CharField(
        _("phone"), max_length=40, blank=True, validators=[phone_validator]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    wechat = models.CharField(_("WeChat"), max_length=60, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    portal_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact",
    )
    # Set when the person's data was erased on their request or by the retention
    # rule (ops.privacy): the row stays, anonymised, so the business records that
    # name them (minutes, acceptances, decisions) keep their meaning.
    erased_at = models.DateTimeField(
        _("personal data erased"), null=True, blank=True, editable=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(is_primary=True),
                name="clients_contact_one_primary_per_client",
            )
        ]
        indexes = [models.Index(fields=["phone"]), models.Index(fields=["email"])]

    def __str__(self) -> str:
        return self.name


class Requirement(VersionedModel):
    """A need the client has told us about (客户需求)."""

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DISCUSSING = "discussing", _("In discussion")
        PLANNED = "planned", _("Planned")
        FULFILLED = "fulfilled", _("Fulfilled")
        DECLINED = "declined", _("Declined")

    client = models.ForeignKey(
        Client,
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="requirements",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    priority = models.CharField(
        _("priority"), max_length=16, choices=Priority.choices, default=Priority.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    wanted_by = models.DateField(
        _("wanted by"), null=True, blank=True, validators=[validate_plan_date]
    )
    # The contact who asked for it in the client portal (issue 12); None when the team
    # recorded it.
    submitted_by = models.ForeignKey(
        Contact,
        verbose_name=_("submitted in the portal by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="submitted_requirements",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["status", "wanted_by", "id"]

    def __str__(self) -> str:
        return self.title


class Contract(VersionedModel):
    """A signed (or draft) agreement with a client."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", pgettext_lazy("contract status", "Active")
        COMPLETED = "completed", _("Completed")
        TERMINATED = "terminated", _("Terminated")

    client = models.ForeignKey(
        Client,
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="contracts",
    )
    number = models.CharField(_("contract number"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=200)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=amount_validators
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY
    )
    signed_on = models.DateField(
        _("signed on"), null=True, blank=True, validators=[validate_plan_date]
    )
    starts_on = models.DateField(
        _("starts on"), null=True, blank=True, validators=[validate_plan_date]
    )
    ends_on = models.DateField(
        _("ends on"), null=True, blank=True, validators=[validate_plan_date]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="clients_contract_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="clients_contract_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": _("The end date is before the start date.")}
            )
        if self.amount is not None and self.amount > MAX_AMOUNT:
            raise ValidationError({"amount": _("The amount is too large.")})


class Payment(VersionedModel):
    """Money received from a client against a contract (回款)."""

    class Method(models.TextChoices):
        BANK = "bank", _("Bank transfer")
        ALIPAY = "alipay", _("Alipay")
        WECHAT = "wechat", _("WeChat Pay")
        CHEQUE = "cheque", _("Cheque")
        CASH = "cash", _("Cash")
        OTHER = "other", _("Other")

    contract = models.ForeignKey(
        Contract,
        verbose_name=_("contract"),
        on_delete=models.CASCADE,
        related_name="payments",
    )
    received_on = models.DateField(
        pgettext_lazy("payment", "received on"), validators=[validate_plan_date]
    )
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=amount_validators
    )
    method = models.CharField(
        _("method"), max_length=16, choices=Method.choices, default=Method.BANK
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Set when the money was received against one of the project invoices: the
    # finance app and the client library share this one record.
    invoice = models.ForeignKey(
        "finance.Invoice",
        verbose_name=_("invoice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="clients_payment_amount_positive"
            )
        ]
        indexes = [models.Index(fields=["contract", "received_on"])]

    def __str__(self) -> str:
        return f"{self.received_on} {self.amount}"

    def clean(self) -> None:
        if self.amount is not None and self.amount > MAX_AMOUNT:
            raise ValidationError({"amount": _("The amount is too large.")})
        if self.invoice_id is not None and self.amount is not None:
            invoice = self.invoice
            assert invoice is not None
            if self.contract_id != invoice.contract_id:
                raise ValidationError(
                    {"contract": _("A payment of an invoice stays on its contract.")}
                )
            others = Payment.objects.filter(invoice_id=self.invoice_id).exclude(
                pk=self.pk
            ).aggregate(total=models.Sum("amount"))["total"] or Decimal(0)
            if others + self.amount > invoice.total:
                raise ValidationError(
                    {"amount": _("A payment larger than what is due.")}
                )


class Feedback(VersionedModel):
    """Praise, a suggestion or a complaint from a client."""

    class Kind(models.TextChoices):
        PRAISE = "praise", _("Praise")
        SUGGESTION = "suggestion", _("Suggestion")
        COMPLAINT = "complaint", _("Complaint")

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", pgettext_lazy("feedback severity", "Critical")

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")
        WECHAT = "wechat", _("WeChat")
        MEETING = "meeting", _("Meeting")
        VISIT = "visit", _("Visit")
        SURVEY = "survey", _("Survey")
        PORTAL = "portal", _("Client portal")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    client = models.ForeignKey(
        Client,
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    severity = models.CharField(
        _("severity"), max_length=16, choices=Severity.choices, default=Severity.LOW
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    received_on = models.DateField(_("received on"), validators=[validate_plan_date])
    subject = models.CharField(_("subject"), max_length=200)
    detail = models.TextField(_("detail"), max_length=10000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    resolution = models.TextField(_("resolution"), max_length=10000, blank=True)
    resolved_on = models.DateField(
        _("resolved on"), null=True, blank=True, validators=[validate_plan_date]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return self.subject

    def clean(self) -> None:
        if (
            self.resolved_on
            and self.received_on
            and self.resolved_on < self.received_on
        ):
            raise ValidationError(
                {
                    "resolved_on": _(
                        "The resolution date is before the date it was received."
                    )
                }
            )
        if (
            self.contact is not None
            and self.client_id
            and self.contact.client_id != self.client_id
        ):
            raise ValidationError(
                {"contact": _("This contact belongs to another client.")}
            )


class FollowUp(VersionedModel):
    """A planned or done follow-up visit or call to a client (回访)."""

    client = models.ForeignKey(
        Client,
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    planned_on = models.DateField(_("planned date"), validators=[validate_plan_date])
    purpose = models.CharField(_("purpose"), max_length=300)
    done_on = models.DateField(
        _("done on"), null=True, blank=True, validators=[validate_plan_date]
    )
    outcome = models.TextField(_("outcome"), max_length=10000, blank=True)
    next_on = models.DateField(
        _("next follow-up"), null=True, blank=True, validators=[validate_plan_date]
    )

    history = HistoricalRecords()
    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["done_on", "planned_on", "id"]
        indexes = [models.Index(fields=["done_on", "planned_on"])]

    def __str__(self) -> str:
        return self.purpose

    def clean(self) -> None:
        if self.next_on and self.planned_on and self.next_on < self.planned_on:
            raise ValidationError(
                {
                    "next_on": _(
                        "The next follow-up cannot be before this one's planned date."
                    )
                }
            )
        if (
            self.contact is not None
            and self.client_id
            and self.contact.client_id != self.client_id
        ):
            raise ValidationError(
                {"contact": _("This contact belongs to another client.")}
            )

    def is_overdue(self, today) -> bool:
        return self.done_on is None and self.planned_on < today


class ImportPreset(VersionedModel):
    """A named column mapping for client imports, shared by the firm: which header of a
    file from another CRM feeds which import field (``clients.mapping``)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    columns = models.JSONField(
        _("columns"),
        default=dict,
        help_text=_("Header → import field key, or null to leave the column out."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="client_import_presets",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("import mapping preset")
        verbose_name_plural = _("import mapping presets")

    def __str__(self) -> str:
        return self.name
