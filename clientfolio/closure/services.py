"""Every write of the closure app, and the data gathering behind the checklist and the
final evaluation. Pages, the API and the demo data call these.

Writes run in one transaction and raise ``ClosureError`` (a translated message, nothing
saved) for bad input; updates check ``version`` (``StaleVersion``).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clientfolio.closure import checklist, registry
from clientfolio.closure.models import Closure, Evaluation, Handover, Lesson
from clientfolio.core.locking import save_versioned
from clientfolio.core.models import Tag, User
from clientfolio.projects.models import Project

__all__ = [
    "ChecklistRow",
    "ClosureError",
    "EvaluationFigures",
    "checklist_rows",
    "close_project",
    "evaluation_figures",
    "gather_facts",
    "lessons_for_project",
    "reopen_project",
    "save_evaluation",
    "save_handover",
    "save_lesson",
]

DEFAULT_FOLLOW_UP_DAYS = 30
SATISFACTION_MESSAGE = gettext_lazy(
    "Satisfaction is a score from 1 (very unhappy) to 5 (very happy)."
)


class ClosureError(ValueError):
    """Bad closure input: the message says what to fix; nothing was saved."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- checklist ----------------------------------------------------------------------------

LABELS = {
    "deliverables": gettext_lazy("All deliverables accepted by the client"),
    "milestones": gettext_lazy("All milestones done"),
    "invoices": gettext_lazy("All invoices paid"),
    "change_requests": gettext_lazy("No change request left open"),
    "action_items": gettext_lazy("All action items done"),
    "risks": gettext_lazy("All risks closed"),
    "issues": gettext_lazy("All issues resolved"),
    "documents": gettext_lazy("Documents handed over"),
}
HINTS = {
    "deliverables": gettext_lazy("Deliverables not yet accepted"),
    "milestones": gettext_lazy("Milestones not done"),
    "invoices": gettext_lazy("Invoices issued or partly paid (drafts and voids are ignored)"),
    "change_requests": gettext_lazy("Change requests still open (including approved, not implemented)"),
    "action_items": gettext_lazy("Open action items"),
    "risks": gettext_lazy("Risks still open, or occurred without a resolved issue"),
    "issues": gettext_lazy("Issues open or in progress"),
    "documents": gettext_lazy("Documents shared with the client but not in the handover record"),
}  # fmt: skip

CHANGE_OPEN = ("submitted", "evaluating", "awaiting_client", "approved")
ISSUE_OPEN = ("open", "in_progress")
ISSUE_SETTLED = ("resolved", "closed")
RISK_OPEN = ("identified", "analysing", "responding", "monitoring")


def _model(label: str) -> Any | None:
    """A model of an app that may still be under construction (None if missing)."""
    from django.apps import apps

    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _counts(queryset, **conditions: Q) -> dict[str, int]:
    """One aggregate query: the total and a count per condition."""
    aggregates = {"total": Count("id")}
    aggregates.update({name: Count("id", filter=q) for name, q in conditions.items()})
    return {k: v or 0 for k, v in queryset.aggregate(**aggregates).items()}


def gather_facts(project: Project) -> checklist.Facts:
    """The counts the checklist needs, in a fixed number of queries (one per record kind)."""
    values: dict[str, int] = {}
    deliverable = _model("quality.Deliverable")
    if deliverable is not None:
        c = _counts(
            deliverable.objects.filter(project=project),
            open=~Q(status="accepted"),
        )
        values.update(deliverables=c["total"], deliverables_unaccepted=c["open"])
    c = _counts(project.tasks.filter(is_milestone=True), open=~Q(status="done"))
    values.update(milestones=c["total"], milestones_open=c["open"])
    invoice = _model("finance.Invoice")
    if invoice is not None:
        c = _counts(
            invoice.objects.filter(project=project).exclude(
                status__in=["void", "draft"]
            ),
            open=Q(status__in=["issued", "partly_paid"]),
        )
        values.update(invoices=c["total"], invoices_unpaid=c["open"])
    c = _counts(project.change_requests.all(), open=Q(status__in=CHANGE_OPEN))
    values.update(change_requests=c["total"], change_requests_open=c["open"])
    action_item = _model("comms.ActionItem")
    if action_item is not None:
        c = _counts(
            action_item.objects.filter(record__project=project),
            open=Q(status__in=["open", "in_progress"]),
        )
        values.update(action_items=c["total"], action_items_open=c["open"])
    risk = _model("risks.Risk")
    if risk is not None:
        risks = risk.objects.filter(project=project)
        c = _counts(risks, open=Q(status__in=RISK_OPEN))
        # An occurred risk is settled once it has issues and all are resolved or closed.
        with_open_issue = risks.filter(issues__status__in=ISSUE_OPEN).values("id")
        settled = (
            risks.filter(status="occurred", issues__isnull=False)
            .exclude(id__in=with_open_issue)
            .values("id")
        )
        unsettled = risks.filter(status="occurred").exclude(id__in=settled).count()
        values.update(
            risks=c["total"], risks_open=c["open"], risks_occurred_unsettled=unsettled
        )
    issue = _model("risks.Issue")
    if issue is not None:
        c = _counts(
            issue.objects.filter(project=project), open=Q(status__in=ISSUE_OPEN)
        )
        values.update(issues=c["total"], issues_open=c["open"])
    handover = Handover.objects.filter(project=project).first()
    handed = set(handover.documents.values_list("id", flat=True)) if handover else set()
    documents = project.documents.filter(deleted_at__isnull=True)
    shared = set(documents.filter(visibility="shared").values_list("id", flat=True))
    values.update(
        documents=documents.count(),
        documents_handed_over=len(handed),
        documents_shared_not_handed_over=len(shared - handed),
    )
    return checklist.Facts(**values)


