"""Pages of one project's communication records: timeline, detail, create and edit,
delete, .eml import, sending minutes for confirmation, answering in the app, the team's
reply in a client portal thread, and the inline status change of action items."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from clientfolio.comms import services
from clientfolio.comms.forms import (
    ActionItemFormSet,
    ActionItemStatusForm,
    CommRecordForm,
    EmlUploadForm,
    MessageForm,
    RespondForm,
)
from clientfolio.comms.models import ActionItem, CommRecord, Message
from clientfolio.comms.views.common import (
    RecordFolderMixin,
    participant_groups,
    timeline_page,
)
from clientfolio.core import history
from clientfolio.core.deletion import REFUSALS, refusal_message
from clientfolio.core.locking import StaleVersion
from clientfolio.core.models import User
from clientfolio.core.permissions import Action, can, scope
from clientfolio.core.relations import only_seen, visible_ids
from clientfolio.core.rendering import render_list
from clientfolio.core.views import conflict_response
from clientfolio.documents.models import Document
from clientfolio.projects.folder import FolderMixin

__all__ = [
    "ActionItemStatusView",
    "RecordCreateView",
    "RecordDeleteView",
    "RecordDetailView",
    "RecordImportView",
    "RecordListView",
    "RecordReplyView",
    "RecordRespondView",
    "RecordSendView",
    "RecordUpdateView",
]


class RecordListView(RecordFolderMixin, View):
    """The project's communication timeline, grouped by day, with filters and search."""

    def get(self, request, pk):
        project = self.project
        records = scope(request.user, CommRecord.objects.filter(project=project))
        _filterset, _page, context = timeline_page(request, records)
        context.update(
            self.folder_context(),
            participant_groups=participant_groups(
                User.objects.on_team(project), project.client.contacts.all()
            ),
            can_add=can(request.user, Action.ADD, CommRecord, project=project),
            show_project=False,
        )
        return render_list(
            request, "comms/record_list.html", "comms/partials/timeline.html", context
        )


def _item_changes(formset) -> list[services.ItemChange]:
    changes = []
    for form in formset.forms:
        if not form.has_changed() and not form.cleaned_data.get("DELETE"):
            continue
        if formset.can_delete and form.cleaned_data.get("DELETE"):
            if form.instance.pk:
                changes.append(services.ItemChange(form.instance, delete=True))
            continue
        changes.append(
            services.ItemChange(
                form.save(commit=False), form.cleaned_data.get("version")
            )
        )
    return changes


class RecordFormMixin(RecordFolderMixin):
    template_name = "comms/record_form.html"

    def forms(self, record: CommRecord, data=None, files=None):
        form = CommRecordForm(data, files, instance=record, project=self.project)
        items = record.action_items.select_related("owner") if record.pk else None
        formset = ActionItemFormSet(
            data,
            instance=record,
            prefix="items",
            project=self.project,
            queryset=items if items is not None else ActionItem.objects.none(),
        )
        return form, formset

    def render_form(self, record, form, formset, status=200, **extra):
        context = {
            **self.folder_context(),
            "record": record if record.pk else None,
            "form": form,
            "formset": formset,
            **extra,
        }
        return render(self.request, self.template_name, context, status=status)

    def refused(self, record, form, formset, error: services.CommsError):
        field = error.field if error.field in form.fields else None
        if error.field == "owner":
            return self.render_form(
                record, form, formset, status=400, item_error=error.message
            )
        form.add_error(field, error.message)
        return self.render_form(record, form, formset, status=400)


class RecordCreateView(RecordFormMixin, View):
    folder_action = Action.ADD

    def get(self, request, pk):
        record = CommRecord(project=self.project, occurred_at=timezone.now())
        form, formset = self.forms(record)
        if not form.is_bound:
            form.initial["participant_users"] = [request.user.pk]
        return self.render_form(record, form, formset)

    def post(self, request, pk):
        record = CommRecord(project=self.project)
        form, formset = self.forms(record, request.POST, request.FILES)
        if not (form.is_valid() and formset.is_valid()):
            return self.render_form(record, form, formset, status=400)
        try:
            record = services.create_record(
                form.instance,
                user=request.user,
                participant_users=form.cleaned_data["participant_users"],
                participant_contacts=form.cleaned_data["participant_contacts"],
                items=_item_changes(formset),
                files=form.cleaned_data["attachment_files"],
            )
        except services.CommsError as error:
            return self.refused(CommRecord(project=self.project), form, formset, error)
        messages.success(request, _("Communication record saved."))
        return redirect("comms:record_detail", pk=self.project.pk, record_pk=record.pk)


