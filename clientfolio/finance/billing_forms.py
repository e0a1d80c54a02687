"""Forms of the invoice pages: the draft with its lines, issuing, voiding, payments."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clientfolio.clients.models import Payment
from clientfolio.core.forms import VersionedFormMixin
from clientfolio.core.permissions import scope
from clientfolio.core.validators import validate_plan_date
from clientfolio.finance.billing import LineInput
from clientfolio.finance.models import Invoice

__all__ = [
    "InvoiceFilterForm",
    "InvoiceForm",
    "IssueForm",
    "LineForm",
    "LineFormSet",
    "PaymentForm",
    "VoidForm",
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class InvoiceForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Invoice
        fields = ["number", "contract", "currency", "tax_rate", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, project, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a contract of the project's client that the user may see: any other id
        # is refused as one that does not exist.
        contracts = scope(
            user, project.client.contracts.order_by("-signed_on", "number")
        )
        self.fields["contract"].queryset = contracts  # type: ignore[attr-defined]
        self.fields["contract"].help_text = _("A contract of %(client)s.") % {
            "client": project.client.name
        }
        self.fields["currency"].help_text = _("The contract's currency.")
        if not self.instance.pk and not self.is_bound:
            first = contracts.first()
            if first is not None:
                self.initial["contract"] = self.initial.get("contract") or first.pk
                self.initial["currency"] = first.currency

    def _post_clean(self):
        # Field checks only; the services check the rules and build the invoice.
        pass


class LineForm(forms.Form):
    description = forms.CharField(
        label=capfirst(_("description")), max_length=300, required=False
    )
    quantity = forms.DecimalField(
        label=capfirst(_("quantity")), max_digits=12, decimal_places=2, required=False
    )
    unit_price = forms.DecimalField(
        label=capfirst(_("unit price")), max_digits=14, decimal_places=2, required=False
    )

    def clean(self):
        data = super().clean() or {}
        if not self.has_changed() or not (data.get("description") or "").strip():
            if (
                data.get("unit_price") not in (None, "")
                and not (data.get("description") or "").strip()
            ):
                self.add_error("description", _("Every line needs a description."))
            return data
        quantity = data.get("quantity")
        if quantity is None or quantity <= 0:
            self.add_error("quantity", _("The quantity must be greater than zero."))
        price = data.get("unit_price")
        if price is None:
            self.add_error("unit_price", _("Enter the unit price."))
        elif price < 0:
            self.add_error("unit_price", _("The unit price cannot be negative."))
        return data


class BaseLineFormSet(forms.BaseFormSet):
    def lines(self) -> list[LineInput]:
        """The filled-in lines (empty rows and rows marked for removal are skipped)."""
        result = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", {}) or {}
            if data.get("DELETE") or not (data.get("description") or "").strip():
                continue
            result.append(
                LineInput(
                    data["description"],
                    data.get("quantity") or Decimal(0),
                    data.get("unit_price") or Decimal(0),
                )
            )
        return result


LineFormSet = forms.formset_factory(
    LineForm, formset=BaseLineFormSet, extra=0, can_delete=True, max_num=200
)


class IssueForm(VersionedFormMixin):
    issued_on = forms.DateField(
        label=capfirst(_("issue date")),
        required=False,
        widget=DateInput,
        validators=[validate_plan_date],
    )
    due_on = forms.DateField(
        label=capfirst(_("due date")),
        required=False,
        widget=DateInput,
        help_text=_("30 days after the issue date when left empty."),
        validators=[validate_plan_date],
    )


class VoidForm(VersionedFormMixin):
    reason = forms.CharField(label=capfirst(_("reason for voiding")), max_length=500)


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=capfirst(_("amount")), max_digits=14, decimal_places=2
    )
    received_on = forms.DateField(
        label=capfirst(pgettext_lazy("payment", "received on")),
        widget=DateInput,
        validators=[validate_plan_date],
    )
    method = forms.ChoiceField(
        label=capfirst(_("method")),
        choices=Payment.Method.choices,
        initial=Payment.Method.BANK,
    )
    reference = forms.CharField(
        label=capfirst(_("reference")), max_length=100, required=False
    )
    note = forms.CharField(label=capfirst(_("note")), max_length=500, required=False)

    def __init__(self, *args, invoice: Invoice | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())
            if invoice is not None and invoice.outstanding > 0:
                self.initial.setdefault("amount", invoice.outstanding)


class InvoiceFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=capfirst(_("status")),
        required=False,
        choices=[
            ("", _("All statuses")),
            *Invoice.Status.choices,
            ("overdue", _("Overdue")),
        ],
    )
