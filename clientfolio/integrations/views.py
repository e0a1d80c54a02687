"""Pages of team chat channels and outgoing webhooks.

Administrators keep the firm-wide channels and the webhooks (``/integrations/``); a
project's manager keeps the project's channels, inside its folder. Each channel and
webhook has a "send a test message" button (htmx: the outcome, or the platform's error,
shows in place and stays on the channel), can be switched off and on, and a webhook
keeps a log of its deliveries with a button to deliver one again.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core.events import KIND_LABELS, Kind
from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action, can, scope
from clientfolio.core.rendering import render_list
from clientfolio.core.views import conflict_response
from clientfolio.integrations import services
from clientfolio.integrations.forms import ChannelForm, WebhookForm
from clientfolio.integrations.models import ChatChannel, Delivery, Platform, Webhook
from clientfolio.projects.folder import FolderMixin

__all__ = [
    "ChannelCreateView",
    "ChannelDeleteView",
    "ChannelEditView",
    "ChannelTestView",
    "ChannelToggleView",
    "DeliveryRedeliverView",
    "IndexView",
    "ProjectChannelCreateView",
    "ProjectChannelEditView",
    "ProjectChannelListView",
    "WebhookCreateView",
    "WebhookDeleteView",
    "WebhookDetailView",
    "WebhookEditView",
    "WebhookRotateView",
    "WebhookTestView",
    "WebhookToggleView",
]

DELIVERIES_PER_PAGE = 50
# The session key that carries a new webhook secret to the one page that shows it.
NEW_SECRET = "integrations_new_secret"


def kind_labels(kinds: list[str]) -> list[str]:
    """The labels of these event kinds, in the order of ``core.events.Kind``."""
    return [str(KIND_LABELS[kind]) for kind in Kind if kind.value in (kinds or [])]


def _require(user: Any, action: Action, target: Any, **kwargs: Any) -> None:
    if not can(user, action, target, **kwargs):
        raise PermissionDenied


def _channels(request: HttpRequest):
    return scope(request.user, ChatChannel.objects.select_related("project"))


def _webhook(request: HttpRequest, pk: int, action: Action = Action.VIEW) -> Webhook:
    _require(request.user, Action.VIEW, Webhook)
    webhook = get_object_or_404(scope(request.user, Webhook.objects.all()), pk=pk)
    _require(request.user, action, webhook)
    return webhook


def _channel_list_url(channel: ChatChannel) -> str:
    if channel.project_id:
        return reverse(
            "integrations:project_channels", kwargs={"pk": channel.project_id}
        )
    return reverse("integrations:index")


def _platform_choice(request: HttpRequest) -> str:
    value = request.GET.get("platform", "")
    return value if value in Platform.values else Platform.DINGTALK


# --- the administrators' page ------------------------------------------------------


class IndexView(View):
    """Firm-wide chat channels, the channels of every project and the webhooks."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require(request.user, Action.VIEW, Webhook)
        channels = list(_channels(request).order_by("project_id", "name", "pk"))
        return render(
            request,
            "integrations/index.html",
            {
                "firm_channels": [c for c in channels if c.project_id is None],
                "project_channels": [c for c in channels if c.project_id],
                "webhooks": list(scope(request.user, Webhook.objects.all())),
                "platforms": Platform.choices,
            },
        )


# --- chat channels -------------------------------------------------------------------


class _ChannelFormMixin:
    """Creating and editing a channel, firm-wide or in a project folder."""

    request: HttpRequest
    template_name = "integrations/channel_form.html"

    def frame(self) -> dict[str, Any]:
        return {}

    def list_url(self) -> str:
        return reverse("integrations:index")

    def render_form(self, form: ChannelForm, channel: ChatChannel | None, **extra: Any):
        return render(
            self.request,
            self.template_name,
            {
                **self.frame(),
                "form": form,
                "channel": channel,
                "cancel_url": self.list_url(),
                **extra,
            },
        )

    def create(self, project: Any) -> HttpResponse:
        channel = ChatChannel(project=project)
        _require(self.request.user, Action.ADD, channel)
        if self.request.method != "POST":
            form = ChannelForm(
                instance=channel,
                initial={"platform": _platform_choice(self.request)},
            )
            return self.render_form(form, None)
        form = ChannelForm(self.request.POST, instance=channel)
        if not form.is_valid():
            return self.render_form(form, None)
        channel = services.create_channel(
            form.save(commit=False), user=self.request.user
        )
        messages.success(
            self.request,
            _("The channel %(name)s was added. Send it a test message to check it.")
            % {"name": channel.name},
        )
        return redirect(self.list_url())

    def edit(self, channel: ChatChannel) -> HttpResponse:
        _require(self.request.user, Action.CHANGE, channel)
        if self.request.method != "POST":
            return self.render_form(ChannelForm(instance=channel), channel)
        form = ChannelForm(self.request.POST, instance=channel)
        if not form.is_valid():
            return self.render_form(form, channel)
        try:
            services.update_channel(
                form.save(commit=False), form.cleaned_data.get("version")
            )
        except StaleVersion as stale:
            return conflict_response(
                self.request,
                self.template_name,
                {**self.frame(), "channel": channel, "cancel_url": self.list_url()},
                form,
                stale.current,
            )
        messages.success(self.request, _("The channel was saved."))
        return redirect(self.list_url())


