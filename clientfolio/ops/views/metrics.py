"""``/metrics/``: the Prometheus text format, for the operator only.

A Prometheus server cannot sign in, so it sends ``Authorization: Bearer
<METRICS_TOKEN>``; an administrator signed in may read the page too. Anyone else, client
contacts and anonymous callers included, gets 404, as if there were no such page.
"""

import hmac

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST

from clientfolio.core import metrics as core_metrics
from clientfolio.core.permissions import Action, can

__all__ = ["metrics"]


def _scraper(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    scheme, _, sent = request.headers.get("Authorization", "").partition(" ")
    return bool(
        token
        and scheme.lower() == "bearer"
        and hmac.compare_digest(sent.strip().encode(), token.encode())
    )


@login_not_required
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    # Who asks comes first: to anyone else even a POST finds nothing here.
    if not (_scraper(request) or can(request.user, Action.VIEW, "ops.metrics")):
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return HttpResponse(core_metrics.exposition(), content_type=CONTENT_TYPE_LATEST)
