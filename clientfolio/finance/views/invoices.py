"""Invoice pages of a project: the list with filters and totals, the draft form with its
lines (rows added with htmx), the detail with payments, issuing and voiding, exports."""

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.clients.models import Payment
from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action, can, scope
from clientfolio.finance import billing, billing_exports
from clientfolio.finance.billing_forms import (
    InvoiceFilterForm,
    InvoiceForm,
    IssueForm,
    LineFormSet,
    PaymentForm,
    VoidForm,
)
from clientfolio.finance.models import Invoice
from clientfolio.projects.folder import FolderMixin

__all__ = [
    "InvoiceCreateView",
    "InvoiceDetailView",
    "InvoiceEditView",
    "InvoiceExportView",
    "InvoiceIssueView",
    "InvoiceLineRowView",
    "InvoiceListView",
    "InvoiceVoidView",
    "PaymentCreateView",
    "PaymentDeleteView",
]

MODEL = "finance.invoice"


class InvoiceMixin(FolderMixin):
    folder_model = MODEL

    def invoices(self):
        return scope(
            self.request.user,
            Invoice.objects.filter(project=self.project).select_related(
                "project", "client", "contract"
            ),
        )

    def shown(self, invoices):
        """``invoices`` with only the contracts their reader may see printed."""
        shown = billing.shown_contracts(self.request.user, [self.project.client_id])
        return billing.hide_foreign_contracts(invoices, shown)

    def get_invoice(self, invoice_pk: int) -> Invoice:
        return get_object_or_404(self.invoices(), pk=invoice_pk)

    def may(self, action: Action) -> bool:
        return can(self.request.user, action, MODEL, project=self.project)

    def render_detail(self, invoice: Invoice, payment_form=None, status=200):
        payments = list(
            Payment.objects.filter(invoice=invoice).order_by("-received_on", "-id")
        )
        can_change = self.may(Action.CHANGE)
        [invoice] = self.shown([invoice])
        context = {
            **self.folder_context(),
            "section": "invoices",
            "invoice": invoice,
            "lines": list(invoice.lines.all()),
            "payments": payments,
            "can_change": can_change,
            "can_delete_payment": self.may(Action.DELETE),
            "can_pay": can_change
            and invoice.status in billing.OPEN_STATUSES
            and invoice.outstanding > 0,
            "payment_form": payment_form or PaymentForm(invoice=invoice),
            "issue_form": IssueForm(
                initial={"version": invoice.version, "issued_on": timezone.localdate()}
            ),
            "void_form": VoidForm(initial={"version": invoice.version}),
        }
        return render(
            self.request, "finance/invoice_detail.html", context, status=status
        )


def _filtered(request, invoices):
    filters = InvoiceFilterForm(request.GET or None)
    status = ""
    if filters.is_valid():
        status = filters.cleaned_data["status"]
    if status == "overdue":
        invoices = invoices.filter(billing.overdue_q())
    elif status:
        invoices = invoices.filter(status=status)
    return filters, status, invoices


class InvoiceListView(InvoiceMixin, View):
    def get(self, request, pk):
        filters, status, invoices = _filtered(request, self.invoices())
        rows = list(
            self.shown(
                billing.with_overdue(invoices).order_by("-issued_on", "-pk")[:500]
            )
        )
        totals = list(
            invoices.exclude(status=Invoice.Status.VOID)
            .values("currency")
            .annotate(
                total=Sum("total", filter=~Q(status=Invoice.Status.DRAFT)),
                paid=Sum("paid_amount"),
                count=Count("id"),
                overdue=Count("id", filter=billing.overdue_q()),
            )
            .order_by("currency")
        )
        for row in totals:
            row["total"] = row["total"] or 0
            row["outstanding"] = row["total"] - (row["paid"] or 0)
        context = {
            **self.folder_context(),
            "section": "invoices",
            "invoices": rows,
            "filters": filters,
            "status": status,
            "totals": totals,
            "can_add": self.may(Action.ADD),
            "can_export": self.may(Action.EXPORT),
            "query": request.GET.urlencode(),
        }
        return render(request, "finance/invoice_list.html", context)


