"""API tokens: issued for a user name and password, valid for ``API_TOKEN_DAYS``, revoked
by their user, by a password change and by deactivation.

``TokenAuthentication`` is DRF's ``Authorization: Token <key>`` scheme over ``ApiToken``.
"""

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from clientfolio.core.models import ApiToken, User

__all__ = ["TokenAuthentication", "issue_token", "revoke_tokens"]

logger = logging.getLogger(__name__)

# ``last_used_at`` is written at most this often per token, not on every request.
LAST_USED_PRECISION = timedelta(minutes=5)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(
    user: User,
    *,
    name: str = "",
    days: int | None = None,
    now: datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the key, which is not stored and
    cannot be shown again. It expires ``days`` days after ``now``: ``API_TOKEN_DAYS``
    (the most allowed) by default. Raises ``ValueError`` for a number of days outside
    1..``API_TOKEN_DAYS``."""
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= settings.API_TOKEN_DAYS:
        raise ValueError(f"a token lasts 1 to {settings.API_TOKEN_DAYS} days: {days}")
    now = now or timezone.now()
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        digest=_digest(key),
        prefix=key[:8],
        password_fingerprint=user.get_session_auth_hash(),
        expires_at=now + timedelta(days=days),
    )
    logger.info("API token %s issued to %s", token.prefix, user.username)
    return token, key


def revoke_tokens(user: User, *, reason: str) -> int:
    """Delete every token of ``user`` (password changed, account deactivated); returns
    how many there were."""
    count, _rows = ApiToken.objects.filter(user=user).delete()
    if count:
        logger.info("%d API token(s) of %s revoked: %s", count, user.username, reason)
    return count


class TokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>``: the key must name an unexpired token of an active
    user whose password has not changed since it was issued."""

    model = ApiToken

    def authenticate_credentials(self, key: str):
        token = (
            ApiToken.objects.select_related("user").filter(digest=_digest(key)).first()
        )
        now = timezone.now()
        if token is None or token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        user = token.user
        if not user.is_active or not constant_time_compare(
            token.password_fingerprint, user.get_session_auth_hash()
        ):
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return user, token
