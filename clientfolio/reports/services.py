"""Every write of progress reports: drafting one from the data, the manager's narrative,
publishing an immutable version (both PDFs, the e-mails after commit) and reopening a
published report as a new draft. Pages, the API, the periodic job and the demo call
these.

Writes run in one transaction and raise ``ReportError`` (a translated message, nothing
saved) for bad input; updates check ``version`` (``StaleVersion``)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clientfolio.core.jobs import enqueue_on_commit
from clientfolio.core.locking import save_versioned
from clientfolio.projects.models import Project
from clientfolio.reports import progress
from clientfolio.reports.models import (
    Period,
    ProgressReport,
    ProgressReportVersion,
    ReportTemplate,
)
from clientfolio.reports.periods import period_of
from clientfolio.reports.sections import (
    CLIENT_DEFAULT,
    INTERNAL_SECTIONS,
    SECTIONS,
    arrange,
    client_snapshot,
    internal_fields,
    internal_snapshot,
)

__all__ = [
    "FIELD_LABELS",
    "ReportError",
    "draft_report",
    "narrative_of",
    "pdf_of",
    "publish_report",
    "recipients_for",
    "refresh_report",
    "reopen_report",
    "report_template",
    "save_narrative",
    "save_template",
    "template_logo",
    "template_logo_uri",
]

# What each internal key is called when a client version is refused for carrying it.
FIELD_LABELS = {
    "budget": gettext_lazy("budget"),
    "hours": gettext_lazy("hours"),
    "hours_in_period": gettext_lazy("hours"),
    "hours_total": gettext_lazy("hours"),
    "cost": gettext_lazy("cost"),
    "cost_in_period": gettext_lazy("cost"),
    "cost_impact": gettext_lazy("cost"),
    "actual_cost": gettext_lazy("cost"),
    "burn_percent": gettext_lazy("budget burn"),
    "cpi": gettext_lazy("CPI"),
    "rate": gettext_lazy("rates"),
    "rates": gettext_lazy("rates"),
    "internal_notes": gettext_lazy("internal notes"),
}


class ReportError(ValueError):
    """Bad report input: the message says what to fix; nothing was saved."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- the firm's template -------------------------------------------------------------

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 4000
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg"}


def report_template() -> ReportTemplate:
    """The firm's template; the default one (unsaved: every section, the usual client
    sections, no logo) when none was saved."""
    found = ReportTemplate.objects.order_by("pk").first()
    return found or ReportTemplate(
        sections=list(SECTIONS), client_sections=list(CLIENT_DEFAULT)
    )


def _layout(template: ReportTemplate) -> list[str]:
    return arrange(template.sections)


def _client_default(template: ReportTemplate) -> list[str]:
    layout = _layout(template)
    chosen = template.client_sections if template.pk else CLIENT_DEFAULT
    return [s for s in layout if s in set(chosen) and s not in INTERNAL_SECTIONS]


def _checked_logo(upload: Any) -> tuple[bytes, str]:
    """The logo's bytes and extension once its content proved to be a PNG or JPEG
    picture of a sensible size (its name and declared type prove nothing)."""
    from PIL import Image, UnidentifiedImageError

    data = upload.read(LOGO_MAX_BYTES + 1)
    if len(data) > LOGO_MAX_BYTES:
        raise ReportError(_("The logo may be at most 1 MB."), "logo")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            kind, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ReportError(
            _("The logo must be a PNG or JPEG picture."), "logo"
        ) from error
    if kind not in LOGO_FORMATS:
        raise ReportError(_("The logo must be a PNG or JPEG picture."), "logo")
    if max(width, height) > LOGO_MAX_PIXELS or min(width, height) < 16:
        raise ReportError(
            _("The logo must be between 16 and 4000 pixels wide and high."), "logo"
        )
    return data, LOGO_FORMATS[kind]


