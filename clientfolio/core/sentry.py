"""Errors to Sentry (or a Sentry-compatible server such as GlitchTip), when the
``sentry`` extra is installed (``pip install clientfolio[sentry]``) and ``SENTRY_DSN``
is set. No personal data is sent (``send_default_pii`` off: no cookies, no user names,
no addresses), and ``scrub`` masks what is left that could be secret: credential
headers, form fields named like passwords or tokens, and the values of the secret
settings wherever they appear in the event.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["init", "scrub"]

_SECRET_NAME = re.compile(
    r"pass|secret|token|key|auth|cookie|session|csrf|signature|dsn", re.I
)
MASK = "[Filtered]"


def _scrub(value: Any, name: str = "") -> Any:
    from clientfolio.core.observability import redact

    if name and _SECRET_NAME.search(name):
        return MASK
    if isinstance(value, dict):
        return {key: _scrub(item, str(key)) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    if isinstance(value, str):
        return redact(value)
    return value


def scrub(event: Any, hint: Any = None) -> Any:
    """Sentry's ``before_send``: the event with every secret masked."""
    return _scrub(event)


def init(dsn: str, *, environment: str, release: str) -> bool:
    """Start the Sentry SDK; False when the extra is not installed."""
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError:
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        before_send=scrub,
        before_send_transaction=scrub,
        traces_sample_rate=0.0,
    )
    return True
