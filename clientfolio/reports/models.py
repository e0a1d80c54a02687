"""The reports app's tables: progress reports and their published versions, satisfaction
surveys and their answers, and each client's analysis (dashboards and search compute
from the other apps' tables)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ClientInsight"]


class ClientInsight(models.Model):
    """A client's analysis (客户分析) as of ``computed_on``: RFM figures and scores, the
    segment, revenue of the last two twelve-month windows, complaints, the last contact
    and the signals that put the client at risk. Recomputed for every client by the
    nightly job (``reports.tasks.recompute_insights``, ``reports.insights``)."""

    class Segment(models.TextChoices):
        CHAMPIONS = "champions", _("Champions")
        LOYAL = "loyal", _("Loyal")
        BIG_SPENDERS = "big_spenders", _("Big spenders")
        NEW = "new", _("New")
        AT_RISK = "at_risk", _("Slipping away")
        HIBERNATING = "hibernating", _("Hibernating")
        ATTENTION = "attention", _("Needs attention")
        NONE = "none", _("No payments in 24 months")

    client = models.OneToOneField(
        "clients.Client",
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="insight",
    )
    computed_on = models.DateField(_("computed on"))
    recency_days = models.PositiveIntegerField(_("days since last payment"), null=True)
    frequency = models.PositiveIntegerField(_("payments in 24 months"), default=0)
    revenue = models.DecimalField(
        _("revenue, last 12 months"), max_digits=16, decimal_places=2, default=0
    )
    revenue_before = models.DecimalField(
        _("revenue, the 12 months before"), max_digits=16, decimal_places=2, default=0
    )
    r_score = models.PositiveSmallIntegerField(null=True)
    f_score = models.PositiveSmallIntegerField(null=True)
    m_score = models.PositiveSmallIntegerField(null=True)
    segment = models.CharField(
        _("segment"), max_length=16, choices=Segment.choices, default=Segment.NONE
    )
    open_complaints = models.PositiveIntegerField(_("open complaints"), default=0)
    last_contact_on = models.DateField(_("last contact"), null=True)
    at_risk = models.BooleanField(_("at risk"), default=False)
    signals = models.JSONField(_("signals"), default=list)

    class Meta:
        verbose_name = _("client analysis")
        verbose_name_plural = _("client analyses")
        indexes = [
            models.Index(fields=["segment"]),
            models.Index(fields=["at_risk", "-revenue_before"]),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.segment}"