class ChannelCreateView(_ChannelFormMixin, View):
    """Add a firm-wide channel (administrators)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.create(None)

    def post(self, request: HttpRequest) -> HttpResponse:
        return self.create(None)


class ChannelEditView(_ChannelFormMixin, View):
    """Edit a firm-wide channel (a project's channel is edited in its folder)."""

    def channel(self, pk: int) -> ChatChannel:
        # Firm-wide channels are the administrators' pages, as the list is (403).
        _require(self.request.user, Action.CHANGE, ChatChannel(project=None))
        return get_object_or_404(_channels(self.request), pk=pk, project__isnull=True)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.edit(self.channel(pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.edit(self.channel(pk))


class ProjectChannelListView(FolderMixin, View):
    """The chat channels of one project (its manager's)."""

    folder_model = "integrations.chatchannel"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        channels = ChatChannel.objects.filter(project=self.project).order_by(
            "name", "pk"
        )
        return render_list(
            request,
            "integrations/project_channel_list.html",
            "integrations/partials/channel_table.html",
            {
                **self.folder_context(),
                "channels": list(channels),
                "platforms": Platform.choices,
                "can_add_channel": can(
                    request.user, Action.ADD, ChatChannel, project=self.project
                ),
            },
        )


class _ProjectChannelFormMixin(FolderMixin, _ChannelFormMixin):
    folder_model = "integrations.chatchannel"

    def frame(self) -> dict[str, Any]:
        return self.folder_context()

    def list_url(self) -> str:
        return reverse("integrations:project_channels", kwargs={"pk": self.project.pk})


class ProjectChannelCreateView(_ProjectChannelFormMixin, View):
    folder_action = Action.ADD

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.create(self.project)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.create(self.project)


class ProjectChannelEditView(_ProjectChannelFormMixin, View):
    folder_action = Action.CHANGE

    def channel(self, channel_pk: int) -> ChatChannel:
        return get_object_or_404(
            _channels(self.request), pk=channel_pk, project=self.project
        )

    def get(self, request: HttpRequest, pk: int, channel_pk: int) -> HttpResponse:
        return self.edit(self.channel(channel_pk))

    def post(self, request: HttpRequest, pk: int, channel_pk: int) -> HttpResponse:
        return self.edit(self.channel(channel_pk))


class _ActionView(View, ABC):
    """A POST on one channel or webhook (test, switch, rotate, delete) by whoever may do
    ``action`` on it: subclasses say how the record is found and what is done."""

    http_method_names = ["post"]
    action = Action.CHANGE

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.act(request, self.record(request, pk))

    @abstractmethod
    def record(self, request: HttpRequest, pk: int) -> Any: ...

    @abstractmethod
    def act(self, request: HttpRequest, record: Any) -> HttpResponse: ...


class _ChannelActionView(_ActionView):
    def record(self, request: HttpRequest, pk: int) -> ChatChannel:
        channel = get_object_or_404(_channels(request), pk=pk)
        _require(request.user, self.action, channel)
        return channel


class ChannelTestView(_ChannelActionView):
    """Send a test message now; htmx shows the outcome in place of the channel's
    status, which keeps it (the platform's error, or the time of the success)."""

    def act(self, request: HttpRequest, channel: ChatChannel) -> HttpResponse:
        delivery = services.test_channel(channel)
        if request.htmx:  # type: ignore[attr-defined]
            return render(
                request,
                "integrations/partials/channel_status.html",
                {"channel": channel, "test": delivery},
            )
        if delivery.status == Delivery.Status.OK:
            messages.success(request, _("The test message was delivered."))
        else:
            messages.error(
                request,
                _("The test message failed: %(error)s") % {"error": delivery.error},
            )
        return redirect(_channel_list_url(channel))


class ChannelToggleView(_ChannelActionView):
    """Switch a channel off (it hears nothing) or on again."""

    def act(self, request: HttpRequest, channel: ChatChannel) -> HttpResponse:
        active = not channel.active
        services.set_channel_active(channel, active)
        if active:
            messages.success(request, _("The channel is on again."))
        else:
            messages.success(request, _("The channel is off: it receives nothing."))
        return redirect(_channel_list_url(channel))


class ChannelDeleteView(_ChannelActionView):
    action = Action.DELETE

    def act(self, request: HttpRequest, channel: ChatChannel) -> HttpResponse:
        url = _channel_list_url(channel)
        services.delete_channel(channel)
        messages.success(
            request, _("The channel %(name)s was removed.") % {"name": channel.name}
        )
        return redirect(url)


# --- webhooks ------------------------------------------------------------------------


def _remember_secret(request: HttpRequest, webhook: Webhook, secret: str) -> None:
    request.session[NEW_SECRET] = {"webhook": webhook.pk, "secret": secret}


def _new_secret(request: HttpRequest, webhook: Webhook) -> str:
    """The secret just made for this webhook, once (it is never shown again)."""
    kept = request.session.get(NEW_SECRET)
    if not kept or kept.get("webhook") != webhook.pk:
        return ""
    del request.session[NEW_SECRET]
    return str(kept.get("secret", ""))


class WebhookCreateView(View):
    template_name = "integrations/webhook_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        _require(request.user, Action.ADD, Webhook)
        return render(request, self.template_name, {"form": WebhookForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        _require(request.user, Action.ADD, Webhook)
        form = WebhookForm(request.POST, instance=Webhook())
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        webhook = form.save(commit=False)
        secret = services.create_webhook(webhook, user=request.user)
        _remember_secret(request, webhook, secret)
        return redirect("integrations:webhook_detail", pk=webhook.pk)


class WebhookEditView(View):
    template_name = "integrations/webhook_form.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        webhook = _webhook(request, pk, Action.CHANGE)
        return render(
            request,
            self.template_name,
            {"form": WebhookForm(instance=webhook), "webhook": webhook},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        webhook = _webhook(request, pk, Action.CHANGE)
        form = WebhookForm(request.POST, instance=webhook)
        context = {"form": form, "webhook": webhook}
        if not form.is_valid():
            return render(request, self.template_name, context)
        try:
            services.update_webhook(
                form.save(commit=False), form.cleaned_data.get("version")
            )
        except StaleVersion as stale:
            return conflict_response(
                request, self.template_name, context, form, stale.current
            )
        messages.success(request, _("The webhook was saved."))
        return redirect("integrations:webhook_detail", pk=webhook.pk)


class WebhookDetailView(View):
    """A webhook: its address and events, its secret once after it was made, and the
    log of its deliveries, newest first (htmx pages through the log)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        webhook = _webhook(request, pk)
        deliveries = Delivery.objects.filter(webhook=webhook).order_by(
            "-created_at", "-pk"
        )
        page = Paginator(deliveries, DELIVERIES_PER_PAGE).get_page(
            request.GET.get("page")
        )
        return render_list(
            request,
            "integrations/webhook_detail.html",
            "integrations/partials/delivery_log.html",
            {
                "webhook": webhook,
                "new_secret": _new_secret(request, webhook),
                "page": page,
                "deliveries": list(page.object_list),
                "kinds": kind_labels(webhook.kinds),
            },
        )


class _WebhookActionView(_ActionView):
    def record(self, request: HttpRequest, pk: int) -> Webhook:
        return _webhook(request, pk, self.action)


class WebhookTestView(_WebhookActionView):
    """Post a ``ping`` now; htmx shows the outcome above the log."""

    def act(self, request: HttpRequest, webhook: Webhook) -> HttpResponse:
        delivery = services.test_webhook(webhook)
        if request.htmx:  # type: ignore[attr-defined]
            return render(
                request,
                "integrations/partials/test_result.html",
                {"test": delivery},
            )
        if delivery.status == Delivery.Status.OK:
            messages.success(request, _("The test message was delivered."))
        else:
            messages.error(
                request,
                _("The test message failed: %(error)s") % {"error": delivery.error},
            )
        return redirect("integrations:webhook_detail", pk=webhook.pk)


class WebhookRotateView(_WebhookActionView):
    """Give the webhook a new secret, shown once; the old one stops working."""

    def act(self, request: HttpRequest, webhook: Webhook) -> HttpResponse:
        _remember_secret(request, webhook, services.rotate_secret(webhook))
        return redirect("integrations:webhook_detail", pk=webhook.pk)


class WebhookToggleView(_WebhookActionView):
    """Switch a webhook off, or on again (which also lifts a disable after failures)."""

    def act(self, request: HttpRequest, webhook: Webhook) -> HttpResponse:
        active = not webhook.is_enabled
        services.enable(webhook, active)
        if active:
            messages.success(request, _("The webhook is on again."))
        else:
            messages.success(request, _("The webhook is off: it receives nothing."))
        return redirect("integrations:webhook_detail", pk=webhook.pk)


class WebhookDeleteView(_WebhookActionView):
    action = Action.DELETE

    def act(self, request: HttpRequest, webhook: Webhook) -> HttpResponse:
        services.delete_webhook(webhook)
        messages.success(
            request, _("The webhook %(name)s was removed.") % {"name": webhook.name}
        )
        return redirect("integrations:index")


class DeliveryRedeliverView(View):
    """Send a logged delivery's event to its webhook again (as the next attempt)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        _require(request.user, Action.VIEW, Delivery)
        delivery = get_object_or_404(
            scope(request.user, Delivery.objects.select_related("webhook")),
            pk=pk,
            webhook__isnull=False,
        )
        assert delivery.webhook is not None
        _require(request.user, Action.CHANGE, delivery.webhook)
        services.redeliver(delivery)
        messages.success(request, _("The event will be delivered again."))
        return redirect("integrations:webhook_detail", pk=delivery.webhook_id)