class RecordUpdateView(RecordFormMixin, View):
    folder_action = Action.CHANGE

    def get(self, request, pk, record_pk):
        record = self.get_record(record_pk)
        form, formset = self.forms(record)
        return self.render_form(record, form, formset)

    def post(self, request, pk, record_pk):
        record = self.get_record(record_pk)
        form, formset = self.forms(record, request.POST, request.FILES)
        if not (form.is_valid() and formset.is_valid()):
            return self.render_form(record, form, formset, status=400)
        try:
            services.update_record(
                form.instance,
                form.cleaned_data.get("version"),
                participant_users=form.cleaned_data["participant_users"],
                participant_contacts=form.cleaned_data["participant_contacts"],
                items=_item_changes(formset),
                files=form.cleaned_data["attachment_files"],
                detach=form.cleaned_data["remove_attachments"],
                user=request.user,
            )
        except StaleVersion as stale:
            if isinstance(stale.current, CommRecord):
                context = {
                    **self.folder_context(),
                    "record": record,
                    "formset": formset,
                }
                return conflict_response(
                    request, self.template_name, context, form, stale.current
                )
            return self.render_form(
                record, form, formset, status=409, item_error=str(stale.message)
            )
        except services.CommsError as error:
            return self.refused(record, form, formset, error)
        messages.success(request, _("Saved."))
        return redirect("comms:record_detail", pk=self.project.pk, record_pk=record.pk)


def detail_context(view: FolderMixin, record: CommRecord, **extra) -> dict[str, Any]:
    user = view.request.user
    participants = list(record.participants.all())
    mine = next((p for p in participants if p.user_id == user.pk), None)
    can_change_items = can(user, Action.CHANGE, ActionItem, project=view.project)
    items = list(record.action_items.all())
    # Participants' answers show in their list; their history rows would need a query
    # each for the person's name.
    entries = history.entries_for(
        [
            CommRecord.history.filter(id=record.pk),
            ActionItem.history.filter(record_id=record.pk),
        ],
        limit=20,
    )
    return {
        **view.folder_context(),
        "record": record,
        "participants": participants,
        "staff_participants": [p for p in participants if p.user_id],
        "contact_participants": [p for p in participants if p.contact_id],
        "my_participation": mine,
        "respond_form": RespondForm(initial={"comment": mine.comment})
        if mine
        else None,
        "action_items": items,
        "attachments": only_seen(
            view.request.user, record.attachments.all(), project=record.project
        ),
        "item_rows": [{"item": item, "form": _status_form(item)} for item in items],
        "today": timezone.localdate(),
        "history_entries": entries,
        "minutes_changed_since_sent": bool(
            record.sent_digest and record.sent_digest != services.content_digest(record)
        ),
        "can_change": can(user, Action.CHANGE, CommRecord, project=view.project),
        "can_delete": can(user, Action.DELETE, CommRecord, project=view.project),
        "can_change_items": can_change_items,
        **thread_context(view, record),
        **extra,
    }


def thread_context(view: FolderMixin, record: CommRecord) -> dict[str, Any]:
    """The messages of a portal thread (each with the attachments the reader may see)
    and the reply form for those who may change the record; nothing for other records.
    Three queries: the messages, their attachments, the attachments' visibility."""
    if not record.is_portal_thread:
        return {"thread": None}
    user = view.request.user
    rows = list(Message.objects.filter(record=record).for_thread())
    seen = visible_ids(
        user, Document, {d.pk for m in rows for d in m.attachments.all()}
    )
    thread = [
        {"message": m, "attachments": [d for d in m.attachments.all() if d.pk in seen]}
        for m in rows
    ]
    may_reply = can(user, Action.CHANGE, record)
    return {"thread": thread, "reply_form": MessageForm() if may_reply else None}


def _status_form(item: ActionItem) -> ActionItemStatusForm:
    return ActionItemStatusForm(
        initial={"status": item.status, "version": item.version}
    )


class RecordDetailView(RecordFolderMixin, View):
    def get(self, request, pk, record_pk):
        record = self.get_record(record_pk)
        return render(request, "comms/record_detail.html", detail_context(self, record))


class RecordDeleteView(RecordFolderMixin, View):
    folder_action = Action.DELETE

    def post(self, request, pk, record_pk):
        record = self.get_record(record_pk, CommRecord.objects.all())
        try:
            services.delete_record(record)
        except REFUSALS as error:
            messages.error(request, refusal_message(error, record))
            return redirect(
                "comms:record_detail", pk=self.project.pk, record_pk=record.pk
            )
        messages.success(
            request, _("“%(subject)s” was deleted.") % {"subject": record.subject}
        )
        return redirect("comms:record_list", pk=self.project.pk)


class RecordSendView(RecordFolderMixin, View):
    """Sends the minutes to the participants for confirmation."""

    folder_action = Action.CHANGE

    def post(self, request, pk, record_pk):
        record = self.get_record(record_pk)
        try:
            result = services.send_minutes_for_confirmation(
                record, request.build_absolute_uri("/"), sender=request.user
            )
        except services.CommsError as error:
            messages.error(request, error.message)
        else:
            if result.reset:
                messages.info(
                    request,
                    _(
                        "The minutes had changed since they were last sent, so "
                        "earlier answers were reset to pending."
                    ),
                )
            if result.sent:
                messages.success(
                    request,
                    ngettext(
                        "The minutes were sent to %(count)d participant for "
                        "confirmation.",
                        "The minutes were sent to %(count)d participants for "
                        "confirmation.",
                        len(result.sent),
                    )
                    % {"count": len(result.sent)},
                )
            elif not result.without_email:
                messages.info(request, _("Every participant has already confirmed."))
            if result.without_email:
                messages.warning(
                    request,
                    _(
                        "No e-mail address for %(names)s: staff can confirm here in "
                        "the app; ask contacts to confirm another way."
                    )
                    % {"names": services.join_names(result.without_email)},
                )
        return redirect("comms:record_detail", pk=self.project.pk, record_pk=record.pk)