class InvoiceFormMixin(InvoiceMixin):
    template_name = "finance/invoice_form.html"

    def show(self, invoice, form, formset, status=200, **extra):
        context = {
            **self.folder_context(),
            "section": "invoices",
            "invoice": invoice if invoice.pk else None,
            "form": form,
            "formset": formset,
            **extra,
        }
        return render(self.request, self.template_name, context, status=status)

    def apply_error(self, form, formset, error):
        field = error.field if error.field in form.fields else None
        form.add_error(field, str(error.message))


class InvoiceCreateView(InvoiceFormMixin, View):
    folder_action = Action.ADD

    def get(self, request, pk):
        invoice = Invoice(project=self.project)
        form = InvoiceForm(instance=invoice, project=self.project, user=request.user)
        formset = LineFormSet(prefix="lines", initial=[{"quantity": 1}])
        return self.show(invoice, form, formset)

    def post(self, request, pk):
        invoice = Invoice(project=self.project)
        form = InvoiceForm(
            request.POST, instance=invoice, project=self.project, user=request.user
        )
        formset = LineFormSet(request.POST, prefix="lines")
        if not (form.is_valid() and formset.is_valid()):
            return self.show(invoice, form, formset, status=400)
        invoice = _apply(form, Invoice(project=self.project))
        try:
            billing.create_invoice(invoice, _lines(formset), user=request.user)
        except billing.BillingError as error:
            self.apply_error(form, formset, error)
            return self.show(Invoice(project=self.project), form, formset, status=400)
        messages.success(
            request,
            _("Invoice %(number)s saved as a draft.") % {"number": invoice.number},
        )
        return redirect(
            "finance:invoice_detail", pk=self.project.pk, invoice_pk=invoice.pk
        )


def _lines(formset) -> list[billing.LineInput]:
    return formset.lines()


def _apply(form, invoice: Invoice) -> Invoice:
    for name in ("number", "contract", "currency", "tax_rate", "notes"):
        setattr(invoice, name, form.cleaned_data[name])
    return invoice


class InvoiceEditView(InvoiceFormMixin, View):
    folder_action = Action.CHANGE

    def draft(self, invoice_pk):
        invoice = self.get_invoice(invoice_pk)
        if invoice.status != Invoice.Status.DRAFT:
            messages.error(self.request, _("Only a draft invoice can be edited."))
            return invoice, False
        return invoice, True

    def get(self, request, pk, invoice_pk):
        invoice, ok = self.draft(invoice_pk)
        if not ok:
            return redirect("finance:invoice_detail", pk=pk, invoice_pk=invoice.pk)
        form = InvoiceForm(instance=invoice, project=self.project, user=request.user)
        formset = LineFormSet(
            prefix="lines",
            initial=[
                {
                    "description": line.description,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                }
                for line in invoice.lines.all()
            ],
        )
        return self.show(invoice, form, formset)

    def post(self, request, pk, invoice_pk):
        invoice, ok = self.draft(invoice_pk)
        if not ok:
            return redirect("finance:invoice_detail", pk=pk, invoice_pk=invoice.pk)
        form = InvoiceForm(
            request.POST, instance=invoice, project=self.project, user=request.user
        )
        formset = LineFormSet(request.POST, prefix="lines")
        if not (form.is_valid() and formset.is_valid()):
            return self.show(invoice, form, formset, status=400)
        _apply(form, invoice)
        try:
            billing.update_invoice(
                invoice, form.cleaned_data.get("version"), _lines(formset)
            )
        except StaleVersion:
            form.add_error(None, str(StaleVersion.message))
            return self.show(invoice, form, formset, status=409)
        except billing.BillingError as error:
            self.apply_error(form, formset, error)
            return self.show(invoice, form, formset, status=400)
        messages.success(request, _("Saved."))
        return redirect(
            "finance:invoice_detail", pk=self.project.pk, invoice_pk=invoice.pk
        )


