"""Pages of the closure section of a project folder (checklist and closing, lessons,
handover, final evaluation and its PDF) and the lessons search across projects."""

import dataclasses
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.closure import services
from clientfolio.closure.forms import (
    CloseForm,
    EvaluationForm,
    HandoverForm,
    LessonForm,
    LessonSearchForm,
    ReopenForm,
)
from clientfolio.closure.models import Closure, Evaluation, Handover, Lesson
from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action, can, scope, sees_finance
from clientfolio.core.relations import only_seen
from clientfolio.projects.folder import FolderMixin
from clientfolio.projects.models import Project

__all__ = [
    "ChecklistView",
    "CloseView",
    "EvaluationEditView",
    "EvaluationPdfView",
    "EvaluationView",
    "HandoverEditView",
    "HandoverView",
    "LessonCreateView",
    "LessonEditView",
    "LessonListView",
    "LessonSearchView",
    "ReopenView",
]

PER_PAGE = 25


class ClosureFolderMixin(FolderMixin):
    """Pages of one project's closure section."""

    folder_model = "closure.closure"
    section = "checklist"

    def closure_context(self, **extra: Any) -> dict[str, Any]:
        return {**self.folder_context(), "section": self.section, **extra}


# --- checklist, closing, reopening -------------------------------------------------------


def _checklist_context(view: ClosureFolderMixin, **extra: Any) -> dict[str, Any]:
    project = view.project
    user = view.request.user
    rows = services.checklist_rows(project)
    closure = (
        Closure.objects.select_related("closed_by", "reopened_by", "follow_up")
        .filter(project=project)
        .first()
    )
    is_closed = project.status == Project.Status.COMPLETED
    unmet = [row for row in rows if row.is_not_met]
    return view.closure_context(
        rows=rows,
        unmet_count=len(unmet),
        met_count=sum(1 for row in rows if row.is_met),
        closure=closure,
        is_closed=is_closed,
        can_close=not is_closed and can(user, Action.ADD, Closure, project=project),
        can_reopen=is_closed and can(user, Action.CHANGE, Closure, project=project),
        close_form=extra.pop("close_form", None) or CloseForm(),
        reopen_form=extra.pop("reopen_form", None) or ReopenForm(),
        **extra,
    )


class ChecklistView(ClosureFolderMixin, View):
    """The closure checklist computed from the project's data, and the close form."""

    def get(self, request, pk):
        return render(request, "closure/checklist.html", _checklist_context(self))


class CloseView(ClosureFolderMixin, View):
    """Close the project (the manager): refused with unmet items unless overridden."""

    folder_action = Action.ADD
    http_method_names = ["post"]

    def post(self, request, pk):
        form = CloseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.close_project(
                    self.project,
                    user=request.user,
                    override=data["override"],
                    reason=data["reason"],
                    follow_up_days=data["follow_up_days"],
                )
            except services.ClosureError as error:
                self.project.refresh_from_db()
                if self.project.status == Project.Status.COMPLETED:
                    # Closed meanwhile (a second submit): there is no form to show.
                    messages.error(request, error.message)
                    return redirect("closure:checklist", pk=self.project.pk)
                # The unmet-items refusal concerns the whole form: shown at the top.
                field = (
                    error.field if error.field in ("reason", "follow_up_days") else None
                )
                form.add_error(field, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "Project closed. A follow-up visit is planned in the client library."
                    ),
                )
                return redirect("closure:checklist", pk=self.project.pk)
        context = _checklist_context(self, close_form=form)
        return render(request, "closure/checklist.html", context, status=400)


class ReopenView(ClosureFolderMixin, View):
    """Reopen a closed project (the manager), with a reason."""

    folder_action = Action.CHANGE
    http_method_names = ["post"]

    def post(self, request, pk):
        form = ReopenForm(request.POST)
        if form.is_valid():
            try:
                services.reopen_project(
                    self.project, user=request.user, reason=form.cleaned_data["reason"]
                )
            except services.ClosureError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Project reopened."))
                return redirect("closure:checklist", pk=self.project.pk)
        context = _checklist_context(self, reopen_form=form)
        return render(request, "closure/checklist.html", context, status=400)


# --- lessons -----------------------------------------------------------------------------


class LessonListView(ClosureFolderMixin, View):
    """The project's lessons learned, grouped by kind in one list."""

    folder_model = "closure.lesson"
    section = "lessons"

    def get(self, request, pk):
        lessons = scope(request.user, Lesson.objects.filter(project=self.project))
        kind = request.GET.get("kind", "")
        counts = dict(lessons.order_by().values_list("kind").annotate(n=Count("id")))
        rows = lessons.for_list()
        if kind in Lesson.Kind.values:
            rows = rows.filter(kind=kind)
        else:
            kind = ""
        page = Paginator(rows.order_by("-recorded_on", "-id"), PER_PAGE).get_page(
            request.GET.get("page")
        )
        context = self.closure_context(
            page=page,
            kind=kind,
            kinds=[
                {"value": value, "label": label, "count": counts.get(value, 0)}
                for value, label in Lesson.Kind.choices
            ],
            total=sum(counts.values()),
            can_add=can(request.user, Action.ADD, Lesson, project=self.project),
        )
        return render(request, "closure/lesson_list.html", context)


