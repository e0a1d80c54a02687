"""Login throttling on top of django-axes: the client's real address behind the proxy,
and a limit per address across user names besides the limit per user name and address.

Named in settings (``AXES_CLIENT_IP_CALLABLE``, ``AXES_HANDLER``); refused logins are
logged here, once per failure, for the operator.
"""

import ipaddress
import logging

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

__all__ = ["LoginThrottle", "client_address"]

logger = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str | None:
    """The address of the client that sent ``request``.

    Without a proxy that is ``REMOTE_ADDR``. Behind ``PROXY_COUNT`` trusted proxies
    (``BEHIND_PROXY``), each proxy appends the address it was reached from to
    ``X-Forwarded-For``, so the client is the ``PROXY_COUNT``-th entry from the right;
    anything further left was written by the client and is not trusted. A header that is
    missing, too short or not an address falls back to ``REMOTE_ADDR``.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    hops = settings.PROXY_COUNT
    if not hops:
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < hops:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-hops]))
    except ValueError:
        return remote


class LoginThrottle(AxesDatabaseHandler):
    """Axes' database handler, plus ``LOGIN_ADDRESS_FAILURE_LIMIT``: that many failures
    from one address, whatever the user names, lock the address out (password spraying),
    for the same cool-off time."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        if address and (
            self.address_failures(request, address)
            >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
        ):
            return max(failures, get_failure_limit(request, credentials))
        return failures

    def address_failures(self, request, address: str) -> int:
        """Failures from ``address`` within the cool-off time, over every user name."""
        attempts = AccessAttempt.objects.filter(
            ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
        )
        return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None:
            return
        logger.warning(
            "Login refused for user name %r from %s%s",
            get_client_username(request, credentials),
            getattr(request, "axes_ip_address", None),
            " (locked out)" if getattr(request, "axes_locked_out", False) else "",
        )
