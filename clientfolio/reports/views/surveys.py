"""The satisfaction pages: a project's surveys and results (send one, the automatic
occasions), and the answer page behind the e-mailed link, which needs no login."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from clientfolio.core.permissions import Action, can, client_contact, is_client, scope
from clientfolio.projects.folder import FolderMixin
from clientfolio.reports import surveys
from clientfolio.reports.survey_forms import (
    AnswerForm,
    SendSurveyForm,
    SurveySettingsForm,
)
from clientfolio.reports.survey_models import Answer, Survey

__all__ = ["SurveyListView", "SurveySendView", "SurveySettingsView", "answer"]

# Answers with their comments shown on the page (newest first).
ANSWERS_SHOWN = 50


def chart_data(figures: surveys.SurveyFigures, as_of: str) -> dict[str, Any]:
    """The trend chart's data (``json_script``): CSAT and NPS by month."""
    return {
        "title": _("Satisfaction by month, as of %(date)s") % {"date": as_of},
        "periods": [row.period for row in figures.trend],
        "csat": [
            None if row.figures.csat is None else round(row.figures.csat, 2)
            for row in figures.trend
        ],
        "nps": [
            None if row.figures.nps is None else round(row.figures.nps, 1)
            for row in figures.trend
        ],
        "answers": [row.figures.count for row in figures.trend],
        "text": {
            "csat": _("CSAT (1–5)"),
            "nps": _("NPS (−100 to 100)"),
            "answers": _("answers"),
        },
    }


class SurveyFolderMixin(FolderMixin):
    folder_model = "reports.survey"

    def page_context(self, **extra: Any) -> dict[str, Any]:
        project = self.project
        user = self.request.user
        figures = surveys.project_figures(project)
        today = timezone.localdate()
        survey_rows = list(
            scope(
                user, Survey.objects.for_list().filter(project=project), project=project
            )
        )
        answers = list(
            scope(
                user,
                Answer.objects.filter(survey__project=project).select_related(
                    "contact", "survey", "follow_up"
                ),
                project=project,
            )[:ANSWERS_SHOWN]
        )
        project_settings = surveys.settings_of(project)
        can_send = can(user, Action.ADD, "reports.survey", project=project)
        return {
            **self.folder_context(),
            "figures": figures,
            "today": today,
            "chart": chart_data(figures, today.isoformat()),
            "surveys": survey_rows,
            "answers": answers,
            "can_send": can_send,
            "send_form": extra.pop("send_form", None) or SendSurveyForm(),
            "settings_form": extra.pop("settings_form", None)
            or SurveySettingsForm(instance=project_settings),
            "can_change_settings": can(
                user, Action.CHANGE, "reports.surveysettings", project=project
            ),
            **extra,
        }


class SurveyListView(SurveyFolderMixin, View):
    """The project's satisfaction: CSAT by dimension, NPS, the trend, the answers with
    their comments, the surveys sent, and (for the manager) sending one."""

    def get(self, request, pk):
        return render(request, "reports/survey_list.html", self.page_context())


class SurveySendView(SurveyFolderMixin, View):
    """The manager creates a survey and sends it to the client's contacts."""

    folder_action = Action.ADD
    http_method_names = ["post"]

    def post(self, request, pk):
        form = SendSurveyForm(request.POST)
        if form.is_valid():
            try:
                survey = surveys.create_survey(
                    self.project,
                    occasion=form.cleaned_data["occasion"],
                    title=form.cleaned_data["title"],
                    user=request.user,
                )
                surveys.send_survey(survey)
            except surveys.SurveyError as error:
                form.add_error(
                    error.field if error.field in form.fields else None, error.message
                )
            else:
                count = survey.invitations.count()
                messages.success(
                    request,
                    _("The survey was sent to %(count)s contact(s).")
                    % {"count": count},
                )
                return redirect("reports:survey_list", pk=self.project.pk)
        context = self.page_context(send_form=form)
        return render(request, "reports/survey_list.html", context, status=400)


class SurveySettingsView(SurveyFolderMixin, View):
    """When the project's client is surveyed automatically."""

    folder_model = "reports.surveysettings"
    folder_action = Action.CHANGE
    http_method_names = ["post"]

    def post(self, request, pk):
        form = SurveySettingsForm(
            request.POST, instance=surveys.settings_of(self.project)
        )
        if form.is_valid():
            form.save()
            messages.success(request, _("Survey settings saved."))
            return redirect("reports:survey_list", pk=self.project.pk)
        context = self.page_context(settings_form=form)
        return render(request, "reports/survey_list.html", context, status=400)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token):
    """The answer page behind the e-mailed (or portal) link, in the contact's language.
    The signed token is the credential; a signed-in contact may use only their own."""
    contact = client_contact(request.user) if is_client(request.user) else None
    try:
        invitation = surveys.read_token(token, contact=contact)
    except surveys.LinkError as error:
        return render(
            request,
            "reports/survey_link_invalid.html",
            {"message": error.message, "kind": error.kind},
            status=error.status,
        )
    # The contact's language, unless they chose another with the language switch (or
    # are signed in with their own).
    language = invitation.language
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if request.user.is_authenticated and getattr(request.user, "language", ""):
        language = request.user.language
    elif chosen in dict(settings.LANGUAGES):
        language = chosen
    with translation.override(language):
        return _answer(request, invitation, contact, language)


def _answer(request, invitation, contact, language):
    survey = invitation.survey
    context: dict[str, Any] = {
        "invitation": invitation,
        "survey": survey,
        "project": survey.project,
        "firm_name": settings.CLIENTFOLIO_FIRM_NAME,
        "firm_logo": settings.CLIENTFOLIO_FIRM_LOGO_URL,
        "viewer": None,
        "portal_home": reverse("portal:home") if contact is not None else "",
    }
    if invitation.answered_at is not None:
        found = Answer.objects.filter(invitation=invitation).first()
        context["answer"] = found
        context["answer_scores"] = (
            [
                (name, surveys.DIMENSION_LABELS[name], getattr(found, name))
                for name in (*surveys.SCORE_FIELDS, "nps")
            ]
            if found
            else []
        )
        if request.method == "POST":
            context["error"] = _("You have already answered this survey. Thank you!")
            return render(request, "reports/survey_answer.html", context, status=409)
        return render(request, "reports/survey_answer.html", context)
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                surveys.answer_survey(
                    invitation,
                    {name: data[name] for name in surveys.SCORE_FIELDS},
                    data["nps"],
                    data["comment"],
                    language=language,
                )
            except surveys.SurveyError as error:
                form.add_error(
                    error.field if error.field in form.fields else None, error.message
                )
            else:
                messages.success(request, _("Thank you: your answer was recorded."))
                return redirect(request.path)
        status = 400
    context["form"] = form
    return render(request, "reports/survey_answer.html", context, status=status)
