"""Pages of the client's decisions: every acceptance and rejection of the project, one
decision with what exactly was decided on, and recording one (project managers) with the
signed document."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core.logins import client_address
from clientfolio.core.permissions import Action, scope
from clientfolio.core.relations import hide_unseen
from clientfolio.quality import services
from clientfolio.quality.forms import AcceptanceForm
from clientfolio.quality.models import Acceptance
from clientfolio.quality.views.common import PER_PAGE, QualityFolderMixin, place_error

__all__ = ["AcceptanceCreateView", "AcceptanceDetailView", "AcceptanceListView"]


class AcceptanceFolderMixin(QualityFolderMixin):
    folder_model = "quality.acceptance"
    section = "acceptances"


class AcceptanceListView(AcceptanceFolderMixin, View):
    """The client's decisions on deliverables and milestones, newest first."""

    def get(self, request, pk):
        rows = (
            scope(request.user, Acceptance.objects.filter(project=self.project))
            .select_related(
                "deliverable", "milestone", "contact", "document", "recorded_by"
            )
            .order_by("-decided_on", "-id")
        )
        page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
        page.object_list = hide_unseen(
            request.user,
            page.object_list,
            "deliverable",
            "milestone",
            "document",
            project=self.project,
        )
        context = {
            **self.quality_context(),
            "page": page,
            "can_add": self.may(Action.ADD, Acceptance),
        }
        return render(request, "quality/acceptance_list.html", context)


class AcceptanceDetailView(AcceptanceFolderMixin, View):
    """One client decision: who, when, from which address and browser, and the frozen
    snapshot of what was decided on (criteria, milestone dates, the signed file's hash)."""

    def get(self, request, pk, acceptance_pk):
        acceptance = self.get_record(
            Acceptance,
            acceptance_pk,
            Acceptance.objects.select_related(
                "deliverable",
                "milestone",
                "contact",
                "document",
                "document__current_version",
                "recorded_by",
            ),
        )
        named = {
            "deliverable": acceptance.deliverable_id,
            "milestone": acceptance.milestone_id,
            "document": acceptance.document_id,
        }
        hide_unseen(
            request.user,
            [acceptance],
            "deliverable",
            "milestone",
            "document",
            project=self.project,
        )
        # A part of the snapshot is shown only to who may see the record it names.
        snapshot = {
            part: (acceptance.accepted_snapshot or {}).get(part) or {}
            for part in named
            if getattr(acceptance, f"{part}_id") == named[part]
        }
        context = {
            **self.quality_context(),
            "acceptance": acceptance,
            "snapshot": snapshot,
        }
        return render(request, "quality/acceptance_detail.html", context)


class AcceptanceCreateView(AcceptanceFolderMixin, View):
    """Record the client's acceptance or rejection of a deliverable or a milestone."""

    folder_action = Action.ADD
    template_name = "quality/acceptance_form.html"

    def show(self, form, status=200):
        context = {**self.quality_context(), "form": form}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        initial = {"decided_on": timezone.localdate()}
        for name in ("deliverable", "milestone", "decision"):
            if value := request.GET.get(name):
                initial[name] = value
        return self.show(AcceptanceForm(project=self.project, initial=initial))

    def post(self, request, pk):
        form = AcceptanceForm(request.POST, request.FILES, project=self.project)
        if not form.is_valid():
            return self.show(form, status=400)
        data = form.cleaned_data
        try:
            acceptance = services.record_acceptance(
                self.project,
                decision=data["decision"],
                contact=data["contact"],
                decided_on=data["decided_on"],
                comments=data["comments"],
                deliverable=data["deliverable"],
                milestone=data["milestone"],
                files=[data["document"]] if data.get("document") else [],
                user=request.user,
                ip_address=client_address(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except services.QualityError as error:
            place_error(form, error)
            return self.show(form, status=400)
        subject = acceptance.deliverable or acceptance.milestone
        if acceptance.decision == Acceptance.Decision.ACCEPTED:
            message = _("%(subject)s accepted by %(contact)s.")
        else:
            message = _("%(subject)s rejected by %(contact)s: the work is reopened.")
        messages.success(
            request, message % {"subject": subject, "contact": acceptance.contact.name}
        )
        if acceptance.deliverable_id:
            return redirect(
                "quality:deliverable_detail",
                pk=self.project.pk,
                deliverable_pk=acceptance.deliverable_id,
            )
        return redirect("quality:acceptance_list", pk=self.project.pk)