def save_template(
    *,
    sections: Iterable[str],
    client_sections: Iterable[str],
    logo: Any = None,
    remove_logo: bool = False,
    expected_version: int | None,
) -> ReportTemplate:
    """Save the firm's template: the sections in their order (at least one), those a
    new draft shows the client (never an internal one), and the logo (checked by its
    content). New drafts follow it; drafted and published reports keep theirs."""
    order = list(dict.fromkeys(sections))
    unknown = [s for s in order if s not in SECTIONS]
    if unknown:
        raise ReportError(
            _("Unknown report section: %(names)s.") % {"names": ", ".join(unknown)},
            "sections",
        )
    if not order:
        raise ReportError(_("Choose at least one section."), "sections")
    shown = [s for s in order if s in set(client_sections)]
    if set(shown) & INTERNAL_SECTIONS:
        raise ReportError(
            _(
                "The section “Hours and budget (internal)” is never shown to the client."
            ),
            "client_sections",
        )
    logo_file = _checked_logo(logo) if logo else None
    template = report_template()
    with transaction.atomic():
        template.sections, template.client_sections = order, shown
        fields = ["sections", "client_sections", "updated_at"]
        if logo_file is not None:
            data, extension = logo_file
            template.logo.save(f"logo.{extension}", ContentFile(data), save=False)
            fields.append("logo")
        elif remove_logo and template.logo:
            template.logo = ""
            fields.append("logo")
        if template.pk is None:
            template.save()
        else:
            save_versioned(template, expected_version, fields=fields)
    return template


def template_logo() -> bytes | None:
    """The logo's bytes, or None without one (or when its file is gone)."""
    template = report_template()
    if not template.logo:
        return None
    try:
        with template.logo.open("rb") as file:
            return file.read()
    except OSError:
        return None


def template_logo_uri() -> str:
    """The logo as a ``data:`` URI for a page (the portal's too, with no staff URL to
    fetch it from), or an empty string."""
    import base64

    data = template_logo()
    if not data:
        return ""
    kind = "jpeg" if data[:3] == b"\xff\xd8\xff" else "png"
    return f"data:image/{kind};base64,{base64.b64encode(data).decode('ascii')}"