class RecordRespondView(RecordFolderMixin, View):
    """A staff participant confirms or disputes the minutes in the app."""

    def post(self, request, pk, record_pk):
        record = self.get_record(record_pk)
        participant = next(
            (p for p in record.participants.all() if p.user_id == request.user.pk),
            None,
        )
        if participant is None:
            raise PermissionDenied
        form = RespondForm(request.POST)
        if form.is_valid():
            try:
                services.respond(
                    participant,
                    form.cleaned_data["state"],
                    form.cleaned_data["comment"],
                )
            except services.CommsError as error:
                form.add_error(
                    error.field if error.field in form.fields else None, error.message
                )
            else:
                messages.success(request, _("Your answer was recorded."))
                return redirect(
                    "comms:record_detail", pk=self.project.pk, record_pk=record.pk
                )
        context = detail_context(self, record, respond_form=form)
        return render(request, "comms/record_detail.html", context, status=400)


class RecordReplyView(RecordFolderMixin, View):
    """The team answers the client in a portal thread (staff who may change it)."""

    folder_action = Action.CHANGE
    http_method_names = ["post"]

    def post(self, request, pk, record_pk):
        record = self.get_record(record_pk)
        if not record.is_portal_thread:
            raise Http404
        if not can(request.user, Action.CHANGE, record):
            raise PermissionDenied
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                message = services.post_message(
                    record,
                    user=request.user,
                    body=form.cleaned_data["body"],
                    files=form.cleaned_data["attachment_files"],
                )
            except services.CommsError as error:
                field = "attachment_files" if error.field == "files" else error.field
                field = field if field in form.fields else None
                form.add_error(field, error.message)
            else:
                messages.success(request, _("Your reply was sent to the client."))
                url = reverse(
                    "comms:record_detail",
                    kwargs={"pk": self.project.pk, "record_pk": record.pk},
                )
                return redirect(f"{url}#message-{message.pk}")
        context = detail_context(self, record)
        context["reply_form"] = form
        return render(request, "comms/record_detail.html", context, status=400)


class RecordImportView(RecordFolderMixin, View):
    """Creates an e-mail record from an uploaded .eml file."""

    folder_action = Action.ADD
    template_name = "comms/record_import.html"

    def get(self, request, pk):
        context = {**self.folder_context(), "form": EmlUploadForm()}
        return render(request, self.template_name, context)

    def post(self, request, pk):
        form = EmlUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                record = services.create_record_from_eml(
                    self.project, form.cleaned_data["file"].read(), user=request.user
                )
            except services.CommsError as error:
                form.add_error("file", error.message)
            else:
                messages.success(
                    request,
                    _("The e-mail “%(subject)s” was added to the timeline.")
                    % {"subject": record.subject},
                )
                for reason in getattr(record, "skipped_attachments", []):
                    messages.warning(
                        request,
                        _("An attachment of the e-mail was not kept: %(reason)s")
                        % {"reason": reason},
                    )
                return redirect(
                    "comms:record_detail", pk=self.project.pk, record_pk=record.pk
                )
        context = {**self.folder_context(), "form": form}
        return render(request, self.template_name, context, status=400)


class ActionItemStatusView(FolderMixin, View):
    """Inline status change of an action item (an htmx partial, or a redirect)."""

    folder_model = "comms.actionitem"
    folder_action = Action.CHANGE

    def post(self, request, pk, item_pk):
        item = get_object_or_404(
            scope(
                request.user,
                ActionItem.objects.for_list().filter(record__project=self.project),
                Action.CHANGE,
            ),
            pk=item_pk,
        )
        form = ActionItemStatusForm(request.POST)
        notice = ""
        if not form.is_valid():
            notice = _("Choose a valid status.")
        else:
            try:
                services.set_action_item_status(
                    item, form.cleaned_data["status"], form.cleaned_data.get("version")
                )
            except StaleVersion as stale:
                item = stale.current or item
                notice = _(
                    "Someone else changed this action item; it now shows the saved "
                    "status. Choose again if needed."
                )
        if request.htmx:
            context = {
                "row": {"item": item, "form": _status_form(item)},
                "project": self.project,
                "today": timezone.localdate(),
                "can_change_items": True,
                "show_record": request.POST.get("view") == "mine",
                "notice": notice,
            }
            return render(request, "comms/partials/action_item_row.html", context)
        if notice:
            messages.error(request, notice)
        else:
            messages.success(request, _("Saved."))
        if request.POST.get("view") == "mine":
            return redirect("comms:my_action_items")
        return redirect(
            "comms:record_detail", pk=self.project.pk, record_pk=item.record_id
        )