@dataclass
class ChecklistRow:
    """One checklist item as the pages show it: label, status, count, link."""

    key: str
    status: str
    count: int
    total: int
    label: str
    hint: str
    url: str

    @property
    def is_met(self) -> bool:
        return self.status == checklist.MET

    @property
    def is_not_met(self) -> bool:
        return self.status == checklist.NOT_MET

    @property
    def is_not_applicable(self) -> bool:
        return self.status == checklist.NOT_APPLICABLE

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


STATUS_LABELS = {
    checklist.MET: gettext_lazy("Met"),
    checklist.NOT_MET: gettext_lazy("Not met"),
    checklist.NOT_APPLICABLE: gettext_lazy("Not applicable"),
}


def _url(name: str, project: Project, query: str = "") -> str:
    try:
        return reverse(name, kwargs={"pk": project.pk}) + query
    except NoReverseMatch:
        return ""


def _first_unaccepted_status(project: Project) -> str:
    deliverable = _model("quality.Deliverable")
    if deliverable is None:
        return ""
    for status in ("submitted", "rejected", "in_progress", "planned"):
        if deliverable.objects.filter(project=project, status=status).exists():
            return status
    return ""


def _links(project: Project, items: list[checklist.Item]) -> dict[str, str]:
    """Where to see what is missing: each section's list, filtered where it can be."""
    unmet = {item.key for item in checklist.unmet(items)}
    deliverable_status = (
        _first_unaccepted_status(project) if "deliverables" in unmet else ""
    )
    invoice_query = "?status=issued" if "invoices" in unmet else ""
    return {
        "deliverables": _url(
            "quality:deliverable_list",
            project,
            f"?status={deliverable_status}" if deliverable_status else "",
        ),
        "milestones": _url("schedule:timeline", project)
        or _url("schedule:task_list", project),
        "invoices": _url("finance:invoice_list", project, invoice_query)
        or _url("finance:overview", project),
        "change_requests": _url("projects:change_list", project),
        "action_items": _url("projects:project_detail", project),
        "risks": _url("risks:risk_list", project),
        "issues": _url(
            "risks:issue_list", project, "?status=open" if "issues" in unmet else ""
        ),
        "documents": _url("closure:handover", project),
    }


def checklist_rows(
    project: Project, facts: checklist.Facts | None = None
) -> list[ChecklistRow]:
    """The checklist of ``project`` with labels and links, in checklist order."""
    items = checklist.evaluate(facts or gather_facts(project))
    links = _links(project, items)
    return [
        ChecklistRow(
            key=item.key,
            status=item.status,
            count=item.count,
            total=item.total,
            label=str(LABELS[item.key]),
            hint=str(HINTS[item.key]),
            url=links.get(item.key, ""),
        )
        for item in items
    ]


# --- closing and reopening ----------------------------------------------------------------