def draft_report(
    project: Project,
    period: str = Period.WEEKLY,
    *,
    today: date | None = None,
    user: Any = None,
) -> tuple[ProgressReport, bool]:
    """The report of ``project`` for the ``period`` holding ``today``: the existing one,
    or a new draft computed from the data. Returns ``(report, created)``; running it
    twice makes one report."""
    if period not in Period.values:
        raise ReportError(_("Choose a reporting period."), "period")
    today = today or timezone.localdate()
    start, end = period_of(period, today)
    existing = ProgressReport.objects.filter(
        project=project, period=period, period_start=start
    ).first()
    if existing is not None:
        return existing, False
    template = report_template()
    report = ProgressReport(
        project=project,
        period=period,
        period_start=start,
        period_end=end,
        client_sections=_client_default(template),
        data={
            **progress.draft(project, period, start, end, today=today),
            "layout": _layout(template),
        },
        drafted_at=timezone.now(),
        created_by=user if getattr(user, "pk", None) else None,
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Drafted meanwhile by someone else (or the periodic job): that one it is.
        return (
            ProgressReport.objects.get(
                project=project, period=period, period_start=start
            ),
            False,
        )
    return report, True


def _must_be_draft(report: ProgressReport) -> None:
    if not report.is_draft:
        raise ReportError(
            _(
                "This report is published and cannot be changed. Reopen it as a new "
                "draft to make a new version."
            )
        )


def _checked_sections(report: ProgressReport, sections: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(sections))
    layout = arrange(report.data.get("layout"))
    unknown = [s for s in chosen if s not in layout]
    if unknown:
        raise ReportError(
            _("Unknown report section: %(names)s.") % {"names": ", ".join(unknown)},
            "client_sections",
        )
    return [s for s in layout if s in chosen]


def save_narrative(
    report: ProgressReport,
    *,
    summary: str,
    next_steps: str,
    client_notes: str,
    internal_notes: str,
    client_sections: Iterable[str],
    expected_version: int | None,
) -> ProgressReport:
    """Save the manager's narrative and the sections the client version shows. Raises
    ``ReportError`` on a published report or an unknown section, ``StaleVersion`` when
    the report moved on."""
    _must_be_draft(report)
    report.client_sections = _checked_sections(report, client_sections)
    report.summary, report.next_steps = summary, next_steps
    report.client_notes, report.internal_notes = client_notes, internal_notes
    return save_versioned(
        report,
        expected_version,
        fields=[
            "summary",
            "next_steps",
            "client_notes",
            "internal_notes",
            "client_sections",
            "updated_at",
        ],
    )


def refresh_report(
    report: ProgressReport, *, today: date | None = None, expected_version: int | None
) -> ProgressReport:
    """Draft the figures of a draft again from today's data (the narrative stays)."""
    _must_be_draft(report)
    report.data = {
        **progress.draft(
            report.project,
            report.period,
            report.period_start,
            report.period_end,
            today=today,
        ),
        "layout": arrange(report.data.get("layout")),
    }
    report.drafted_at = timezone.now()
    return save_versioned(
        report, expected_version, fields=["data", "drafted_at", "updated_at"]
    )


def narrative_of(report: ProgressReport) -> dict[str, str]:
    return {
        "summary": report.summary,
        "next_steps": report.next_steps,
        "client_notes": report.client_notes,
        "internal_notes": report.internal_notes,
    }


def recipients_for(project: Project):
    """The client contacts a report can be e-mailed to: the project client's contacts
    with an e-mail address."""
    from clientfolio.clients.models import Contact

    return (
        Contact.objects.filter(client_id=project.client_id)
        .exclude(email="")
        .select_related("portal_user")
        .order_by("-is_primary", "name", "id")
    )


def publish_report(
    report: ProgressReport,
    *,
    user: Any,
    recipients: Iterable[Any] = (),
    expected_version: int | None,
    send: bool = True,
) -> ProgressReportVersion:
    """Freeze the report as its next version: the client snapshot (only the ticked
    sections, cut to what a client may read) and the internal one, both PDFs, and the
    contacts it is e-mailed to. The e-mails leave after commit (``reports.emails``),
    unless ``send`` is false (the demo data).

    Raises ``ReportError`` (nothing saved) for a published report, a client version
    that would show an internal field, or a recipient who is not a contact of the
    project's client; ``StaleVersion`` when the report moved on."""
    from clientfolio.reports import emails
    from clientfolio.reports.pdf import report_pdf

    _must_be_draft(report)
    narrative = narrative_of(report)
    client = client_snapshot(report.data, report.client_sections, narrative)
    leaked = internal_fields(client)
    if leaked:
        names = sorted({str(FIELD_LABELS.get(k, k)) for k in leaked})
        raise ReportError(
            _(
                "The client version would show internal figures (%(fields)s). Untick "
                "the section “Hours and budget (internal)”: nothing was published."
            )
            % {"fields": ", ".join(names)},
            "client_sections",
        )
    allowed = {c.pk: c for c in recipients_for(report.project)}
    chosen = []
    for contact in recipients:
        pk = getattr(contact, "pk", contact)
        if pk not in allowed:
            raise ReportError(
                _("Send the report only to contacts of this project's client."),
                "recipients",
            )
        chosen.append(allowed[pk])
    internal = internal_snapshot(report.data, narrative)
    number = report.versions.count() + 1
    client["version"] = internal["version"] = number
    # The PDFs before the rows: a failing PDF leaves nothing behind.
    logo = template_logo()
    client_file = report_pdf(client, internal=False, logo=logo)
    internal_file = report_pdf(internal, internal=True, logo=logo)
    code = report.project.code
    with transaction.atomic():
        report.status = ProgressReport.Status.PUBLISHED
        save_versioned(report, expected_version, fields=["status", "updated_at"])
        version = ProgressReportVersion(
            report=report,
            number=number,
            client_data=client,
            internal_data=internal,
            published_by=user,
            published_at=timezone.now(),
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        start = report.period_start.isoformat()
        version.client_pdf.save(
            f"{code}-{start}-client.pdf", ContentFile(client_file), save=False
        )
        version.internal_pdf.save(
            f"{code}-{start}-internal.pdf", ContentFile(internal_file), save=False
        )
        version.save(force_insert=True)
        version.recipients.set(chosen)
        if send:
            enqueue_on_commit(emails.send_published_report, version.pk)
    return version


def reopen_report(
    report: ProgressReport, *, expected_version: int | None
) -> ProgressReport:
    """A published report becomes a draft again (its published versions stay as they
    are, in the portal too); publishing it makes the next version."""
    if report.is_draft:
        raise ReportError(_("This report is a draft already."))
    report.status = ProgressReport.Status.DRAFT
    return save_versioned(report, expected_version, fields=["status", "updated_at"])


def _same_language(a: str | None, b: str | None) -> bool:
    return (a or "").lower().replace("_", "-") == (b or "").lower().replace("_", "-")


def pdf_of(version: ProgressReportVersion, variant: str, language: str) -> bytes:
    """A published version's client or internal PDF in ``language``: the stored file
    when it was drawn in that language, else drawn again from the frozen snapshot (the
    figures are the version's; only the words change)."""
    from clientfolio.reports.pdf import report_pdf

    internal = variant == "internal"
    if _same_language(language, version.language):
        stored = version.internal_pdf if internal else version.client_pdf
        with stored.open("rb") as file:
            return file.read()
    snapshot = version.internal_data if internal else version.client_data
    with translation.override(language):
        return report_pdf(snapshot, internal=internal, logo=template_logo())
