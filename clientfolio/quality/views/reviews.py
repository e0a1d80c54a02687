"""Pages of a project's quality reviews: the list, the detail with its checklist (a failed
item opens an issue in the risks app's issue log), create and edit with the checklist as
a formset (rows added with htmx), and delete."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from clientfolio.core import history
from clientfolio.core.locking import StaleVersion
from clientfolio.core.permissions import Action, can, scope
from clientfolio.core.relations import hide_unseen
from clientfolio.core.views import conflict_response
from clientfolio.quality import services
from clientfolio.quality.forms import ReviewForm, ReviewItemFormSet
from clientfolio.quality.models import (
    Deliverable,
    ImprovementAction,
    QualityReview,
    ReviewItem,
)
from clientfolio.quality.views.common import (
    PER_PAGE,
    QualityFolderMixin,
    RecordDeleteView,
    place_error,
)

__all__ = [
    "ReviewDeleteView",
    "ReviewDetailView",
    "ReviewFormView",
    "ReviewItemIssueView",
    "ReviewItemRowView",
    "ReviewListView",
]

ISSUE_MODEL = "risks.issue"


class ReviewFolderMixin(QualityFolderMixin):
    folder_model = "quality.qualityreview"
    section = "reviews"


class ReviewListView(ReviewFolderMixin, View):
    """The project's reviews, newest first, with their result and failed items."""

    def get(self, request, pk):
        reviews = scope(
            request.user, QualityReview.objects.filter(project=self.project)
        ).select_related("deliverable", "reviewer")
        result = request.GET.get("result", "")
        if result in QualityReview.Result.values:
            reviews = reviews.filter(result=result)
        reviews = reviews.annotate(
            item_count=Count("items"),
            failed=Count("items", filter=Q(items__result=ReviewItem.Result.FAIL)),
        )
        page = Paginator(reviews.order_by("-reviewed_on", "-id"), PER_PAGE).get_page(
            request.GET.get("page")
        )
        page.object_list = hide_unseen(
            request.user, page.object_list, "deliverable", project=self.project
        )
        context = {
            **self.quality_context(),
            "page": page,
            "result": result,
            "results": QualityReview.Result.choices,
            "can_add": self.may(Action.ADD, QualityReview),
        }
        return render(request, "quality/review_list.html", context)


class ReviewDetailView(ReviewFolderMixin, View):
    """A review's facts and checklist; failed items offer to open an issue."""

    def get(self, request, pk, review_pk):
        review = self.get_record(
            QualityReview,
            review_pk,
            QualityReview.objects.select_related("deliverable", "reviewer"),
        )
        hide_unseen(request.user, [review], "deliverable", project=self.project)
        items = hide_unseen(
            request.user,
            review.items.select_related("standard", "issue"),
            "issue",
            project=self.project,
        )
        can_change = self.may(Action.CHANGE, review)
        context = {
            **self.quality_context(),
            "review": review,
            "items": items,
            "actions": list(review.improvement_actions.select_related("owner")),
            "history_entries": history.entries_for(
                [
                    QualityReview.history.filter(id=review.pk),
                    ReviewItem.history.filter(review_id=review.pk),
                ]
            ),
            "can_change": can_change,
            "can_delete": self.may(Action.DELETE, review),
            "can_open_issue": can_change
            and can(request.user, Action.ADD, ISSUE_MODEL, project=self.project),
            "can_add_action": self.may(Action.ADD, ImprovementAction),
        }
        return render(request, "quality/review_detail.html", context)


