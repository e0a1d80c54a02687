"""Helpers shared by the quality pages: the folder mixin with the section's sub-navigation,
and the generic create/edit and delete views the simple records use."""

from typing import Any

from django.contrib import messages
from django.db.models import Model
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core.deletion import REFUSALS, refusal_message
from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action, can, scope
from clientfolio.core.views import conflict_response
from clientfolio.projects.folder import FolderMixin
from clientfolio.quality.services import QualityError

__all__ = ["QualityFolderMixin", "RecordDeleteView", "RecordFormView", "place_error"]

PER_PAGE = 50


class QualityFolderMixin(FolderMixin):
    """Pages of one project's quality section."""

    folder_model = "quality.deliverable"
    section = "deliverables"

    def get_record(self, model: type[Model], pk: int, queryset=None) -> Any:
        base = queryset if queryset is not None else model._default_manager.all()
        return get_object_or_404(
            scope(self.request.user, base.filter(project=self.project)), pk=pk
        )

    def quality_context(self) -> dict[str, Any]:
        return {**self.folder_context(), "section": self.section}

    def may(self, action: Action, model) -> bool:
        return can(self.request.user, action, model, project=self.project)


def place_error(form, error: QualityError) -> None:
    """Show a service's refusal under its field, or at the top of the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


class RecordFormView(QualityFolderMixin, View):
    """Create (no ``pk_kwarg`` in the URL) or edit one record through its service."""

    model: type[Model]
    form_class: Any
    pk_kwarg = ""
    template_name = "quality/record_form.html"
    heading_new: Any = ""
    heading_edit: Any = ""
    list_url = ""
    success_message = ""

    def dispatch(self, request, *args, **kwargs):
        self.folder_model = self.model._meta.label_lower
        self.folder_action = Action.CHANGE if self.pk_kwarg in kwargs else Action.ADD
        return super().dispatch(request, *args, **kwargs)

    def get_object(self) -> Any:
        if self.pk_kwarg in self.kwargs:
            return self.get_record(self.model, self.kwargs[self.pk_kwarg])
        return self.model(project=self.project)

    def form(self, obj, data=None):
        return self.form_class(data, instance=obj, project=self.project)

    def initial(self, form) -> None:
        """Defaults of a new record's form."""

    def save(self, obj, form) -> Any:
        raise NotImplementedError

    def success_url(self, obj) -> str:
        return redirect(self.list_url, pk=self.project.pk).url

    def context(self, obj, form, **extra) -> dict[str, Any]:
        return {
            **self.quality_context(),
            "object": obj if obj.pk else None,
            "form": form,
            "heading": self.heading_edit % {"name": obj}
            if obj.pk
            else self.heading_new,
            "cancel_url": self.cancel_url(obj),
            **extra,
        }

    def cancel_url(self, obj) -> str:
        return redirect(self.list_url, pk=self.project.pk).url

    def show(self, obj, form, status=200):
        return render(
            self.request, self.template_name, self.context(obj, form), status=status
        )

    def get(self, request, pk, **kwargs):
        obj = self.get_object()
        form = self.form(obj)
        if not obj.pk:
            self.initial(form)
        return self.show(obj, form)

    def post(self, request, pk, **kwargs):
        obj = self.get_object()
        form = self.form(obj, request.POST)
        if not form.is_valid():
            return self.show(obj, form, status=400)
        try:
            saved = self.save(form.instance, form)
        except StaleVersion as stale:
            return conflict_response(
                request,
                self.template_name,
                self.context(obj, form),
                form,
                stale.current,
            )
        except QualityError as error:
            place_error(form, error)
            return self.show(obj, form, status=400)
        messages.success(request, self.success_message or _("Saved."))
        return redirect(self.success_url(saved))


class RecordDeleteView(QualityFolderMixin, View):
    """Delete one record (POST), then back to its list."""

    model: type[Model]
    pk_kwarg = ""
    list_url = ""
    folder_action = Action.DELETE
    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        self.folder_model = self.model._meta.label_lower
        return super().dispatch(request, *args, **kwargs)

    def remove(self, obj) -> None:
        obj.delete()

    def post(self, request, pk, **kwargs):
        obj = self.get_record(self.model, kwargs[self.pk_kwarg])
        name = str(obj)
        try:
            self.remove(obj)
        except REFUSALS as error:
            messages.error(request, refusal_message(error, obj))
        else:
            messages.success(request, _("“%(name)s” deleted.") % {"name": name})
        return redirect(self.list_url, pk=self.project.pk)