class InvoiceLineRowView(InvoiceMixin, View):
    """One empty line row for the invoice form (htmx), numbered ``index``."""

    folder_action = Action.ADD

    def get(self, request, pk):
        index = request.GET.get("index", "0")
        index = int(index) if index.isdigit() and int(index) < 200 else 0
        formset = LineFormSet(prefix="lines")
        form = formset.empty_form
        form.prefix = formset.add_prefix(str(index))
        return render(request, "finance/invoice_line_row.html", {"line_form": form})


class InvoiceDetailView(InvoiceMixin, View):
    def get(self, request, pk, invoice_pk):
        return self.render_detail(self.get_invoice(invoice_pk))


class _InvoiceAction(InvoiceMixin, View):
    folder_action = Action.CHANGE
    http_method_names = ["post"]

    def back(self, invoice):
        return redirect(
            "finance:invoice_detail", pk=self.project.pk, invoice_pk=invoice.pk
        )


class InvoiceIssueView(_InvoiceAction):
    def post(self, request, pk, invoice_pk):
        invoice = self.get_invoice(invoice_pk)
        form = IssueForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter valid dates."))
            return self.back(invoice)
        try:
            billing.issue_invoice(
                invoice,
                form.cleaned_data.get("version"),
                issued_on=form.cleaned_data.get("issued_on"),
                due_on=form.cleaned_data.get("due_on"),
            )
        except StaleVersion:
            messages.error(request, str(StaleVersion.message))
        except billing.BillingError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request,
                _("Invoice %(number)s issued, due on %(date)s.")
                % {"number": invoice.number, "date": str(invoice.due_on)},
            )
        return self.back(invoice)


class InvoiceVoidView(_InvoiceAction):
    def post(self, request, pk, invoice_pk):
        invoice = self.get_invoice(invoice_pk)
        form = VoidForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Say why the invoice is voided."))
            return self.back(invoice)
        try:
            billing.void_invoice(
                invoice, form.cleaned_data["reason"], form.cleaned_data.get("version")
            )
        except StaleVersion:
            messages.error(request, str(StaleVersion.message))
        except billing.BillingError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request, _("Invoice %(number)s voided.") % {"number": invoice.number}
            )
        return self.back(invoice)


class PaymentCreateView(_InvoiceAction):
    def post(self, request, pk, invoice_pk):
        invoice = self.get_invoice(invoice_pk)
        form = PaymentForm(request.POST, invoice=invoice)
        if form.is_valid():
            data = form.cleaned_data
            try:
                billing.record_payment(
                    invoice,
                    data["amount"],
                    data["received_on"],
                    data["method"],
                    data["reference"],
                    data["note"],
                    request.user,
                )
            except billing.BillingError as error:
                form.add_error(
                    error.field if error.field in form.fields else None,
                    str(error.message),
                )
            else:
                messages.success(request, _("Payment recorded."))
                return self.back(invoice)
        return self.render_detail(invoice, payment_form=form, status=400)


class PaymentDeleteView(_InvoiceAction):
    folder_action = Action.DELETE

    def post(self, request, pk, invoice_pk, payment_pk):
        invoice = self.get_invoice(invoice_pk)
        payment = get_object_or_404(
            Payment.objects.select_related("contract"), invoice=invoice, pk=payment_pk
        )
        billing.delete_payment(payment)
        messages.success(request, _("Payment deleted."))
        return self.back(invoice)


class InvoiceExportView(InvoiceMixin, View):
    folder_action = Action.EXPORT

    def get(self, request, pk):
        _filters, _status, invoices = _filtered(request, self.invoices())
        invoices = self.shown(
            invoices.order_by("-issued_on", "-pk").iterator(chunk_size=1000)
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        name = f"invoices-{self.project.code or self.project.pk}-{stamp}"
        if request.GET.get("format") == "xlsx":
            response = HttpResponse(
                billing_exports.export_xlsx(invoices),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
        stream = StreamingHttpResponse(
            billing_exports.export_csv(invoices),
            content_type="text/csv; charset=utf-8",
        )
        stream["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return stream
