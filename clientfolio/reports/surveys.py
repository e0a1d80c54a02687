"""Every write of the satisfaction surveys (满意度调查, issue 13), and the figures the
pages show. Pages, the API, the event handler, the reminder job and the demo call these.

Writes run in one transaction and raise ``SurveyError`` (a translated message, nothing
saved) for bad input. E-mails leave from a job after the transaction commits
(``core.mail.send_later``), each in the contact's language, with a signed link that
needs no login (``answer_url``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from clientfolio.clients.models import Contact, FollowUp
from clientfolio.core.mail import send_later
from clientfolio.projects.models import Project
from clientfolio.reports import satisfaction
from clientfolio.reports.survey_models import (
    SCORE_FIELDS,
    Answer,
    Invitation,
    Survey,
    SurveySettings,
)

__all__ = [
    "DIMENSION_LABELS",
    "SCORE_FIELDS",
    "LinkError",
    "SurveyError",
    "answer_survey",
    "answer_url",
    "client_figures",
    "create_survey",
    "invitation_token",
    "language_of",
    "project_figures",
    "read_token",
    "remind_unanswered",
    "send_survey",
    "send_survey_emails",
    "settings_of",
    "survey_for_event",
]

logger = logging.getLogger(__name__)

TOKEN_SALT = "clientfolio.reports.survey"


def link_max_age() -> timedelta:
    """How long an e-mailed link works (a reminder carries a fresh one):
    ``SURVEY_LINK_DAYS``."""
    return timedelta(days=settings.SURVEY_LINK_DAYS)


# Days after a follow-up visit is planned for a low score.
FOLLOW_UP_DAYS = 3

DIMENSION_LABELS = {
    "quality": pgettext_lazy("survey dimension", "Quality"),
    "schedule": pgettext_lazy("survey dimension", "Schedule"),
    "communication": pgettext_lazy("survey dimension", "Communication"),
    "responsiveness": pgettext_lazy("survey dimension", "Responsiveness"),
    "value": pgettext_lazy("survey dimension", "Value for money"),
    "nps": gettext_lazy("Likelihood to recommend"),
}


class SurveyError(ValueError):
    """Bad survey input: the message says what to fix; nothing was saved."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class LinkError(Exception):
    """A survey link that cannot be used; ``status`` is the HTTP answer (400 damaged,
    410 no longer valid, 403 a link of another contact)."""

    TAMPERED, EXPIRED, GONE, OTHER = "tampered", "expired", "gone", "other"

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind
        self.status = {self.TAMPERED: 400, self.OTHER: 403}.get(kind, 410)

    @property
    def message(self) -> str:
        return {
            self.TAMPERED: _(
                "This survey link is damaged or was not issued by us. Copy the whole "
                "link from the e-mail."
            ),
            self.EXPIRED: _(
                "This survey link has expired. Nothing was saved; thank you all the "
                "same."
            ),
            self.GONE: _("This survey is no longer open. Nothing was saved."),
            self.OTHER: _(
                "This survey link was sent to another person. Nothing was saved; "
                "please use the link in your own e-mail."
            ),
        }[self.kind]


# --- settings ------------------------------------------------------------------------


def settings_of(project: Project) -> SurveySettings:
    """The project's survey settings; the defaults (unsaved) when it has none."""
    found = SurveySettings.objects.filter(project=project).first()
    return found or SurveySettings(project=project)


# --- creating and sending ------------------------------------------------------------


def language_of(contact: Contact) -> str:
    """The contact's language: their portal login's, else the firm's default."""
    user = getattr(contact, "portal_user", None)
    if user is not None and user.language:
        return str(user.language)
    return str(settings.LANGUAGE_CODE)


def _default_title(project: Project, occasion: str) -> str:
    """The usual title, in the firm's language (it is stored, and shown to everyone)."""
    with translation.override(settings.LANGUAGE_CODE):
        label = Survey.Occasion(occasion).label
        return (
            _("Satisfaction survey: %(project)s (%(occasion)s)")
            % {"project": project.name, "occasion": label}
        )[:200]


