"""Hourly rates: a project's own (manager and finance), the firm-wide ones
(administrators), pricing a project's time again, and the exchange rates (everyone on
the staff sees them, administrators keep them)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action, can
from clientfolio.core.views import conflict_response
from clientfolio.finance import services
from clientfolio.finance.forms import ExchangeRateForm, RateForm, RepriceForm
from clientfolio.finance.models import ExchangeRate, Rate
from clientfolio.finance.views.costs_common import CostsMixin

__all__ = [
    "ExchangeRateEditView",
    "ExchangeRateListView",
    "FirmRateDeleteView",
    "FirmRateFormView",
    "FirmRateListView",
    "RateDeleteView",
    "RateFormView",
    "RateListView",
    "RepriceView",
]

MODEL = "finance.rate"
FIRM = "finance.firmrates"


def _firm_rates():
    return Rate.objects.filter(project__isnull=True).select_related("user")


def _require(user, action: Action, target: str) -> None:
    if not can(user, action, target):
        raise PermissionDenied


# --- a project's rates -----------------------------------------------------------------------


class RateListView(CostsMixin, View):
    folder_model = MODEL

    def get(self, request, pk):
        context = self.costs_context(
            rates=list(
                Rate.objects.filter(project=self.project).select_related("user")
            ),
            firm_rates=list(_firm_rates()),
            reprice_form=RepriceForm(),
            can_add=can(request.user, Action.ADD, MODEL, project=self.project),
            can_change=can(request.user, Action.CHANGE, MODEL, project=self.project),
            can_delete=can(request.user, Action.DELETE, MODEL, project=self.project),
            can_firm=can(request.user, Action.VIEW, FIRM),
        )
        return render(request, "finance/rate_list.html", context)


class _RateForm:
    """Shared by the project's and the firm's rate forms."""

    template_name = "finance/rate_form.html"
    request: Any
    kwargs: dict[str, Any]

    def rate_project(self):
        return None

    def base(self):
        raise NotImplementedError

    def rate(self) -> Rate:
        if "rate_pk" not in self.kwargs:
            return Rate(project=self.rate_project())
        return get_object_or_404(self.base(), pk=self.kwargs["rate_pk"])

    def rate_context(self, form, rate) -> dict[str, Any]:
        raise NotImplementedError

    def done(self):
        raise NotImplementedError

    def show(self, form, rate, status=200):
        return render(
            self.request,
            self.template_name,
            self.rate_context(form, rate),
            status=status,
        )

    def get(self, request, *args, **kwargs):
        rate = self.rate()
        return self.show(RateForm(instance=rate, project=self.rate_project()), rate)

    def post(self, request, *args, **kwargs):
        rate = self.rate()
        form = RateForm(request.POST, instance=rate, project=self.rate_project())
        if not form.is_valid():
            return self.show(form, rate, 400)
        rate = form.save(commit=False)
        rate.project = self.rate_project()
        try:
            if rate.pk:
                services.update_rate(rate, form.cleaned_data.get("version"))
            else:
                services.create_rate(rate)
        except StaleVersion as stale:
            return conflict_response(
                request,
                self.template_name,
                self.rate_context(form, rate),
                form,
                stale.current,
            )
        except services.CostError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.message
            )
            return self.show(form, rate, 400)
        messages.success(
            request,
            _(
                "Rate saved. Time already recorded keeps its price until you price it "
                "again."
            ),
        )
        return self.done()


class RateFormView(_RateForm, CostsMixin, View):
    folder_model = MODEL

    def dispatch(self, request, *args, **kwargs):
        self.folder_action = Action.CHANGE if "rate_pk" in kwargs else Action.ADD
        return super().dispatch(request, *args, **kwargs)

    def rate_project(self):
        return self.project

    def base(self):
        return Rate.objects.filter(project=self.project)

    def rate_context(self, form, rate):
        return self.costs_context(form=form, rate=rate, firm=False)

    def done(self):
        return redirect("finance:rate_list", pk=self.project.pk)


class RateDeleteView(CostsMixin, View):
    folder_model = MODEL
    folder_action = Action.DELETE

    def post(self, request, pk, rate_pk):
        rate = get_object_or_404(Rate.objects.filter(project=self.project), pk=rate_pk)
        services.delete_rate(rate)
        messages.success(request, _("Rate deleted."))
        return redirect("finance:rate_list", pk=pk)


class RepriceView(CostsMixin, View):
    """Price the project's time again from the rates as they are now."""

    folder_model = MODEL
    folder_action = Action.CHANGE

    def post(self, request, pk):
        form = RepriceForm(request.POST)
        since = form.cleaned_data.get("since") if form.is_valid() else None
        changed = services.reprice(self.project, since=since)
        messages.success(
            request,
            _("%(n)s time entries priced again.") % {"n": changed},
        )
        return redirect("finance:rate_list", pk=pk)