class LessonCreateView(ClosureFolderMixin, View):
    folder_model = "closure.lesson"
    folder_action = Action.ADD
    section = "lessons"

    def show(self, form, status=200):
        return render(
            self.request,
            "closure/lesson_form.html",
            self.closure_context(form=form, lesson=None),
            status=status,
        )

    def get(self, request, pk):
        return self.show(LessonForm(initial={"recorded_on": timezone.localdate()}))

    def post(self, request, pk):
        form = LessonForm(request.POST)
        if not form.is_valid():
            return self.show(form, status=400)
        lesson = form.save(commit=False)
        lesson.project = self.project
        lesson.author = request.user
        services.save_lesson(lesson, tags=form.tag_names())
        messages.success(request, _("Lesson saved."))
        return redirect("closure:lesson_list", pk=self.project.pk)


class LessonEditView(ClosureFolderMixin, View):
    folder_model = "closure.lesson"
    folder_action = Action.CHANGE
    section = "lessons"

    def get_lesson(self, lesson_pk: int) -> Lesson:
        base = Lesson.objects.filter(project=self.project).prefetch_related("tags")
        return get_object_or_404(scope(self.request.user, base), pk=lesson_pk)

    def show(self, form, lesson, status=200):
        return render(
            self.request,
            "closure/lesson_form.html",
            self.closure_context(form=form, lesson=lesson),
            status=status,
        )

    def get(self, request, pk, lesson_pk):
        lesson = self.get_lesson(lesson_pk)
        return self.show(LessonForm(instance=lesson), lesson)

    def post(self, request, pk, lesson_pk):
        lesson = self.get_lesson(lesson_pk)
        form = LessonForm(request.POST, instance=lesson)
        if not form.is_valid():
            return self.show(form, lesson, status=400)
        try:
            services.save_lesson(
                form.save(commit=False),
                tags=form.tag_names(),
                expected_version=form.cleaned_data.get("version"),
            )
        except StaleVersion:
            form.add_error(None, str(StaleVersion.message))
            return self.show(form, lesson, status=409)
        messages.success(request, _("Lesson saved."))
        return redirect("closure:lesson_list", pk=self.project.pk)


def _clients_of(user) -> list[tuple[int, str]]:
    from clientfolio.clients.models import Client

    ids = scope(user, Project.objects.all()).values("client_id")
    return list(
        Client.objects.filter(pk__in=ids).order_by("name").values_list("pk", "name")
    )


