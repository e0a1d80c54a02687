"""API of the satisfaction surveys, scoped by the permission layer (404 outside the
user's projects): surveys (list, create and send), their invitations and answers, and
answering with the signed token of an invitation (no login needed, as the e-mailed
link)."""

from drf_spectacular.utils import extend_schema
from rest_framework import authentication, exceptions, mixins, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from clientfolio.core.api import ScopedGenericViewSet
from clientfolio.core.api_policy import KnownMethod
from clientfolio.core.permissions import Action, client_contact, is_client
from clientfolio.reports import surveys
from clientfolio.reports.api import survey_serializers as serializers
from clientfolio.reports.survey_models import SCORE_FIELDS, Answer, Invitation, Survey

__all__ = [
    "AnswerByTokenView",
    "AnswerViewSet",
    "InvitationViewSet",
    "SurveyViewSet",
]


class SurveyViewSet(
    ScopedGenericViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    """Surveys of the projects the user sees; POST creates one and sends it to every
    contact of the project's client (the project's manager only)."""

    queryset = Survey.objects.for_list()
    serializer_class = serializers.SurveySerializer
    filterset_fields = ["project", "occasion"]
    ordering = ["-created_at", "-id"]

    @extend_schema(
        request=serializers.SurveyCreateSerializer,
        responses={201: serializers.SurveySerializer},
    )
    def create(self, request, *args, **kwargs):
        body = serializers.SurveyCreateSerializer(
            data=request.data, context={"request": request}
        )
        body.is_valid(raise_exception=True)
        project = body.validated_data["project"]
        self.check_write(Action.ADD, Survey(project=project))
        try:
            survey = surveys.create_survey(
                project,
                occasion=body.validated_data["occasion"],
                title=body.validated_data.get("title", ""),
                user=request.user,
            )
            surveys.send_survey(survey)
        except surveys.SurveyError as error:
            raise exceptions.ValidationError(
                {error.field or "non_field_errors": [error.message]}
            ) from error
        survey = self.get_queryset().get(pk=survey.pk)
        return Response(self.get_serializer(survey).data, status=201)


class InvitationViewSet(
    ScopedGenericViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    """Who was asked which survey, when e-mailed and reminded, and whether answered."""

    queryset = Invitation.objects.select_related("contact")
    serializer_class = serializers.InvitationSerializer
    filterset_fields = ["survey", "contact"]
    ordering = ["-id"]


class AnswerViewSet(
    ScopedGenericViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    """The answers: CSAT 1–5 per dimension, NPS 0–10, the comment."""

    queryset = Answer.objects.select_related("contact")
    serializer_class = serializers.AnswerSerializer
    filterset_fields = ["survey", "contact"]
    ordering = ["-answered_at", "-id"]


class _SignedInContact(authentication.SessionAuthentication):
    """The session's user, without DRF's CSRF check: the token is the credential here;
    the session only narrows it (a signed-in contact may use only their own token)."""

    def enforce_csrf(self, request):
        return None


class AnswerByTokenView(APIView):
    """Answer a survey with the token of the e-mailed link: no login needed. A
    signed-in client contact may use only their own token (403). A damaged or expired
    token, a second answer or a score out of range: 4xx with field errors, nothing
    saved."""

    authentication_classes = [_SignedInContact]
    permission_classes = [KnownMethod, permissions.AllowAny]
    serializer_class = serializers.TokenAnswerSerializer

    @extend_schema(
        request=serializers.TokenAnswerSerializer,
        responses={201: serializers.AnswerSerializer},
        auth=[],  # the token in the body is the credential
    )
    def post(self, request):
        body = serializers.TokenAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        user = request.user
        contact = client_contact(user) if is_client(user) else None
        try:
            invitation = surveys.read_token(data["token"], contact=contact)
        except surveys.LinkError as error:
            code = (
                status.HTTP_403_FORBIDDEN
                if error.kind == error.OTHER
                else status.HTTP_400_BAD_REQUEST
            )
            return Response({"token": [error.message]}, status=code)
        try:
            answer = surveys.answer_survey(
                invitation,
                {name: data[name] for name in SCORE_FIELDS},
                data["nps"],
                data.get("comment", ""),
            )
        except surveys.SurveyError as error:
            return Response(
                {error.field or "non_field_errors": [error.message]},
                status=409 if error.field is None else 400,
            )
        return Response(serializers.AnswerSerializer(answer).data, status=201)