# --- the firm's rates ------------------------------------------------------------------------


class FirmRateListView(View):
    def get(self, request):
        _require(request.user, Action.VIEW, FIRM)
        return render(
            request,
            "finance/rate_firm_list.html",
            {"rates": list(_firm_rates())},
        )


class FirmRateFormView(_RateForm, View):
    def dispatch(self, request, *args, **kwargs):
        _require(request.user, Action.CHANGE, FIRM)
        return super().dispatch(request, *args, **kwargs)

    def base(self):
        return _firm_rates()

    def rate_context(self, form, rate):
        return {"form": form, "rate": rate, "firm": True}

    def done(self):
        return redirect("finance:firm_rates")


class FirmRateDeleteView(View):
    def post(self, request, rate_pk):
        _require(request.user, Action.DELETE, FIRM)
        services.delete_rate(get_object_or_404(_firm_rates(), pk=rate_pk))
        messages.success(request, _("Rate deleted."))
        return redirect("finance:firm_rates")


# --- exchange rates --------------------------------------------------------------------------

EXCHANGE = "finance.exchangerate"


class ExchangeRateListView(View):
    """The dated exchange rates; administrators add one with the form on the page."""

    template_name = "finance/exchange_rate_list.html"

    def context(self, request, form) -> dict[str, Any]:
        return {
            "rates": list(ExchangeRate.objects.all()),
            "form": form,
            "can_add": can(request.user, Action.ADD, EXCHANGE),
            "can_change": can(request.user, Action.CHANGE, EXCHANGE),
        }

    def get(self, request):
        _require(request.user, Action.VIEW, EXCHANGE)
        form = ExchangeRateForm(initial={"valid_from": timezone.localdate()})
        return render(request, self.template_name, self.context(request, form))

    def post(self, request):
        _require(request.user, Action.ADD, EXCHANGE)
        form = ExchangeRateForm(request.POST)
        if form.is_valid():
            try:
                services.create_exchange_rate(form.save(commit=False))
            except services.CostError as error:
                form.add_error(
                    error.field if error.field in form.fields else None, error.message
                )
            else:
                messages.success(request, _("Exchange rate added."))
                return redirect("finance:exchange_rates")
        return render(
            request, self.template_name, self.context(request, form), status=400
        )


class ExchangeRateEditView(View):
    template_name = "finance/exchange_rate_form.html"

    def get_row(self, rate_pk) -> ExchangeRate:
        return get_object_or_404(ExchangeRate, pk=rate_pk)

    def get(self, request, rate_pk):
        _require(request.user, Action.CHANGE, EXCHANGE)
        row = self.get_row(rate_pk)
        return render(
            request,
            self.template_name,
            {"form": ExchangeRateForm(instance=row), "row": row},
        )

    def post(self, request, rate_pk):
        _require(request.user, Action.CHANGE, EXCHANGE)
        row = self.get_row(rate_pk)
        form = ExchangeRateForm(request.POST, instance=row)
        if form.is_valid():
            try:
                services.update_exchange_rate(form.save(commit=False))
            except services.CostError as error:
                form.add_error(
                    error.field if error.field in form.fields else None, error.message
                )
            else:
                messages.success(request, _("Saved."))
                return redirect("finance:exchange_rates")
        return render(
            request, self.template_name, {"form": form, "row": row}, status=400
        )
