"""The kinds of record a comment can be on: their models, their pages and where the
files attached to their comments are filed."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.urls import reverse

from clientfolio.projects.models import ChangeRequest, ProjectRequirement
from clientfolio.quality.models import Deliverable
from clientfolio.risks.models import Issue, Risk
from clientfolio.schedule.models import Task

__all__ = ["KINDS", "TargetKind", "detail_url", "kind_of", "label_of"]


@dataclass(frozen=True)
class TargetKind:
    """A kind of record comments are allowed on."""

    model: type[Model]
    url_name: str
    url_kwargs: Callable[[Any], dict[str, Any]]
    # The template folder (by its English name) that attachments are filed in; ""
    # files them at the root of the project's documents.
    folder_name_en: str = ""


KINDS: dict[str, TargetKind] = {
    "schedule.task": TargetKind(
        Task,
        "schedule:task_detail",
        lambda task: {"pk": task.project_id, "task_pk": task.pk},
        "Technical",
    ),
    "projects.changerequest": TargetKind(
        ChangeRequest,
        "projects:change_detail",
        lambda change: {"pk": change.project_id, "number": change.number},
        "Requirements",
    ),
    "risks.risk": TargetKind(
        Risk,
        "risks:risk_detail",
        lambda risk: {"pk": risk.project_id, "risk_pk": risk.pk},
    ),
    "risks.issue": TargetKind(
        Issue,
        "risks:issue_detail",
        lambda issue: {"pk": issue.project_id, "issue_pk": issue.pk},
    ),
    "projects.projectrequirement": TargetKind(
        ProjectRequirement,
        "projects:requirement_detail",
        lambda requirement: {
            "pk": requirement.project_id,
            "requirement_pk": requirement.pk,
        },
        "Requirements",
    ),
    "quality.deliverable": TargetKind(
        Deliverable,
        "quality:deliverable_detail",
        lambda deliverable: {
            "pk": deliverable.project_id,
            "deliverable_pk": deliverable.pk,
        },
        "Acceptance",
    ),
}


def label_of(obj: Model) -> str:
    """``app_label.model`` of a record (``schedule.task``)."""
    return obj._meta.label_lower


def kind_of(label: str) -> TargetKind | None:
    """The kind named ``label``, or None for a record comments are not allowed on."""
    return KINDS.get(label)


def detail_url(obj: Model) -> str:
    """The path of the record's own page, where its comments are shown."""
    kind = KINDS[label_of(obj)]
    return reverse(kind.url_name, kwargs=kind.url_kwargs(obj))
