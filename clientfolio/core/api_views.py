"""The core API: tokens (issue one for a user name and password; list and revoke your own)
and nothing else; every user may manage only their own tokens."""

import logging

from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from clientfolio.core.api_policy import KnownMethod
from clientfolio.core.models import ApiToken, User
from clientfolio.core.tokens import issue_token

__all__ = ["TokenObtainView", "TokenViewSet"]

logger = logging.getLogger(__name__)


USERNAME_MAX_LENGTH = 150  # User.username, as django.contrib.auth defines it


class TokenRequestSerializer(serializers.Serializer):
    # No account has a longer name; refusing it here also keeps it out of the login
    # throttle's table, whose column PostgreSQL would refuse with a server error.
    username = serializers.CharField(write_only=True, max_length=USERNAME_MAX_LENGTH)
    password = serializers.CharField(
        write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )
    name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="A label to recognise the token by in the list.",
    )

    def validate(self, attrs):
        user = authenticate(
            request=self.context.get("request"),
            username=attrs["username"],
            password=attrs["password"],
        )
        if user is None:
            raise serializers.ValidationError(
                _("Unable to log in with provided credentials."), code="authorization"
            )
        attrs["user"] = user
        return attrs


class ApiTokenSerializer(serializers.ModelSerializer):
    is_current = serializers.SerializerMethodField(
        help_text="Whether this request was signed with this token."
    )

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "created_at",
            "expires_at",
            "last_used_at",
            "is_current",
        ]
        read_only_fields = fields

    def get_is_current(self, token: ApiToken) -> bool:
        request = self.context.get("request")
        return getattr(getattr(request, "auth", None), "pk", None) == token.pk


class IssuedTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(help_text="The key; it is shown only this once.")

    class Meta(ApiTokenSerializer.Meta):
        fields = ["token", *ApiTokenSerializer.Meta.fields]
        read_only_fields = fields


class TokenObtainView(APIView):
    """Open by design: a token is issued only for a valid user name and password
    (login throttling applies, as on the login page)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        # 400 (wrong credentials: ``non_field_errors``; an unreadable body: ``detail``)
        # is documented by ``core.api_schema`` like every other error.
        responses={200: IssuedTokenSerializer},
    )
    def post(self, request):
        serializer = TokenRequestSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        token, key = issue_token(
            serializer.validated_data["user"],
            name=serializer.validated_data.get("name", ""),
        )
        token.token = key  # type: ignore[attr-defined]
        body = IssuedTokenSerializer(token, context={"request": request}).data
        return Response(body, status=status.HTTP_200_OK)


class TokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in user's own unexpired tokens; deleting one revokes it at once.
    Another user's token does not exist here (404)."""

    queryset = ApiToken.objects.all()
    serializer_class = ApiTokenSerializer
    permission_classes = [KnownMethod, permissions.IsAuthenticated]
    ordering_fields = ["created_at", "expires_at", "last_used_at"]

    def get_queryset(self):
        user = self.request.user
        if not isinstance(user, User):  # the schema generator's anonymous request
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=user, expires_at__gt=timezone.now())

    def perform_destroy(self, instance: ApiToken) -> None:
        logger.info(
            "API token %s of %s revoked by its user",
            instance.prefix,
            self.request.user.username,
        )
        instance.delete()
