"""Factories of the satisfaction surveys."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from clientfolio.reports.survey_models import Answer, Invitation, Survey
from tests.clients.factories import ContactFactory
from tests.projects.factories import ProjectFactory


class SurveyFactory(DjangoModelFactory):
    class Meta:
        model = Survey

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"满意度调查 {n}")
    occasion = Survey.Occasion.MANUAL

    class Params:
        sent = factory.Trait(sent_at=factory.LazyFunction(timezone.now))


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    survey = factory.SubFactory(SurveyFactory, sent=True)
    contact = factory.SubFactory(
        ContactFactory, client=factory.SelfAttribute("..survey.project.client")
    )


class AnswerFactory(DjangoModelFactory):
    class Meta:
        model = Answer

    invitation = factory.SubFactory(InvitationFactory)
    survey = factory.SelfAttribute("invitation.survey")
    contact = factory.SelfAttribute("invitation.contact")
    quality = 4
    schedule = 4
    communication = 5
    responsiveness = 4
    value = 4
    nps = 9
    answered_at = factory.LazyFunction(timezone.now)