@transaction.atomic
def close_project(
    project: Project,
    *,
    user: User,
    override: bool = False,
    reason: str = "",
    follow_up_days: int = DEFAULT_FOLLOW_UP_DAYS,
    today: date | None = None,
) -> Closure:
    """Close ``project``: status completed, phase closing (both logged as project events),
    the Closure recorded, and a follow-up visit (回访) scheduled in the client library for
    the project manager ``follow_up_days`` after today — all or nothing.

    With unmet checklist items the project closes only when ``override`` is set and a
    ``reason`` given; the unmet items are recorded with it. Raises ``ClosureError``.
    """
    from clientfolio.clients.models import FollowUp
    from clientfolio.clients.services import save_record
    from clientfolio.projects.services import update_project

    today = today or timezone.localdate()
    reason = (reason or "").strip()
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if locked.status == Project.Status.COMPLETED:
        raise ClosureError(_("This project is already closed."))
    if not 1 <= follow_up_days <= 365:
        raise ClosureError(
            _("The follow-up visit must be 1 to 365 days after closing."),
            field="follow_up_days",
        )
    rows = checklist_rows(locked)
    unmet = [row for row in rows if row.is_not_met]
    if unmet and not override:
        raise ClosureError(
            _(
                "The checklist has %(count)s unmet item(s). Complete them, or tick "
                "“Close anyway” and give a reason."
            )
            % {"count": len(unmet)},
            field="override",
        )
    if unmet and not reason:
        raise ClosureError(
            _("Give the reason for closing with unmet checklist items."),
            field="reason",
        )
    follow_up = save_record(
        FollowUp(
            client_id=locked.client_id,
            owner_id=locked.manager_id,
            planned_on=today + timedelta(days=follow_up_days),
            purpose=(
                _("Follow-up visit after closing %(project)s")
                % {"project": f"{locked.code} {locked.name}"}
            )[:300],
        )
    )
    locked.status = Project.Status.COMPLETED
    locked.phase = Project.Phase.CLOSING
    if not locked.actual_finish_on:
        locked.actual_finish_on = today
    update_project(
        locked,
        locked.version,
        user=user,
        comment=(reason or _("Project closed."))[:500],
    )
    values = {
        "is_closed": True,
        "closed_at": timezone.now(),
        "closed_by": user,
        "overridden": bool(unmet),
        "override_reason": reason if unmet else "",
        "unmet_items": [{"key": row.key, "count": row.count} for row in unmet],
        "follow_up": follow_up,
        "reopened_at": None,
        "reopened_by": None,
        "reopen_reason": "",
    }
    closure = Closure.objects.filter(project=locked).first()
    if closure is None:
        closure = Closure.objects.create(project=locked, **values)
    else:
        for name, value in values.items():
            setattr(closure, name, value)
        save_versioned(closure, closure.version)
    registry.notify_closed(
        locked.pk, f"closure:{closure.pk}:{int(closure.closed_at.timestamp())}"
    )
    project.refresh_from_db()
    return closure


@transaction.atomic
def reopen_project(project: Project, *, user: User, reason: str) -> Closure:
    """Reopen a closed project (status active, phase monitoring), recorded on its Closure
    and as project events. Raises ``ClosureError`` if it is not closed or no reason."""
    from clientfolio.projects.services import update_project

    reason = (reason or "").strip()
    locked = Project.objects.select_for_update().get(pk=project.pk)
    closure = Closure.objects.filter(project=locked, is_closed=True).first()
    if locked.status != Project.Status.COMPLETED or closure is None:
        raise ClosureError(_("Only a closed project can be reopened."))
    if not reason:
        raise ClosureError(_("Give the reason for reopening."), field="reason")
    locked.status = Project.Status.ACTIVE
    locked.phase = Project.Phase.MONITORING
    update_project(locked, locked.version, user=user, comment=reason[:500])
    closure.is_closed = False
    closure.reopened_at = timezone.now()
    closure.reopened_by = user
    closure.reopen_reason = reason
    save_versioned(closure, closure.version)
    project.refresh_from_db()
    return closure


# --- lessons ------------------------------------------------------------------------------


def lesson_search_text(title: str, text: str, tags: Iterable[str]) -> str:
    return " ".join([title, text, *tags]).lower()


def _tag_names(names: Iterable[str]) -> list[str]:
    return sorted({n.strip()[:40] for n in names if n and n.strip()})


