"""Models of ops: the record of what was done with a person's data (PIPL / GDPR)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["PersonalDataRecord"]


class PersonalDataRecord(models.Model):
    """One access to a person's data on their behalf, or one erasure of it.

    The record names the contact by its row, which survives an erasure anonymised; it
    never copies their name or addresses, so the log itself holds no personal data.
    ``summary`` counts what was exported or erased, by kind of record; ``sha256`` is
    the digest of an exported file, so the copy handed over can be recognised later.
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("Export")
        ERASURE = "erasure", _("Erasure on request")
        RETENTION = "retention", _("Erasure by the retention rule")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contact_ref = models.PositiveBigIntegerField(_("contact number"))
    client_ref = models.PositiveBigIntegerField(_("client number"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), db_index=True)
    reason = models.CharField(_("request or reason"), max_length=300, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("personal data record")
        verbose_name_plural = _("personal data records")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.contact_ref}"