class LessonSearchView(View):
    """Lessons learned across every project the user may see: substring search over
    title, text and tags (Chinese works), filters by kind, tag and client."""

    def get(self, request):
        if not can(request.user, Action.VIEW, Lesson):
            raise PermissionDenied
        form = LessonSearchForm(request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        lessons = scope(request.user, Lesson.objects.all())
        query = (data.get("q") or "").strip()
        if query:
            lessons = lessons.search(query)
        if data.get("kind"):
            lessons = lessons.filter(kind=data["kind"])
        if data.get("tag"):
            lessons = lessons.filter(tags__name=data["tag"])
        if data.get("client"):
            lessons = lessons.filter(project__client_id=data["client"])
        page = Paginator(
            lessons.for_list().order_by("-recorded_on", "-id"), PER_PAGE
        ).get_page(request.GET.get("page"))
        keep = request.GET.copy()
        keep.pop("page", None)
        context = {
            "form": form,
            "query": query,
            "filters": {
                k: request.GET.get(k, "") for k in ("q", "kind", "tag", "client")
            },
            "filtering": bool(
                query or data.get("kind") or data.get("tag") or data.get("client")
            ),
            "page": page,
            "kinds": Lesson.Kind.choices,
            "clients": _clients_of(request.user),
            "keep": keep.urlencode(),
        }
        return render(request, "closure/lesson_search.html", context)


# --- handover ----------------------------------------------------------------------------


def _handover_of(project: Project) -> Handover | None:
    return (
        Handover.objects.select_related("handed_over_by")
        .prefetch_related("documents", "deliverables", "recipients")
        .filter(project=project)
        .first()
    )


class HandoverView(ClosureFolderMixin, View):
    folder_model = "closure.handover"
    section = "handover"

    def get(self, request, pk):
        handover = _handover_of(self.project)
        # Only what the reader can see: a document or deliverable since moved to a
        # project they are not on is not named.
        seen = {
            name: only_seen(
                request.user,
                getattr(handover, name).all() if handover else [],
                project=self.project,
            )
            for name in ("documents", "deliverables")
        }
        context = self.closure_context(
            handover=handover,
            **seen,
            can_change=can(request.user, Action.CHANGE, Handover, project=self.project),
        )
        return render(request, "closure/handover.html", context)


class HandoverEditView(ClosureFolderMixin, View):
    folder_model = "closure.handover"
    folder_action = Action.CHANGE
    section = "handover"

    def show(self, form, status=200):
        def chosen(name: str) -> set[str]:
            return {str(v) for v in (form[name].value() or [])}

        context = self.closure_context(
            form=form,
            recipient_options=[
                (str(c.pk), f"{c.name} {c.title}".strip())
                for c in form.recipient_choices.order_by("-is_primary", "name")
            ],
            document_options=[
                (str(d.pk), d.title) for d in form.fields["documents"].queryset
            ],
            deliverable_options=[
                (str(d.pk), f"{d.name} · {d.get_status_display()}")
                for d in form.fields["deliverables"].queryset
            ],
            selected={
                name: chosen(name)
                for name in ("recipients", "documents", "deliverables")
            },
            no_contacts=_("The client has no contacts yet."),
            no_documents=_("The project has no documents."),
            no_deliverables=_("The project has no deliverables."),
        )
        return render(
            self.request, "closure/handover_form.html", context, status=status
        )

    def get(self, request, pk):
        handover = _handover_of(self.project)
        initial: dict[str, Any] = {}
        if handover is None:
            initial = {
                "handed_over_on": timezone.localdate(),
                "documents": list(
                    self.project.documents.filter(
                        visibility="shared", deleted_at__isnull=True
                    ).values_list("pk", flat=True)
                ),
            }
        return self.show(
            HandoverForm(instance=handover, initial=initial, project=self.project)
        )

    def post(self, request, pk):
        handover = _handover_of(self.project) or Handover(project=self.project)
        form = HandoverForm(request.POST, instance=handover, project=self.project)
        if not form.is_valid():
            return self.show(form, status=400)
        handover = form.save(commit=False)
        handover.project = self.project
        handover.handed_over_by = handover.handed_over_by or request.user
        data = form.cleaned_data
        try:
            services.save_handover(
                handover,
                documents=data["documents"],
                deliverables=data["deliverables"],
                recipients=data["recipients"],
                expected_version=data.get("version"),
            )
        except StaleVersion:
            form.add_error(None, str(StaleVersion.message))
            return self.show(form, status=409)
        except services.ClosureError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.message
            )
            return self.show(form, status=400)
        messages.success(request, _("Handover saved."))
        return redirect("closure:handover", pk=self.project.pk)


# --- final evaluation --------------------------------------------------------------------


class EvaluationView(ClosureFolderMixin, View):
    folder_model = "closure.evaluation"
    section = "evaluation"

    def get(self, request, pk):
        evaluation = (
            Evaluation.objects.select_related("evaluated_by")
            .filter(project=self.project)
            .first()
        )
        context = self.closure_context(
            evaluation=evaluation,
            figures=services.evaluation_figures(self.project),
            sees_finance=sees_finance(request.user, self.project),
            can_change=can(
                request.user, Action.CHANGE, Evaluation, project=self.project
            ),
        )
        return render(request, "closure/evaluation.html", context)


class EvaluationEditView(ClosureFolderMixin, View):
    folder_model = "closure.evaluation"
    folder_action = Action.CHANGE
    section = "evaluation"

    def show(self, form, status=200):
        return render(
            self.request,
            "closure/evaluation_form.html",
            self.closure_context(form=form),
            status=status,
        )

    def get(self, request, pk):
        evaluation = Evaluation.objects.filter(project=self.project).first()
        return self.show(EvaluationForm(instance=evaluation))

    def post(self, request, pk):
        evaluation = Evaluation.objects.filter(
            project=self.project
        ).first() or Evaluation(project=self.project)
        form = EvaluationForm(request.POST, instance=evaluation)
        if not form.is_valid():
            return self.show(form, status=400)
        evaluation = form.save(commit=False)
        evaluation.evaluated_by = request.user
        try:
            services.save_evaluation(evaluation, form.cleaned_data.get("version"))
        except StaleVersion:
            form.add_error(None, str(StaleVersion.message))
            return self.show(form, status=409)
        except services.ClosureError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.message
            )
            return self.show(form, status=400)
        messages.success(request, _("Evaluation saved."))
        return redirect("closure:evaluation", pk=self.project.pk)


class EvaluationPdfView(ClosureFolderMixin, View):
    """The final evaluation as a PDF, downloaded as an attachment."""

    folder_model = "closure.evaluation"
    folder_action = Action.EXPORT

    def get(self, request, pk):
        from clientfolio.closure.report import evaluation_pdf

        evaluation = Evaluation.objects.filter(project=self.project).first()
        figures = services.evaluation_figures(self.project)
        if not sees_finance(request.user, self.project):
            figures = dataclasses.replace(
                figures, budget=None, actual_cost=None, cost_variance=None, cpi=None
            )
        content = evaluation_pdf(self.project, figures, evaluation)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.project.code}-evaluation.pdf"'
        )
        return response
