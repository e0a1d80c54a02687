"""The shell's pages and the generic views every app builds on.

The generic views only ask the permission layer; they never look at roles themselves.
"""

import logging
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Field, Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import CreateView, ListView, UpdateView
from rest_framework import exceptions as api_exceptions

from clientfolio.core import history, tokens
from clientfolio.core.forms import (
    AdminSetPasswordForm,
    ApiTokenForm,
    ProfileForm,
    UserCreateForm,
    UserEditForm,
)
from clientfolio.core.locking import StaleVersion, save_versioned
from clientfolio.core.models import ApiToken, User
from clientfolio.core.permissions import Action, can, scope

logger = logging.getLogger(__name__)

__all__ = [
    "PermissionMixin",
    "ScopedObjectMixin",
    "VersionedUpdateView",
    "conflict_response",
]


class PermissionMixin:
    """Refuses (403) a user whom the permission layer does not allow ``action`` on ``model``."""

    model: type[Model]
    action: Action = Action.VIEW
    request: HttpRequest

    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, self.action, self.model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class ScopedObjectMixin(PermissionMixin):
    """Object views: rows outside the user's scope are 404, never 403."""

    def base_queryset(self) -> QuerySet[Any]:
        return self.model._default_manager.all()

    def get_queryset(self) -> QuerySet[Any]:
        return scope(self.request.user, self.base_queryset(), Action.VIEW)


def conflict_response(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    form,
    current: Model | None,
) -> HttpResponse:
    """Re-render an edit form after a stale save: 409, the user's input kept, the
    differences to the stored record listed, and the form now based on that record so
    saving again is an explicit choice."""
    differences = []
    if current is not None:
        for name in form.fields:
            if name == "version" or name not in form.cleaned_data:
                continue
            field = current._meta.get_field(name) if hasattr(current, name) else None
            if not isinstance(field, Field) or field.many_to_many:
                continue
            theirs = field.value_from_object(current)
            yours = form.cleaned_data[name]
            if getattr(yours, "pk", yours) != theirs:
                differences.append(
                    {
                        "label": form.fields[name].label or field.verbose_name,
                        "theirs": history.display_value(field, theirs),
                        "yours": history.display_value(
                            field, getattr(yours, "pk", yours)
                        ),
                    }
                )
        data = form.data.copy()
        data[form.add_prefix("version")] = getattr(current, "version", None)
        form.data = data
    context.update({"form": form, "conflict": True, "differences": differences})
    return render(request, template, context, status=409)


class VersionedUpdateView(ScopedObjectMixin, UpdateView):
    """Edit with optimistic locking: a stale save answers 409 and keeps the user's input."""

    action = Action.CHANGE

    def save(self, form) -> Model:
        obj = form.save(commit=False)
        save_versioned(obj, form.cleaned_data.get("version"))
        form.save_m2m()
        return obj

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except StaleVersion as stale:
            return conflict_response(
                self.request,
                self.get_template_names()[0],
                self.get_context_data(),
                form,
                stale.current,
            )
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.get_success_url())


# --- authentication and account ----------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