@transaction.atomic
def save_lesson(
    lesson: Lesson,
    *,
    tags: Iterable[str] | None = None,
    expected_version: int | None = None,
) -> Lesson:
    """Create or update a lesson (version-checked) and its tags; keeps its search text."""
    if not lesson.recorded_on:
        lesson.recorded_on = timezone.localdate()
    names = (
        _tag_names(tags)
        if tags is not None
        else ([t.name for t in lesson.tags.all()] if lesson.pk else [])
    )
    lesson.search_text = lesson_search_text(lesson.title, lesson.text, names)
    if lesson.pk is None:
        lesson.save()
    else:
        save_versioned(lesson, expected_version)
    if tags is not None:
        Tag.objects.bulk_create([Tag(name=n) for n in names], ignore_conflicts=True)
        lesson.tags.set(Tag.objects.filter(name__in=names))
    return lesson


def lessons_for_project(project: Project, user: User, limit: int = 5) -> list[Lesson]:
    """Lessons from the user's other projects for the same client or sharing a tag with
    ``project``, newest first. One query (the tags and the scope are subqueries)."""
    from clientfolio.core.permissions import scope

    project_tags = Tag.objects.filter(projects=project).values("id")
    candidates = (
        scope(user, Lesson.objects.exclude(project=project))
        .filter(Q(project__client_id=project.client_id) | Q(tags__in=project_tags))
        .values("id")
    )
    return list(
        Lesson.objects.filter(id__in=candidates)
        .select_related("project")
        .order_by("-recorded_on", "-id")[:limit]
    )


# --- handover -----------------------------------------------------------------------------


@transaction.atomic
def save_handover(
    handover: Handover,
    *,
    documents: Iterable[Any] = (),
    deliverables: Iterable[Any] = (),
    recipients: Iterable[Any] = (),
    expected_version: int | None = None,
) -> Handover:
    """Create or update the project's handover record. Recipients must be contacts of the
    project's client, documents and deliverables the project's own; raises
    ``ClosureError`` (nothing saved) otherwise."""
    project = handover.project
    recipients, documents, deliverables = (
        list(recipients),
        list(documents),
        list(deliverables),
    )
    foreign = [c for c in recipients if c.client_id != project.client_id]
    if foreign:
        raise ClosureError(
            _(
                "%(names)s is not a contact of this project's client; hand over only "
                "to the client's own contacts."
            )
            % {"names": ", ".join(c.name for c in foreign)},
            field="recipients",
        )
    if any(d.project_id != project.pk for d in documents):
        raise ClosureError(
            _("Only documents of this project can be handed over."),
            field="documents",
        )
    if any(d.project_id != project.pk for d in deliverables):
        raise ClosureError(
            _("Only deliverables of this project can be handed over."),
            field="deliverables",
        )
    if handover.pk is None:
        handover.save()
    else:
        save_versioned(handover, expected_version)
    handover.documents.set(documents)
    handover.deliverables.set(deliverables)
    handover.recipients.set(recipients)
    return handover


# --- final evaluation ---------------------------------------------------------------------


@transaction.atomic
def save_evaluation(
    evaluation: Evaluation, expected_version: int | None = None
) -> Evaluation:
    """Create or update the manager's part of the final evaluation. Raises
    ``ClosureError`` for a satisfaction outside 1–5."""
    if evaluation.satisfaction is not None and not 1 <= evaluation.satisfaction <= 5:
        raise ClosureError(str(SATISFACTION_MESSAGE), field="satisfaction")
    if evaluation.pk is None:
        evaluation.save()
    else:
        save_versioned(evaluation, expected_version)
    return evaluation


@dataclass
class EvaluationFigures:
    """The computed part of the final evaluation; ``None`` means no data."""

    planned_finish: date | None = None
    actual_finish: date | None = None
    slip_days: int | None = None
    spi: Decimal | None = None
    budget: Decimal | None = None
    actual_cost: Decimal | None = None
    cost_variance: Decimal | None = None
    cpi: Decimal | None = None
    currency: str = "CNY"
    reviews_passed: int = 0
    reviews_failed: int = 0
    acceptances_rejected: int = 0
    satisfaction: int | None = None
    satisfaction_source: str = ""  # "surveys" when the client's answers gave it
    evm_source: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def has_quality_data(self) -> bool:
        return bool(
            self.reviews_passed or self.reviews_failed or self.acceptances_rejected
        )


