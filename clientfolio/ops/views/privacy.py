"""Pages of personal-data requests (PIPL / GDPR), for administrators: find the person,
see what is held about them, hand it over as a file, erase it; and the log of all that.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clientfolio.clients.models import Contact
from clientfolio.core.models import User
from clientfolio.core.permissions import Action, can
from clientfolio.ops import privacy
from clientfolio.ops.forms import EraseForm, ExportForm
from clientfolio.ops.models import PersonalDataRecord

__all__ = ["contact_detail", "contact_erase", "contact_export", "index"]

SEARCH_LIMIT = 50
LOG_LIMIT = 50


def _require(request: HttpRequest, action: Action) -> None:
    if not can(request.user, action, PersonalDataRecord):
        raise PermissionDenied


def _contact(pk: int) -> Contact:
    return get_object_or_404(
        Contact.objects.select_related("client", "portal_user"), pk=pk
    )


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Search a person by name, e-mail or phone; the retention rule; the log."""
    _require(request, Action.VIEW)
    query = request.GET.get("q", "").strip()[:100]
    found: list[Contact] = []
    if query:
        found = list(
            Contact.objects.select_related("client", "portal_user")
            .filter(
                Q(name__icontains=query)
                | Q(email__icontains=query)
                | Q(phone__icontains=query)
                | Q(portal_user__username__iexact=query)
            )
            .order_by("name", "pk")[:SEARCH_LIMIT]
        )
    days = privacy.retention_days()
    return render(
        request,
        "ops/privacy.html",
        {
            "query": query,
            "found": found,
            "search_limit": SEARCH_LIMIT,
            "retention_days": days,
            "retention_due": privacy.retention_due(timezone.now()).count()
            if days
            else 0,
            "records": PersonalDataRecord.objects.select_related("actor", "contact")[
                :LOG_LIMIT
            ],
        },
    )


def _detail_context(contact: Contact) -> dict[str, Any]:
    user = contact.portal_user
    held = []
    for holding in privacy.holdings():
        count = holding.rows(contact, user).count()
        if count:
            held.append({"title": holding.title, "count": count})
    return {
        "contact": contact,
        "held": held,
        "records": PersonalDataRecord.objects.filter(
            contact_ref=contact.pk
        ).select_related("actor"),
        "export_form": ExportForm(prefix="export"),
        "erase_form": EraseForm(name=contact.name, prefix="erase"),
    }


@require_safe
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, Action.VIEW)
    return render(request, "ops/privacy_contact.html", _detail_context(_contact(pk)))


@require_POST
def contact_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The file of everything held about the contact, logged as handed over."""
    _require(request, Action.EXPORT)
    contact = _contact(pk)
    form = ExportForm(request.POST, prefix="export")
    if not form.is_valid():
        context = {**_detail_context(contact), "export_form": form}
        return render(request, "ops/privacy_contact.html", context, status=400)
    now = timezone.now()
    payload, _record = privacy.record_export(
        contact,
        actor=cast(User, request.user),
        reason=form.cleaned_data["reason"],
        now=now,
    )
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="personal-data-contact-{contact.pk}-{stamp}.json"'
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def contact_erase(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, Action.PURGE)
    contact = _contact(pk)
    if contact.erased_at is not None:
        messages.info(request, _("This contact's personal data was erased before."))
        return redirect("ops:privacy_contact", pk=contact.pk)
    form = EraseForm(request.POST, name=contact.name, prefix="erase")
    if not form.is_valid():
        context = {**_detail_context(contact), "erase_form": form}
        return render(request, "ops/privacy_contact.html", context, status=400)
    try:
        privacy.erase(
            contact,
            actor=cast(User, request.user),
            reason=form.cleaned_data["reason"],
            now=timezone.now(),
        )
    except privacy.AlreadyErased:
        messages.info(request, _("This contact's personal data was erased before."))
    else:
        messages.success(
            request,
            _(
                "The contact's personal data was erased. The business records that "
                "name them were kept and now show them as erased."
            ),
        )
    return redirect("ops:privacy_contact", pk=contact.pk)
