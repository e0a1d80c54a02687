"""How a client's contact gets in and keeps their account: the invitation's welcome page
(choose a password), sign-in links by e-mail, and the account page (language,
password). The welcome and sign-in pages are open without login: their token is the
credential, and a GET never uses it up (mail scanners open links), only the POST."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from clientfolio.core.logins import client_address
from clientfolio.portal import access, services
from clientfolio.portal.forms import LanguageForm, SignInRequestForm
from clientfolio.portal.views.common import frame

__all__ = ["account", "account_password", "sign_in", "sign_in_link", "welcome"]

# The window of ``PORTAL_SIGN_IN_ADDRESS_LIMIT``, in seconds.
SIGN_IN_WINDOW = 15 * 60


def _public(**context):
    """The context of a page shown before signing in: the portal frame, no viewer."""
    return {"viewer": None, "firm_name": settings.CLIENTFOLIO_FIRM_NAME, **context}


def _link_error(request, error: services.LinkError):
    return render(
        request,
        "portal/link_invalid.html",
        _public(error=error),
        status=error.status,
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def welcome(request, token):
    """The invitation's page: the contact chooses a password, is signed in and lands
    on the portal's home."""
    try:
        invitation = services.read_invitation(token)
    except services.LinkError as error:
        return _link_error(request, error)
    user = invitation.contact.portal_user
    assert user is not None  # read_invitation refuses a contact without a login
    form = SetPasswordForm(user, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.accept_invitation(
                    token, form.cleaned_data["new_password1"], request=request
                )
            except services.LinkError as error:
                return _link_error(request, error)
            except ValidationError as error:
                form.add_error("new_password2", error)
            else:
                messages.success(
                    request, _("Welcome! Your password is set and you are signed in.")
                )
                return redirect("portal:home")
        status = 400
    context = _public(invitation=invitation, contact=invitation.contact, form=form)
    return render(request, "portal/welcome.html", context, status=status)


def _over_limit(request) -> bool:
    """Whether this address asked for sign-in links too often in the last 15 minutes
    (counted in the cache, so it holds across the site's processes with Redis)."""
    key = f"portal-sign-in:{client_address(request) or '-'}"
    cache.add(key, 0, SIGN_IN_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, SIGN_IN_WINDOW)
        count = 1
    return count > settings.PORTAL_SIGN_IN_ADDRESS_LIMIT


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    """Ask for a sign-in link by e-mail. The answer is the same whether or not the
    address belongs to a contact, so it reveals nobody; an address that asks too often
    is told to wait (429)."""
    form = SignInRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif _over_limit(request):
            form.add_error(
                None,
                _(
                    "Too many sign-in links were asked for from your network. Wait "
                    "15 minutes and try again."
                ),
            )
            status = 429
        else:
            email = form.cleaned_data["email"]
            services.request_sign_in_link(
                email, base_url=request.build_absolute_uri("/")
            )
            messages.info(
                request,
                _(
                    "If %(email)s belongs to a contact with access to the portal, a "
                    "sign-in link is on its way. It is valid for %(minutes)s minutes."
                )
                % {"email": email, "minutes": settings.PORTAL_SIGN_IN_MINUTES},
            )
            return redirect("portal:sign_in")
    return render(request, "portal/sign_in.html", _public(form=form), status=status)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_link(request, token):
    """The e-mailed sign-in link: a button that signs the contact in (the POST uses the
    link up)."""
    try:
        link = services.read_sign_in_link(token)
    except services.LinkError as error:
        return _link_error(request, error)
    if request.method == "POST":
        try:
            services.sign_in_with_link(token, request=request)
        except services.LinkError as error:
            return _link_error(request, error)
        return redirect("portal:home")
    context = _public(contact=link.contact)
    return render(request, "portal/sign_in_link.html", context)


def _own_viewer(request):
    """The signed-in contact themselves: a staff preview has no account here."""
    viewer = access.viewer_of(request)
    if viewer is None or viewer.is_preview:
        raise Http404
    return viewer


def _account_page(
    request, viewer, *, language_form=None, password_form=None, status=200
):
    user = viewer.user
    context = frame(
        viewer,
        language_form=language_form
        or LanguageForm(initial={"language": user.language}),
        password_form=password_form or PasswordChangeForm(user),
    )
    return render(request, "portal/account.html", context, status=status)


def _remember_language(response, language: str):
    """Keep the browser's language cookie in step: "" forgets it, so the browser's
    own setting speaks again."""
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
        )
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def account(request):
    """The contact's account: the portal's language and their password."""
    viewer = _own_viewer(request)
    if request.method != "POST":
        return _account_page(request, viewer)
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return _account_page(request, viewer, language_form=form, status=400)
    language = form.cleaned_data["language"]
    services.set_language(viewer.user, language)
    messages.success(request, _("Your language was saved."))
    return _remember_language(redirect("portal:account"), language)


@never_cache
@require_POST
def account_password(request):
    """Change the contact's password (the current one first); they stay signed in."""
    viewer = _own_viewer(request)
    form = PasswordChangeForm(viewer.user, request.POST)
    if form.is_valid():
        try:
            services.change_password(
                viewer.user, form.cleaned_data["new_password1"], request=request
            )
        except ValidationError as error:
            form.add_error("new_password2", error)
        else:
            messages.success(request, _("Your password was changed."))
            return redirect("portal:account")
    return _account_page(request, viewer, password_form=form, status=400)