def _report_figures(project: Project, status_date: date) -> dict[str, Any] | None:
    """Budget, actual cost (in CNY) and SPI/CPI from the finance overview
    (``finance.report.build_overview``: baseline-based earned value) when it is there;
    None when the module or its figures are missing."""
    try:
        report = importlib.import_module("clientfolio.finance.report")
        overview = report.build_overview(project, status_date)
    except Exception:  # noqa: BLE001 - a missing or unfinished helper must not break us
        return None
    indicators = getattr(overview.evm, "indicators", None)
    total = overview.total
    has_money = bool(total.budget or total.actual)
    return {
        "budget": total.budget if has_money else None,
        "actual": total.actual if has_money else None,
        "spi": getattr(indicators, "spi", None),
        "cpi": getattr(indicators, "cpi", None),
    }


def evaluation_figures(
    project: Project, today: date | None = None
) -> EvaluationFigures:
    """Schedule, cost, quality and satisfaction figures of ``project``.

    Earned value: BAC is the sum of the budget lines; EV is BAC times the progress of the
    leaf tasks weighted by duration; PV is BAC times the share of the planned duration
    (start → planned finish, calendar days) elapsed at the actual finish (or today); AC
    is approved expenses plus the cost of time entries. SPI and CPI come from
    ``finance.evm.indicators``. Amounts are summed in the project's default currency.
    """
    from clientfolio.finance import evm

    today = today or timezone.localdate()
    figures = EvaluationFigures()
    figures.planned_finish = project.planned_finish_on
    figures.actual_finish = project.actual_finish_on
    if figures.planned_finish and figures.actual_finish:
        figures.slip_days = (figures.actual_finish - figures.planned_finish).days
    budget_line = _model("finance.BudgetLine")
    expense = _model("finance.Expense")
    time_entry = _model("finance.TimeEntry")
    bac = (
        budget_line.objects.filter(project=project).aggregate(s=Sum("amount"))["s"]
        if budget_line
        else None
    )
    spent = Decimal(0)
    has_costs = False
    if expense is not None:
        value = expense.objects.filter(project=project, status="approved").aggregate(
            s=Sum("amount")
        )["s"]
        if value is not None:
            spent += value
            has_costs = True
    if time_entry is not None:
        value = time_entry.objects.filter(project=project).aggregate(
            s=Sum("cost_amount")
        )["s"]
        if value is not None:
            spent += value
            has_costs = True
    figures.budget = bac
    figures.actual_cost = spent if has_costs else None
    if bac is not None and has_costs:
        figures.cost_variance = bac - spent
    leaves = project.tasks.filter(children__isnull=True, is_milestone=False).aggregate(
        weight=Sum("duration"), done=Sum(F("duration") * F("percent_complete"))
    )
    progress = None
    if leaves["weight"]:
        progress = Decimal(leaves["done"] or 0) / Decimal(leaves["weight"] * 100)
    status_date = project.actual_finish_on or today
    reported = _report_figures(project, status_date)
    if reported is not None and reported["budget"] is not None:
        figures.budget, figures.actual_cost = reported["budget"], reported["actual"]
        figures.cost_variance = reported["budget"] - reported["actual"]
    if reported is not None and (reported["spi"] or reported["cpi"]):
        figures.spi, figures.cpi = reported["spi"], reported["cpi"]
        figures.evm_source = "finance.report"
    elif bac and progress is not None:
        planned = Decimal(1)
        if project.starts_on and project.planned_finish_on:
            span = (project.planned_finish_on - project.starts_on).days + 1
            elapsed = (status_date - project.starts_on).days + 1
            planned = min(Decimal(1), max(Decimal(0), Decimal(elapsed) / span))
        result = evm.indicators(
            bac=Decimal(bac),
            pv=Decimal(bac) * planned,
            ev=Decimal(bac) * progress,
            ac=spent,
        )
        figures.spi, figures.cpi = result.spi, result.cpi
        figures.evm_source = "finance.evm"
    review = _model("quality.QualityReview")
    if review is not None:
        c = _counts(
            review.objects.filter(project=project),
            passed=Q(result="passed"),
            failed=Q(result="failed"),
        )
        figures.reviews_passed, figures.reviews_failed = c["passed"], c["failed"]
    acceptance = _model("quality.Acceptance")
    if acceptance is not None:
        figures.acceptances_rejected = acceptance.objects.filter(
            project=project, decision="rejected"
        ).count()
    # The client's own answers (the surveys) come first; the manager's score otherwise.
    evaluation = Evaluation.objects.filter(project=project).first()
    figures.satisfaction = registry.satisfaction_from_sources(project)
    figures.satisfaction_source = "surveys" if figures.satisfaction else ""
    if figures.satisfaction is None:
        figures.satisfaction = evaluation.satisfaction if evaluation else None
    return figures