class ReviewFormView(ReviewFolderMixin, View):
    """Create or edit a review with its checklist. A new review of a deliverable starts
    with the deliverable's criteria; one of the project with its standards."""

    template_name = "quality/review_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.folder_action = Action.CHANGE if "review_pk" in kwargs else Action.ADD
        return super().dispatch(request, *args, **kwargs)

    def get_object(self) -> QualityReview:
        if "review_pk" in self.kwargs:
            return self.get_record(QualityReview, self.kwargs["review_pk"])
        return QualityReview(project=self.project)

    def forms(self, review, data=None):
        form = ReviewForm(data, instance=review, project=self.project)
        queryset = (
            review.items.select_related("standard", "issue")
            if review.pk
            else ReviewItem.objects.none()
        )
        formset = ReviewItemFormSet(
            data,
            instance=review,
            prefix="items",
            project=self.project,
            queryset=queryset,
        )
        return form, formset

    def context(self, review, form, formset, **extra):
        return {
            **self.quality_context(),
            "review": review if review.pk else None,
            "form": form,
            "formset": formset,
            **extra,
        }

    def show(self, review, form, formset, status=200, **extra):
        context = self.context(review, form, formset, **extra)
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk, review_pk=None):
        review = self.get_object()
        if review.pk:
            form, formset = self.forms(review)
            return self.show(review, form, formset)
        deliverable = None
        if wanted := request.GET.get("deliverable", ""):
            deliverable = (
                Deliverable.objects.filter(project=self.project, pk=wanted).first()
                if wanted.isdigit()
                else None
            )
        checklist = services.review_checklist(self.project, deliverable)
        form = ReviewForm(
            instance=review,
            project=self.project,
            initial={
                "deliverable": deliverable.pk if deliverable else None,
                "title": _("Review of %(name)s") % {"name": deliverable.name}
                if deliverable
                else _("Quality review against the standards"),
                "reviewed_on": timezone.localdate(),
                "reviewer": request.user.pk,
            },
        )
        formset = ReviewItemFormSet(
            instance=review,
            prefix="items",
            project=self.project,
            queryset=ReviewItem.objects.none(),
            initial=[
                {"criterion": item.criterion, "standard": item.standard_id}
                for item in checklist
            ],
        )
        formset.extra = len(checklist) + 1
        return self.show(review, form, formset)

    def post(self, request, pk, review_pk=None):
        review = self.get_object()
        form, formset = self.forms(review, request.POST)
        if not (form.is_valid() and formset.is_valid()):
            return self.show(review, form, formset, status=400)
        items, removed = [], []
        for item_form in formset.forms:
            if item_form.cleaned_data.get("DELETE"):
                if item_form.instance.pk:
                    removed.append(item_form.instance)
                continue
            if not item_form.instance.pk and not item_form.has_changed():
                continue
            items.append(item_form.save(commit=False))
        try:
            saved = services.save_review(
                form.instance,
                items,
                expected_version=form.cleaned_data.get("version"),
                removed=removed,
            )
        except StaleVersion as stale:
            return conflict_response(
                request,
                self.template_name,
                self.context(review, form, formset),
                form,
                stale.current,
            )
        except services.QualityError as error:
            if error.field == "items":
                return self.show(
                    review, form, formset, status=400, item_error=error.message
                )
            place_error(form, error)
            return self.show(review, form, formset, status=400)
        messages.success(
            request,
            _("Review saved: %(result)s.") % {"result": saved.get_result_display()},
        )
        return redirect("quality:review_detail", pk=self.project.pk, review_pk=saved.pk)


class ReviewItemRowView(ReviewFolderMixin, View):
    """One empty checklist row for the review form (htmx), numbered ``index``."""

    folder_action = Action.ADD

    def get(self, request, pk):
        index = request.GET.get("index", "0")
        index = int(index) if index.isdigit() and int(index) < 100 else 0
        formset = ReviewItemFormSet(
            prefix="items",
            project=self.project,
            queryset=ReviewItem.objects.none(),
        )
        form = formset.empty_form
        form.prefix = formset.add_prefix(str(index))
        context = {"item_form": form, "review": None}
        return render(request, "quality/partials/review_item_row.html", context)


class ReviewItemIssueView(ReviewFolderMixin, View):
    """Open an issue in the risks app's issue log for a failed checklist item."""

    folder_action = Action.CHANGE
    http_method_names = ["post"]

    def post(self, request, pk, item_pk):
        item = get_object_or_404(
            scope(
                request.user,
                ReviewItem.objects.filter(review__project=self.project),
            ),
            pk=item_pk,
        )
        if not can(request.user, Action.ADD, ISSUE_MODEL, project=self.project):
            raise PermissionDenied
        severity = request.POST.get("severity", "medium")
        try:
            issue = services.open_issue_for_item(
                item, user=request.user, severity=severity
            )
        except services.QualityError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Issue opened: %(title)s.") % {"title": issue.title}
            )
        return redirect(
            "quality:review_detail", pk=self.project.pk, review_pk=item.review_id
        )


class ReviewDeleteView(RecordDeleteView):
    model = QualityReview
    pk_kwarg = "review_pk"
    list_url = "quality:review_list"

    def remove(self, obj) -> None:
        services.delete_review(obj)