@transaction.atomic
def create_survey(
    project: Project,
    *,
    occasion: str = Survey.Occasion.MANUAL,
    title: str = "",
    user: Any = None,
    contacts: list[Contact] | None = None,
    source_key: str | None = None,
) -> Survey:
    """A survey of ``project`` with one invitation per contact of its client (or the
    given ``contacts``, which must be the client's). Raises ``SurveyError`` for an
    unknown occasion, a client without contacts or a contact of another client."""
    if occasion not in Survey.Occasion.values:
        raise SurveyError(_("Choose the occasion of the survey."), field="occasion")
    title = (title or "").strip() or _default_title(project, occasion)
    if len(title) > 200:
        raise SurveyError(
            _("The title can have at most 200 characters."), field="title"
        )
    chosen = list(
        Contact.objects.filter(client_id=project.client_id).select_related(
            "portal_user"
        )
    )
    if contacts is not None:
        wanted = {contact.pk for contact in contacts}
        if not wanted <= {contact.pk for contact in chosen}:
            raise SurveyError(
                _("Only contacts of the project's client can be asked."),
                field="contacts",
            )
        chosen = [contact for contact in chosen if contact.pk in wanted]
    if not chosen:
        raise SurveyError(
            _("The client has no contacts to ask. Add a contact first."),
            field="contacts",
        )
    survey = Survey.objects.create(
        project=project,
        occasion=occasion,
        title=title,
        created_by=user if getattr(user, "pk", None) else None,
        source_key=source_key,
    )
    Invitation.objects.bulk_create(
        Invitation(survey=survey, contact=contact, language=language_of(contact))
        for contact in chosen
    )
    return survey