def login_locked_out(
    request: HttpRequest, credentials: dict | None = None, *args, **kwargs
):
    """What django-axes answers once a user name has failed too often: the login page, 429."""
    form = AuthenticationForm(request)
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    context = {"form": form, "locked_out": True, "minutes": minutes}
    return render(request, "core/login.html", context, status=429)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"
    success_url = reverse_lazy("core:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        tokens.revoke_tokens(form.user, reason="password changed")
        messages.success(self.request, _("Your password was changed."))
        return response


class ProfileView(VersionedUpdateView):
    model = User
    form_class = ProfileForm
    template_name = "core/profile.html"
    action = Action.VIEW  # everyone may edit their own profile

    def get_object(self, queryset=None):
        # A fresh row, not ``request.user``: that is a lazy proxy, and a form that fails
        # validation would otherwise leave its input on the signed-in user.
        return User.objects.get(pk=self.request.user.pk)

    def dispatch(self, request, *args, **kwargs):
        return UpdateView.dispatch(self, request, *args, **kwargs)

    def get_success_url(self) -> str:
        return reverse("core:profile")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("token_form", ApiTokenForm(prefix="token"))
        context = super().get_context_data(**kwargs)
        context["api_tokens"] = list(
            ApiToken.objects.filter(user=self.object, expires_at__gt=timezone.now())
        )
        return context

    def save(self, form):
        user = super().save(form)
        assert isinstance(user, User)
        if user.language:
            translation.activate(user.language)
        return user


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user keeps the choice on their profile."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = "/"
    response = redirect(next_url)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            User.objects.filter(pk=request.user.pk).update(language=language)
        response.set_cookie(
            "django_language", language, max_age=365 * 24 * 3600, samesite="Lax"
        )
    return response


set_language.login_required = False  # type: ignore[attr-defined]


@require_POST
@never_cache
def create_token(request: HttpRequest) -> HttpResponse:
    """Issue an API token for the signed-in user from the account page, which shows its
    key this once (the page is answered directly, so the key is in no session, message
    or URL); a refused form is 400 on the same page."""
    form = ApiTokenForm(request.POST, prefix="token")
    extra: dict[str, Any] = {"token_form": form}
    status = 400
    if form.is_valid():
        token, key = tokens.issue_token(
            request.user,  # type: ignore[arg-type]
            name=form.cleaned_data["name"],
            days=form.cleaned_data["days"],
        )
        extra = {"token_form": ApiTokenForm(prefix="token"), "new_token": token}
        extra["new_token_key"] = key
        status = 200
    profile = ProfileView()
    profile.setup(request)
    profile.object = profile.get_object()
    context = profile.get_context_data(
        form=ProfileForm(instance=profile.object), **extra
    )
    return render(request, profile.template_name, context, status=status)


@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the signed-in user's own API tokens; anyone else's is 404."""
    token = get_object_or_404(ApiToken, pk=pk, user_id=request.user.pk)
    token.delete()
    messages.success(request, _("The token was revoked."))
    return redirect("core:profile")


# --- user management (administrators) ----------------------------------------------------


class UserListView(PermissionMixin, ListView):
    model = User
    template_name = "core/user_list.html"
    paginate_by = 50

    def get_queryset(self):
        queryset = scope(self.request.user, User.objects.all())
        if q := self.request.GET.get("q", "").strip():
            queryset = queryset.filter(username__icontains=q) | queryset.filter(
                email__icontains=q
            )
        return queryset.order_by("username")


class UserCreateView(PermissionMixin, CreateView):
    model = User
    action = Action.ADD
    form_class = UserCreateForm
    template_name = "core/user_form.html"
    success_url = reverse_lazy("core:user_list")

    def form_valid(self, form):
        messages.success(self.request, _("User created."))
        return super().form_valid(form)


class UserUpdateView(VersionedUpdateView):
    model = User
    form_class = UserEditForm
    template_name = "core/user_form.html"
    success_url = reverse_lazy("core:user_list")

    def save(self, form):
        user = super().save(form)
        assert isinstance(user, User)
        if not user.is_active:
            tokens.revoke_tokens(user, reason="account deactivated")
        return user


@method_decorator(require_POST, name="dispatch")
class UserSetPasswordView(ScopedObjectMixin, View):
    model = User
    action = Action.CHANGE

    def post(self, request, pk):
        user = get_object_or_404(self.get_queryset(), pk=pk)
        form = AdminSetPasswordForm(user, request.POST)
        if form.is_valid():
            form.save()
            tokens.revoke_tokens(user, reason="password set by an administrator")
            if user == request.user:
                update_session_auth_hash(request, user)
            messages.success(request, _("Password set."))
            return redirect("core:user_edit", pk=user.pk)
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect("core:user_edit", pk=user.pk)


# --- health ------------------------------------------------------------------------------


def _database_answers() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _storage_answers() -> bool:
    name = default_storage.save(
        f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok", name="health.txt")
    )
    try:
        return default_storage.exists(name)
    finally:
        default_storage.delete(name)


def _cache_answers() -> bool:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    try:
        return cache.get(key) == "ok"
    finally:
        cache.delete(key)


def run_health_checks() -> dict[str, str]:
    """ "ok" or "error" for the database, the file storage and, when it is shared by
    the processes (Redis), the cache; the cause of an error goes to the log only."""
    checks = {"database": _database_answers, "storage": _storage_answers}
    if not settings.CACHES["default"]["BACKEND"].endswith(".LocMemCache"):
        checks["cache"] = _cache_answers
    results = {}
    for name, check in checks.items():
        try:
            results[name] = "ok" if check() else "error"
        except Exception:
            logger.exception("Health check: the %s does not answer", name)
            results[name] = "error"
    return results


@login_not_required
@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitors, without signing in: whether the database answers,
    a tiny file can be written to and deleted from the file storage and (with Redis)
    the cache answers. 200 when all are "ok", else 503 naming the one that is not."""
    results = run_health_checks()
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse(results, status=200 if healthy else 503)


# --- error pages -------------------------------------------------------------------------


def _api_error(
    request, error: type[api_exceptions.APIException]
) -> HttpResponse | None:
    """The API answers JSON even where no API view does (a path no URL matches, an
    exception outside DRF), as its schema documents."""
    if not request.path.startswith("/api/"):
        return None
    return JsonResponse({"detail": str(error.default_detail)}, status=error.status_code)


def error_403(request, exception=None):
    return _api_error(request, api_exceptions.PermissionDenied) or render(
        request, "403.html", status=403
    )


def error_404(request, exception=None):
    return _api_error(request, api_exceptions.NotFound) or render(
        request, "404.html", status=404
    )


def error_500(request):
    return _api_error(request, api_exceptions.APIException) or render(
        request, "500.html", status=500
    )