@transaction.atomic
def send_survey(survey: Survey) -> Survey:
    """Mark the survey sent and e-mail every invited contact with an address, from a
    job once the transaction commits. Raises ``SurveyError`` when it was sent already."""
    from clientfolio.reports.tasks import email_survey

    updated = Survey.objects.filter(pk=survey.pk, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if not updated:
        raise SurveyError(_("This survey was sent already."))
    survey.refresh_from_db()
    transaction.on_commit(lambda: email_survey.enqueue(survey.pk))
    return survey


def invitation_token(invitation: Invitation) -> str:
    """A signed, timestamped token naming the invitation and its contact."""
    return signing.dumps(
        {"i": invitation.pk, "c": invitation.contact_id}, salt=TOKEN_SALT
    )


def answer_url(invitation: Invitation) -> str:
    """The absolute link of the answer page for ``invitation`` (``SITE_URL``)."""
    path = reverse(
        "reports:survey_answer", kwargs={"token": invitation_token(invitation)}
    )
    return settings.SITE_URL.rstrip("/") + path


def read_token(token: str, *, contact: Contact | None = None) -> Invitation:
    """The invitation a link was issued for. With ``contact`` (a signed-in client
    contact), the link must be theirs. Raises ``LinkError``; reads only."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=link_max_age())
    except signing.SignatureExpired as error:
        raise LinkError(LinkError.EXPIRED) from error
    except signing.BadSignature as error:
        raise LinkError(LinkError.TAMPERED) from error
    if not isinstance(data, dict) or not {"i", "c"} <= data.keys():
        raise LinkError(LinkError.TAMPERED)
    invitation = (
        Invitation.objects.select_related(
            "survey", "survey__project", "survey__project__client", "contact"
        )
        .filter(pk=data["i"], contact_id=data["c"])
        .first()
    )
    if invitation is None or invitation.survey.sent_at is None:
        raise LinkError(LinkError.GONE)
    if contact is not None and contact.pk != invitation.contact_id:
        raise LinkError(LinkError.OTHER)
    return invitation


def _email(invitation: Invitation, *, reminder: bool) -> EmailMultiAlternatives:
    survey = invitation.survey
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "survey": survey,
            "project": survey.project,
            "contact": invitation.contact,
            "url": answer_url(invitation),
            "reminder": reminder,
            "valid_days": link_max_age().days,
        }
        subject = (_("Reminder: %(title)s") if reminder else _("%(title)s")) % {
            "title": survey.title
        }
        text = render_to_string("reports/email/survey_invitation.txt", context)
        html = render_to_string("reports/email/survey_invitation.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[formataddr((invitation.contact.name, invitation.contact.email))],
    )
    message.attach_alternative(html, "text/html")
    return message


def send_survey_emails(survey_id: int) -> int:
    """E-mail the invited contacts of a sent survey who were not e-mailed yet and have
    an address; safe to run twice. Returns how many were sent."""
    invitations = list(
        Invitation.objects.filter(
            survey_id=survey_id,
            survey__sent_at__isnull=False,
            emailed_at__isnull=True,
            answered_at__isnull=True,
        )
        .exclude(contact__email="")
        .select_related("survey", "survey__project", "contact")
    )
    now = timezone.now()
    with transaction.atomic():
        for invitation in invitations:
            claimed = Invitation.objects.filter(
                pk=invitation.pk, emailed_at__isnull=True
            ).update(emailed_at=now)
            if claimed:
                send_later(_email(invitation, reminder=False))
    return len(invitations)


def remind_unanswered(now: datetime | None = None) -> int:
    """One reminder e-mail for each unanswered invitation e-mailed at least the
    project's ``reminder_days`` ago (default 7); never a second. Returns how many."""
    now = now or timezone.now()
    # The shortest reminder_days is 1; each project's own is checked below.
    shortest = 1
    candidates = (
        Invitation.objects.filter(
            answered_at__isnull=True,
            reminded_at__isnull=True,
            emailed_at__lte=now - timedelta(days=shortest),
        )
        .exclude(contact__email="")
        .select_related("survey", "survey__project__survey_settings", "contact")
    )
    sent = 0
    with transaction.atomic():
        for invitation in candidates.iterator(chunk_size=500):
            project_settings = getattr(
                invitation.survey.project, "survey_settings", None
            )
            days = (project_settings or SurveySettings()).reminder_days
            if invitation.emailed_at is None or invitation.emailed_at > now - timedelta(
                days=days
            ):
                continue
            claimed = Invitation.objects.filter(
                pk=invitation.pk, reminded_at__isnull=True
            ).update(reminded_at=now)
            if claimed:
                send_later(_email(invitation, reminder=True))
                sent += 1
    return sent


# --- answering -----------------------------------------------------------------------


def _score(value: Any, field: str, allowed: range) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or number not in allowed or str(value).strip() != str(number):
        if allowed == satisfaction.NPS_RANGE:
            message = _("Choose a score from 0 to 10.")
        else:
            message = _("Choose a score from 1 (very unhappy) to 5 (very happy).")
        raise SurveyError(message, field=field)
    return number


@transaction.atomic
def answer_survey(
    invitation: Invitation,
    scores: dict[str, Any],
    nps: Any,
    comment: str = "",
    *,
    language: str | None = None,
) -> Answer:
    """Record the contact's answer: each dimension 1–5, NPS 0–10, a comment. A low
    score or a detractor opens a follow-up visit (回访) for the client's account manager
    (the project manager when the client has none) with the reason. Raises
    ``SurveyError`` for a score out of range, a comment too long or a second answer."""
    values = {
        name: _score(scores.get(name), name, satisfaction.CSAT_RANGE)
        for name in SCORE_FIELDS
    }
    nps_value = _score(nps, "nps", satisfaction.NPS_RANGE)
    comment = (comment or "").strip()
    if len(comment) > 5000:
        raise SurveyError(
            _("The comment can have at most 5000 characters."), field="comment"
        )
    locked = (
        Invitation.objects.select_for_update()
        .select_related("survey__project__client", "contact")
        .get(pk=invitation.pk)
    )
    if (
        locked.answered_at is not None
        or Answer.objects.filter(invitation=locked).exists()
    ):
        raise SurveyError(_("You have already answered this survey. Thank you!"))
    now = timezone.now()
    answer = Answer(
        survey_id=locked.survey_id,
        invitation=locked,
        contact_id=locked.contact_id,
        nps=nps_value,
        comment=comment,
        language=language or locked.language,
        answered_at=now,
        **values,
    )
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError as error:
        raise SurveyError(
            _("You have already answered this survey. Thank you!")
        ) from error
    locked.answered_at = now
    locked.save(update_fields=["answered_at", "updated_at"])
    reasons = satisfaction.follow_up_reasons(values, nps_value)
    if reasons:
        answer.follow_up = _open_follow_up(locked, reasons)
        answer.save(update_fields=["follow_up", "updated_at"])
    invitation.answered_at = now
    return answer


def _open_follow_up(invitation: Invitation, reasons: list[tuple[str, int]]) -> FollowUp:
    from clientfolio.clients.services import save_record
    from clientfolio.core.models import User

    project = invitation.survey.project
    client = project.client
    owner_id = client.owner_id or project.manager_id
    # In the language of the account manager who will read it, not of whoever answered.
    owner_language = (
        User.objects.filter(pk=owner_id).values_list("language", flat=True).first()
        if owner_id
        else None
    )
    with translation.override(owner_language or settings.LANGUAGE_CODE):
        reason = "、".join(
            f"{DIMENSION_LABELS[name]} {score}" for name, score in reasons
        )
        purpose = _("Survey follow-up: %(contact)s on %(project)s (%(reason)s)") % {
            "contact": invitation.contact.name,
            "project": project.name,
            "reason": reason,
        }
    follow_up = FollowUp(
        client_id=client.pk,
        contact_id=invitation.contact_id,
        owner_id=owner_id,
        planned_on=timezone.localdate() + timedelta(days=FOLLOW_UP_DAYS),
        purpose=purpose[:300],
    )
    save_record(follow_up)
    return follow_up


# --- automatic occasions -------------------------------------------------------------


def survey_for_event(project_id: int, occasion: str, source_key: str) -> Survey | None:
    """Create and send the automatic survey of an occasion (a milestone's acceptance,
    the project's closure) when the project's settings ask for it; once per
    ``source_key``. Returns the survey, or None when none is due."""
    project = Project.objects.select_related("client").filter(pk=project_id).first()
    if project is None:
        return None
    project_settings = settings_of(project)
    wanted = (
        project_settings.on_closure
        if occasion == Survey.Occasion.CLOSURE
        else project_settings.on_milestone_acceptance
    )
    if not wanted or Survey.objects.filter(source_key=source_key).exists():
        return None
    try:
        with transaction.atomic():
            survey = create_survey(project, occasion=occasion, source_key=source_key)
            return send_survey(survey)
    except SurveyError:
        logger.info("No survey for %s: the client has no contacts", source_key)
        return None
    except IntegrityError:
        return None


# --- figures -------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyFigures:
    """What the satisfaction pages show: the figures and the trend by month."""

    figures: satisfaction.Figures
    trend: list[satisfaction.PeriodFigures]
    invited: int
    answered: int

    @property
    def dimensions(self) -> list[tuple[str, Any, float | None]]:
        return [
            (name, DIMENSION_LABELS[name], self.figures.csat_by_dimension[name])
            for name in satisfaction.DIMENSIONS
        ]

    @property
    def response_rate(self) -> float | None:
        return 100 * self.answered / self.invited if self.invited else None


def _figures(answers: Any, invited: int) -> SurveyFigures:
    rows = list(
        answers.values_list("answered_at", "nps", *SCORE_FIELDS).order_by("answered_at")
    )
    parsed = [
        (
            timezone.localdate(row[0]),
            dict(zip(SCORE_FIELDS, row[2:], strict=True)),
            row[1],
        )
        for row in rows
    ]
    return SurveyFigures(
        figures=satisfaction.figures((scores, nps) for _day, scores, nps in parsed),
        trend=satisfaction.trend(parsed),
        invited=invited,
        answered=len(rows),
    )


def project_figures(project: Project, *, count_invited: bool = True) -> SurveyFigures:
    """The satisfaction figures of one project's answered surveys: two queries, one
    without ``count_invited`` (the response rate is then unknown)."""
    invited = (
        Invitation.objects.filter(
            survey__project=project, survey__sent_at__isnull=False
        ).count()
        if count_invited
        else 0
    )
    return _figures(Answer.objects.filter(survey__project=project), invited)


def client_figures(answers: Any) -> SurveyFigures:
    """The figures of ``answers`` (a client's, already scoped to the viewer)."""
    return _figures(answers, 0)


def closure_satisfaction(project: Project) -> int | None:
    """The client's satisfaction for the closure's final evaluation: the mean CSAT of
    the project's answers rounded to 1–5; None without answers."""
    mean = project_figures(project, count_invited=False).figures.csat
    return None if mean is None else max(1, min(5, int(mean + 0.5)))
